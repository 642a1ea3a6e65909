import type { Command } from 'commander';
import type { ModelOptions } from '../model/cluster/clusterState.ts';

/**
 * The model's switches as command-line flags of `replay` and `check` (docs/rules.md §14, §19): each
 * names an assumption where the sources disagree and gives the other reading. `--no-hold-timer` is
 * commander's negation of `holdTimer`; the others set their option to `value`.
 */
export const SWITCHES = [
  {
    flag: '--conservative-tvs',
    option: 'tvsVouchesOwnItlRecovery',
    value: false,
    help: "A17/X1: TVS does not vouch for the cluster's own ITLRecovery (the conservative reading; default: it does)",
  },
  {
    flag: '--itl-recovery-per-node',
    option: 'itlRecoveryPerNode12_0',
    value: true,
    help: "A15: in 12.0 each node's own ITLRecovery signs its ITL (default: the publisher's signs every node's)",
  },
  {
    flag: '--no-shared-sast-pool',
    option: 'sharedSastPool',
    value: false,
    help: "A18/Q4: a CTL is anchored by the installed CTL's SAST records only, an ITL by the CTL's (default: one pool with the ITL's)",
  },
  {
    flag: '--itl-via-tvs-with-ctl',
    option: 'itlViaTvsWithCtl',
    value: true,
    help: 'A18: from 12.0 a phone holding a CTL may still accept an ITL through TVS (default: it may not, I3)',
  },
  {
    flag: '--ctl-tvs-rescue-own',
    option: 'ctlTvsRescueOwn',
    value: true,
    help: "A19: from 12.0 TVS may vouch for the cluster's own certificates as CTL signers (default: it may not)",
  },
] as const satisfies ReadonlyArray<{ flag: string; option: keyof ModelOptions; value: boolean; help: string }>;

/** The flags' values as commander gives them (camelCased flag names), and --no-hold-timer. */
export type SwitchFlags = { holdTimer?: boolean } & Partial<Record<FlagKey, boolean>>;

type FlagKey = 'conservativeTvs' | 'itlRecoveryPerNode' | 'sharedSastPool' | 'itlViaTvsWithCtl' | 'ctlTvsRescueOwn';

/** Each switch's key in the flags commander gives. */
export const FLAG_KEYS: Record<(typeof SWITCHES)[number]['flag'], FlagKey> = {
  '--conservative-tvs': 'conservativeTvs',
  '--itl-recovery-per-node': 'itlRecoveryPerNode',
  '--no-shared-sast-pool': 'sharedSastPool',
  '--itl-via-tvs-with-ctl': 'itlViaTvsWithCtl',
  '--ctl-tvs-rescue-own': 'ctlTvsRescueOwn',
};

/** Adds `--no-hold-timer` and every switch to a command. */
export function addSwitches(command: Command): Command {
  command.option('--no-hold-timer', 'model option (what-if): no 5-minute hold timer, as in counterexample (d)');
  for (const s of SWITCHES) command.option(s.flag, `model option: ${s.help}`);
  return command;
}

/** The model options the flags ask for: only the switches changed from their defaults. Pure. */
export function switchOptions(flags: SwitchFlags): Partial<ModelOptions> {
  const options: Partial<ModelOptions> = {};
  if (flags.holdTimer === false) options.holdTimer = false;
  for (const s of SWITCHES) {
    const given = flags[FLAG_KEYS[s.flag]];
    // commander gives a `--no-x` flag as `x: false` when it is used (and `x: true` otherwise).
    if (s.flag.startsWith('--no-') ? given === false : given === true) options[s.option] = s.value;
  }
  return options;
}

/** The flags that give these options (for the counterexamples `check` prints, and the reports). Pure. */
export function switchFlags(options: Partial<ModelOptions>): string[] {
  const flags: string[] = [];
  if (options.holdTimer === false) flags.push('--no-hold-timer');
  for (const s of SWITCHES) if (options[s.option] === s.value) flags.push(s.flag);
  return flags;
}
