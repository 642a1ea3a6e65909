import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeIo, type Io } from './io.ts';
import { check, type CheckOptions } from './checkCommand.ts';
import { diagram, type DiagramOptions } from './diagramCommand.ts';
import { replayCommand, type ReplayCommandOptions } from './replayCommand.ts';
import { showItl, type ShowItlOptions } from './showItl.ts';

/** The incident `npm start` replays when given no arguments. */
export const BUNDLED_INCIDENT = fileURLToPath(new URL('../examples/seed-incident.jsonl', import.meta.url));

/** Where `npm start` writes the HTML report of the bundled incident (relative to the working directory). */
export const BUNDLED_REPORT = 'out/seed-incident.html';

/** Exit code of a crash: a bug, not bad input (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL_ERROR = 70;

const EXIT_CODES = `
Exit codes:
  0   fine (for show-itl: the file verified; for replay: the log replayed, whatever the phones did)
  1   the checked thing is false (show-itl: the signature does not verify; check: a property that should hold is violated, or an expected failure was not found)
  2   bad input: unreadable or malformed file, unknown command or option
  ${EXIT_INTERNAL_ERROR}  internal error (a bug)`;

/** Sends commander's text, which may hold several lines, to the Io one line at a time. */
function lines(write: (line: string) => void): (text: string) => void {
  return (text) => text.replace(/\n$/, '').split('\n').forEach(write);
}

/** The program with every command; each action stores its command's exit code through `exit`. */
function buildProgram(io: Io, exit: (code: number) => void): Command {
  const program = new Command('itl-model')
    .description("Models how CUCM phones decide whom to trust (ITL, TVS, ITLRecovery, 'utils itl reset').")
    .exitOverride()
    .configureOutput({ writeOut: lines(io.out), writeErr: lines(io.err) })
    .addHelpText('afterAll', EXIT_CODES);

  // Subcommands inherit exitOverride and the output configuration: add them after both are set.
  program
    .command('show-itl')
    .description("print an ITLFile.tlv the way CUCM's `show itl` does and verify its signature")
    .argument('<file>', 'a file in the CUCM TLV format (ITLFile.tlv)')
    .option('--json', 'print JSON instead of the CUCM listing')
    .action(async (file: string, options: ShowItlOptions) => exit(await showItl(file, options, io)));

  program
    .command('replay')
    .description('replay an incident log: timeline, phones, and a diagnosis with the cheapest recovery for every locked phone')
    .argument('<log>', 'an event log (JSON Lines, contract.md §1)')
    .option('--json', 'print the JSON document of contract.md §2.1')
    .option('--out <dir>', 'write DIR/tftp/<node>/ITLFile.tlv and DIR/phones/<phone>/ITLFile.tlv')
    .option('--until <n>', 'stop after event N (1-based)')
    .option('--html <file>', 'write a self-contained HTML report (phone swimlanes, ITL served by each node, diagnosis)')
    .option('--inspect [url]', "drive live actors into Stately's inspector: a local relay, or the relay at URL (ws://...)")
    .option('--inspect-wait', 'with --inspect and no URL: keep the relay open until Ctrl-C')
    .option('--inspect-log <file>', 'write every inspection event as JSON Lines')
    .option('--no-hold-timer', 'model option (what-if): no 5-minute hold timer, as in counterexample (d)')
    .action(async (log: string, options: ReplayCommandOptions) => exit(await replayCommand(log, options, io)));

  program
    .command('check')
    .description('exhaustive (abstract model) and randomized (real crypto) checking of the invariants; counterexamples as JSON Lines')
    .option('--json', 'print { properties, statesExplored, distinctStates, depth, seconds, complete, parts, seed }')
    .option('--depth <n>', 'breadth-first depth bound (default 60: every scope empties its frontier first)')
    .option('--product', 'explore all phones together as one state space instead of per phone configuration')
    .option('--phones <n>', 'phones in the scope, 1-4 (default 3)')
    .option('--nodes <n>', 'nodes in the scope, 2-3 (default 2)')
    .option('--runs <n>', 'random logs replayed with real crypto, 1-10000 (default 20; seed from FC_SEED)')
    .action(async (options: CheckOptions) => exit(await check(options, io)));

  program
    .command('diagram')
    .description('print each state machine as a Mermaid stateDiagram-v2 (or its JSON definition), generated from the machines')
    .option('--machine <name>', 'phone, node or cluster (default: all three)')
    .option('--format <format>', 'mermaid or json', 'mermaid')
    .option('--out <dir>', 'write <machine>.mmd for every machine into DIR (regenerates docs/diagrams)')
    .action(async (options: DiagramOptions) => exit(await diagram(options, io)));

  return program;
}

/** Runs the CLI on arguments (without `node` and the script) and returns the exit code; owns no process state. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  if (argv.length === 0) {
    // `npm start` with no arguments: the main job on the bundled incident.
    const incident = relative(process.cwd(), BUNDLED_INCIDENT);
    io.out(`itl-model: no arguments, so replaying the bundled incident ${incident} (itl-model --help lists the commands)`);
    io.out('');
    await io.mkdir('out');
    const code = await replayCommand(incident, { html: BUNDLED_REPORT }, io);
    io.out('');
    io.out(`HTML report: ${BUNDLED_REPORT} (open it in a browser; it needs no network)`);
    io.out(`Watch it in Stately's inspector: npm start -- replay ${incident} --inspect --inspect-wait`);
    return code;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end with exit code 0; every usage error is bad input.
    return error.exitCode === 0 ? 0 : 2;
  }
  return code;
}

/** True when this module is the program (tsx cli/main.ts, or bin/itl-model.mjs which imports it), not imported by a test. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    const real = realpathSync(script);
    const here = realpathSync(fileURLToPath(import.meta.url));
    const launcher = realpathSync(fileURLToPath(new URL('../bin/itl-model.mjs', import.meta.url)));
    return real === here || real === launcher;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  try {
    process.exitCode = await run(process.argv.slice(2), nodeIo);
  } catch (error) {
    nodeIo.err(`itl-model: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = EXIT_INTERNAL_ERROR;
  }
}
