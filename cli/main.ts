import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { relative } from 'node:path';
import type { CheckOptions } from './checkCommand.ts';
import { addClusterCommands } from './clusterCommands.ts';
import type { DiagramOptions } from './diagramCommand.ts';
import type { Io } from './io.ts';
import { addSwitches } from './modelSwitches.ts';
import { BUNDLED_INCIDENT, PACKAGE_VERSION } from './packageInfo.ts';
import type { ReplayCommandOptions } from './replayCommand.ts';
import type { ShowItlOptions } from './showItl.ts';
import type { PlanCommandOptions } from './planCommand.ts';
import type { ImportTranscriptOptions } from './importTranscriptCommand.ts';

export { BUNDLED_INCIDENT } from './packageInfo.ts';

/** Where `npm start` writes the HTML report of the bundled incident (relative to the working directory). */
export const BUNDLED_REPORT = 'out/seed-incident.html';

/** Exit code of a crash: a bug, not bad input (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL_ERROR = 70;

const EXIT_CODES = `
Exit codes (a command's own "Exit status" above, when it has one, says which it uses):
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

/**
 * An option parser for an output path (commander's argParser): an empty path names no file, and `-`
 * would be written as a file of that name (standard output is the report's, or the default when the
 * option is left out), so both are refused. Pure.
 */
export function outputPath(value: string): string {
  if (value === '' || value === '-')
    throw new InvalidArgumentError(
      value === '' ? 'expected a path, not an empty one.' : 'expected a path: - (standard output) is not one here.',
    );
  return value;
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
    .argument(
      '<log>',
      'an event log (JSON Lines, docs/log-format.md), read line by line (at most 1 MiB a line, 2,000,000 events); - reads standard input',
    )
    .option('--json', 'print the JSON document of the replay (refused logs: { "error": [...] })')
    .option(
      '--out <dir>',
      'write DIR/tftp/<node>/ITLFile.tlv and DIR/phones/<phone>/ITLFile.tlv (DIR is replaced whole)',
      outputPath,
    )
    .option('--until <n>', 'stop after event N (1-based)', wholeNumber(1, 999_999_999))
    .option(
      '--html <file>',
      'write a self-contained HTML report (phone swimlanes, ITL served by each node, diagnosis)',
      outputPath,
    )
    .option(
      '--inspect [url]',
      "drive live actors into Stately's inspector: a local relay on 127.0.0.1, or the relay at URL (ws://...)",
    )
    .option('--inspect-wait', 'with --inspect and no URL: keep the relay open until Ctrl-C')
    .option('--inspect-log <file>', 'write every inspection event as JSON Lines', outputPath)
    .option(
      '--from <dir>',
      'continue LOG (no cluster.install: its nodes and phones are the folder\'s) from a cluster folder (docs/cluster-folder.md, "Import")',
    )
    .option('--no-check', "do not check the log against the model's properties (faster on large logs)")
    .addOption(
      new Option(
        '--phones <which>',
        `all: list and diagnose every phone (above 50 phones the text report summarises)`,
      ).choices(['all']),
    );
  addSwitches(replay).action(async (log: string, options: ReplayCommandOptions) =>
    exit(await (await import('./replayCommand.ts')).replayCommand(log, options, io)),
  );

  const check = program
    .command('check')
    .description(
      'exhaustive (abstract model: 10.x, 12.5 non-secure, 12.5 mixed-mode and 11.5 mixed-mode scopes) and randomized (real crypto) checking of the invariants; counterexamples as JSON Lines',
    )
    .option(
      '--json',
      'print { properties (with counterexamples, their options and explanations), statesExplored, distinctStates, depth, complete, bounded, seconds, parts, scopes, options, seed, coverage }',
    )
    .option(
      '--depth <n>',
      'breadth-first depth bound (default 60: every scope empties its frontier first)',
      wholeNumber(0, 60),
    )
    .option('--product', 'explore all phones together as one state space instead of per phone configuration')
    .option(
      '--memory <MiB>',
      'memory budget of the state stores of the parts explored at once, 16-65536 MiB (default 768): a part that reaches it stops, and check exits 1 with "out of budget, explored N states"',
      wholeNumber(16, 65_536),
    )
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
    );
  addSwitches(check).action(async (options: CheckOptions) =>
    exit(await (await import('./checkCommand.ts')).check(options, io)),
  );

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
      outputPath,
    )
    .action(async (options: DiagramOptions) => exit(await (await import('./diagramCommand.ts')).diagram(options, io)));

  // The commands that read what a real cluster holds sit between diagram and plan in the help.
  addClusterCommands(program, io, exit);

  const plan = program
    .command('plan')
    .description(
      'run a plan (the CLI commands an administrator will type) from a cluster folder or the end of a log: per step the phones that lock, recover or are put at risk, the end state, the point of no return, a safer order, a method of procedure',
    )
    .argument(
      '<source>',
      'a cluster folder (docs/cluster-folder.md) or an event log (JSON Lines) whose end the plan starts from',
    )
    .argument(
      '<plan>',
      'the plan: one CUCM CLI command per line, `wait 10m`, `# comments` (README, "Planning a change")',
    )
    .option(
      '--json',
      'print the end state in the shape of replay --json, plus steps, pointOfNoReturn, trouble, saferOrder',
    )
    .option(
      '--mop <file>',
      'write the method of procedure as Markdown (steps, what to verify, rollback, visits)',
      outputPath,
    )
    .option('--html <file>', 'write the method of procedure as a self-contained HTML page', outputPath)
    .option(
      '--candidates <n>',
      'the safer-order search tries at most N candidate plans (default 300)',
      wholeNumber(1, 100_000),
    )
    .addHelpText(
      'after',
      '\nExit status: 0 the plan ran (whatever it does to the phones); 2 the source or the plan cannot be read.',
    );
  addSwitches(plan).action(async (source: string, file: string, options: PlanCommandOptions) =>
    exit(await (await import('./planCommand.ts')).planCommand(source, file, options, io)),
  );

  program
    .command('import-transcript')
    .description(
      'turn an admin: session transcript (prompts and outputs, # on NODE, model lines in comments) into an event log that continues --from LOG',
    )
    .argument('<file>', 'the transcript (text)')
    .requiredOption(
      '--from <log>',
      'the log the session continues (its cluster.install and phones); it is written first',
    )
    .option('--start <time>', 'when the session started (ISO 8601, Z or offset; default: the last event of --from)')
    .option('--out <file>', 'write the log there (default: standard output)', outputPath)
    .action(async (file: string, options: ImportTranscriptOptions) =>
      exit(await (await import('./importTranscriptCommand.ts')).importTranscript(file, options, io)),
    );

  program
    .command('export')
    .description(
      'write the abstract spec over one scope as a Promela model for Spin (each action with its guard and effect, the invariants as assertions)',
    )
    .option('--promela', 'the format: Promela (the only one)')
    .option('--scope <name>', 'the scope: a per-phone part of check or a known weakness (default 10.x-phone-C; --list)')
    .option('--out <file>', 'write the model there (default: standard output)', outputPath)
    .option('--list', 'name the scopes and stop')
    .action(async (options: { promela?: boolean; scope?: string; out?: string; list?: boolean }) =>
      exit(await (await import('./exportCommand.ts')).exportCommand(options, io)),
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
