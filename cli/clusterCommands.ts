/**
 * The commands that read what a real cluster holds rather than run an event log: a cluster folder
 * (snapshot, fleet, preflight) or two of its trust files (diff). They share no option with the model's
 * commands (no model switches, no whole-number limits), so they are a module of their own; cli/main.ts
 * adds them to the program in its help order. Each action loads its command's module only when it runs.
 */
import type { Command } from 'commander';
import type { Io } from './io.ts';

/** Adds snapshot, fleet, diff and preflight to `program`, in that order; each stores its exit code through `exit`. */
export function addClusterCommands(program: Command, io: Io, exit: (code: number) => void): void {
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
    .command('fleet')
    .description(
      "what each phone of a cluster folder trusts (its ITL's signer, SAST and TVS records, the current ITLRecovery) and its class: what its next boot does and what would bring it back",
    )
    .argument('<dir>', 'a cluster folder (docs/cluster-folder.md)')
    .option('--json', 'print the fleet as one JSON document (refused folders: { "error": [...] })')
    .option('--csv', 'print one CSV row per phone, for a spreadsheet')
    .addHelpText('after', '\nExit status: 0 the folder was read; 2 it cannot be.')
    .action(async (dir: string, options: { json?: boolean; csv?: boolean }) =>
      exit(await (await import('./fleetCommand.ts')).fleetCommand(dir, options, io)),
    );

  program
    .command('diff')
    .description(
      'compare two ITL or CTL files (binary or show itl text) record by record, and say what a phone holding A does when offered B',
    )
    .argument(
      '<a>',
      'the file the phone holds: ITLFile.tlv, CTLFile.tlv or a show itl / show ctl listing, at most 1 MiB',
    )
    .argument('<b>', 'the file it is offered')
    .option('--json', 'print the diff as one JSON document (refused files: { "error": [...] })')
    .addHelpText('after', '\nExit status: 0 both files were read; 2 either cannot be.')
    .action(async (a: string, b: string, options: { json?: boolean }) =>
      exit(await (await import('./diffCommand.ts')).diffCommand(a, b, options, io)),
    );

  program
    .command('preflight')
    .description(
      'the hazards a cluster folder shows (H1-H13 of docs/rules.md on the imported cluster, F1-F6 from the folder), each with its severity, evidence and phones',
    )
    .argument('<dir>', 'a cluster folder (docs/cluster-folder.md)')
    .option('--json', 'print the hazards as one JSON document (refused folders: { "error": [...] })')
    .option('--at <time>', "judge validity at this ISO 8601 time (default: the newest TIMESTAMP of the folder's files)")
    .addHelpText(
      'after',
      '\nExit status: 0 no high-severity hazard; 1 high-severity hazards found (a change should wait); 2 the folder cannot be read.',
    )
    .action(async (dir: string, options: { json?: boolean; at?: string }) =>
      exit(await (await import('./preflightCommand.ts')).preflightCommand(dir, options, io)),
    );
}
