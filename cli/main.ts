import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { relative } from 'node:path';
import type { CheckOptions } from './checkCommand.ts';
import type { DiagramOptions } from './diagramCommand.ts';
import type { Io } from './io.ts';
import { addSwitches } from './modelSwitches.ts';
import { BUNDLED_INCIDENT, PACKAGE_VERSION } from './packageInfo.ts';
import type { ReplayCommandOptions } from './replayCommand.ts';
import type { ShowItlOptions } from './showItl.ts';

export { BUNDLED_INCIDENT } from './packageInfo.ts';

/** Where `npm start` writes the HTML report of the bundled incident (relative to the working directory). */
export const BUNDLED_REPORT = 'out/seed-incident.html';

/** Exit code of a crash: a bug, not bad input (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL_ERROR = 70;

const EXIT_CODES = `
Exit codes:
  0   fine (for show-itl: the file verified; for replay: the log replayed, whatever the phones did)
  1   the checked thing is false (show-itl: the signature does not verify; check: a property that should hold is violated, or an expected failure was not found)
  2   bad input: unreadable, malformed or too large a file, an unwritable output path, unknown command or option
  ${EXIT_INTERNAL_ERROR}  internal error (a bug)`;

/** Sends commander's text, which may hold several lines, to the Io one line at a time. */
function lines(write: (line: string) => void): (text: string) => void {
  return (text) => text.replace(/\n$/, '').split('\n').forEach(write);
}

/** An option parser for a whole number from `min` to `max` (commander's argParser). */
export function wholeNumber(min: number, max: number): (value: string) => string {
  return (value) => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return value;
  };
}

/** The program with every command; each action loads its command's module only when it runs, and stores its exit code through `exit`. */
function buildProgram(io: Io, exit: (code: number) => void): Command {
  const program = new Command('itl-model')
    .description("Models how CUCM phones decide whom to trust (ITL, TVS, ITLRecovery, 'utils itl reset').")
    .version(PACKAGE_VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeOut: lines(io.out), writeErr: lines(io.err) })
    .addHelpText('afterAll', EXIT_CODES);

  // Subcommands inherit exitOverride and the output configuration: add them after both are set.
  program
    .command('show-itl')
    .description("print an ITLFile.tlv the way CUCM's `show itl` does and verify its signature")
    .argument('<file>', 'a file in the CUCM TLV format (ITLFile.tlv), at most 1 MiB; - reads standard input')
    .option('--json', 'print JSON instead of the CUCM listing')
    .action(async (file: string, options: ShowItlOptions) =>
      exit(await (await import('./showItl.ts')).showItl(file, options, io)),
    );

  const replay = program
    .command('replay')
    .description(
      'replay an incident log: timeline, phones, and a diagnosis with the cheapest recovery for every locked phone',
    )
    .argument('<log>', 'an event log (JSON Lines, docs/log-format.md), at most 256 MiB; - reads standard input')
    .option('--json', 'print the JSON document of the replay (refused logs: { "error": [...] })')
    .option(
      '--out <dir>',
      'write DIR/tftp/<node>/ITLFile.tlv and DIR/phones/<phone>/ITLFile.tlv (DIR is replaced whole)',
    )
    .option('--until <n>', 'stop after event N (1-based)', wholeNumber(1, 999_999_999))
    .option('--html <file>', 'write a self-contained HTML report (phone swimlanes, ITL served by each node, diagnosis)')
    .option(
      '--inspect [url]',
      "drive live actors into Stately's inspector: a local relay on 127.0.0.1, or the relay at URL (ws://...)",
    )
    .option('--inspect-wait', 'with --inspect and no URL: keep the relay open until Ctrl-C')
    .option('--inspect-log <file>', 'write every inspection event as JSON Lines')
    .option('--no-check', "do not check the log against the model's properties (faster on large logs)");
  addSwitches(replay).action(async (log: string, options: ReplayCommandOptions) =>
    exit(await (await import('./replayCommand.ts')).replayCommand(log, options, io)),
  );

  program
    .command('check')
    .description(
      'exhaustive (abstract model) and randomized (real crypto) checking of the invariants; counterexamples as JSON Lines',
    )
    .option(
      '--json',
      'print { properties (with counterexamples, their options and explanations), statesExplored, distinctStates, depth, complete, bounded, seconds, parts, seed, coverage }',
    )
    .option(
      '--depth <n>',
      'breadth-first depth bound (default 60: every scope empties its frontier first)',
      wholeNumber(0, 60),
    )
    .option('--product', 'explore all phones together as one state space instead of per phone configuration')
    .option('--phones <n>', 'phones in the scope, 1-4 (default 3)', wholeNumber(1, 4))
    .option('--nodes <n>', 'nodes in the scope, 2-3 (default 2)', wholeNumber(2, 3))
    .option(
      '--runs <n>',
      'random logs replayed with real crypto, 1-10000 (default 20; seed from FC_SEED, or FC_SEED=random)',
      wholeNumber(1, 10_000),
    )
    .option('--quick', 'a small scope in seconds: 1 phone, depth 8 (bounded, and says so), 3 random logs')
    .option(
      '--counterexamples <n>',
      'up to N distinct shortest counterexamples per expected failure, 1-20 (default 1)',
      wholeNumber(1, 20),
    )
    .action(async (options: CheckOptions) => exit(await (await import('./checkCommand.ts')).check(options, io)));

  program
    .command('diagram')
    .description(
      'print each state machine as a Mermaid stateDiagram-v2 (or its JSON definition), generated from the machines',
    )
    .addOption(
      new Option('--machine <name>', 'one machine (default: all)').choices([
        'phone',
        'phoneCtl',
        'node',
        'signer',
        'cluster',
      ]),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'json']).default('mermaid'))
    .option(
      '--out <dir>',
      'write <machine>.mmd (or .json) for each selected machine into DIR (`diagram --out docs/diagrams` regenerates the docs)',
    )
    .action(async (options: DiagramOptions) => exit(await (await import('./diagramCommand.ts')).diagram(options, io)));

  program
    .command('snapshot')
    .description(
      "read a cluster folder (cluster.json, phones.csv, each TFTP node's ITLFile.tlv or show-itl.txt, history/): nodes, files, where each phone's ITL hash comes from, and every inconsistency",
    )
    .argument('<dir>', 'a cluster folder (docs/cluster-folder.md)')
    .option('--json', 'print the snapshot as one JSON document (refused folders: { "error": [...] })')
    .addHelpText(
      'after',
      '\nExit status: 0 the folder reads and nothing in it contradicts anything else; 1 inconsistencies found (listed); 2 the folder cannot be read.',
    )
    .action(async (dir: string, options: { json?: boolean }) =>
      exit(await (await import('./snapshotCommand.ts')).snapshotCommand(dir, options, io)),
    );

  program
    .command('schema')
    .description('print the JSON Schema of one event-log line, generated from the parser (docs/event-log.schema.json)')
    .action(async () => exit(await (await import('./schemaCommand.ts')).schema(io)));

  return program;
}

/** `itl-model` with no arguments (what `npm start` runs): the main job on the bundled incident. */
async function bundledIncident(io: Io): Promise<number> {
  const incident = relative(process.cwd(), BUNDLED_INCIDENT);
  io.out(
    `itl-model: no arguments, so replaying the bundled incident ${incident} (itl-model --help lists the commands)`,
  );
  io.out('');
  await io.mkdir('out');
  const code = await (await import('./replayCommand.ts')).replayCommand(incident, { html: BUNDLED_REPORT }, io);
  io.out('');
  io.out(`HTML report: ${BUNDLED_REPORT} (open it in a browser; it needs no network)`);
  io.out(`Watch it in Stately's inspector: itl-model replay ${incident} --inspect --inspect-wait`);
  return code;
}

/** Runs the CLI on arguments (without `node` and the script) and returns the exit code; owns no process state. */
export async function run(argv: string[], io: Io): Promise<number> {
  if (argv.length === 0) return bundledIncident(io);
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end with exit code 0; every usage error is bad input.
    return error.exitCode === 0 ? 0 : 2;
  }
  return code;
}
