/**
 * The exhaustive scopes of `check`: the release and security mode each speaks of, and the events it
 * takes. The 10.x scope takes every event. The 12.5 scopes take the events whose behaviour changes
 * from 12.0 or exists only there; the events that behave in 12.5 as in 10.x and multiply its state
 * space by tens (an attacker's TFTP, a corrupted transfer, renames and domain changes, a rebuilt
 * publisher, upgrades within the release; in mixed mode also `utils itl reset` and the p12) are
 * explored in the 10.x scope only. A small 11.5 mixed-mode scope covers the CTL before 12.0 and the
 * refresh upgrade to 12.5(1)SU2. The spec has them all: the model-based test runs every event in the
 * 12.5 scopes against the machines.
 */
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { Property } from './registry.ts';
import { PROPERTIES } from './registry.ts';
import { MIXED_KINDS, type Alphabet, type EventKind, type EventLabel } from './spec/events.ts';
import { DEFAULT_SWITCHES, scopeOf, type ScopeOptions, type SpecScope, type SpecSwitches } from './spec/scope.ts';

/** One exhaustive scope of `check`. */
export interface CheckScope {
  /** How reports name it. */
  name: string;
  /** Its release and mode (the switches come from the command line). */
  options: ScopeOptions;
  /** The events it takes (absent: every event of the scope). */
  alphabet?: Alphabet;
}

/** The 12.5 non-secure scope's events. */
export const ALPHABET_12_5: Alphabet = new Set<EventLabel>([
  'add',
  'reset',
  'deleteItl',
  'power',
  'phoneTftp',
  'regen:CallManager',
  'regen:TVS',
  'regen:CAPF',
  'regen:ITLRecovery',
  'tftpRestart',
  'itlReset',
  'backup',
  'itlResetRemote',
  'password',
  'devicesReset',
  'wait',
  'back',
]);

/** The 12.5 mixed-mode scope's events. */
export const ALPHABET_12_5_MIXED: Alphabet = new Set<EventLabel>([
  'add',
  'reset',
  'deleteItl',
  'deleteCtl',
  'power',
  'phoneTftp',
  'regen:CallManager',
  'regen:TVS',
  'regen:CAPF',
  'regen:ITLRecovery',
  'tftpRestart',
  'ctlSetCluster',
  'ctlUpdate',
  'ctlReset',
  'devicesReset',
  'wait',
  'back',
]);

/**
 * The 11.5 mixed-mode scope's events: the CTL before 12.0 (signed by the publisher's CallManager, a
 * CCM+TFTP record per node, rescued by TVS: C2) and the refresh upgrade to 12.5(1)SU2 (FN70613). Only
 * the events that change or read that CTL: the 12.5 mixed-mode scope has the rest after the upgrade.
 */
export const ALPHABET_11_5_MIXED: Alphabet = new Set<EventLabel>([
  'add',
  'reset',
  'power',
  'deleteCtl',
  'regen:CallManager',
  'regen:TVS',
  'tftpRestart',
  'ctlSetCluster',
  'ctlUpdate',
  'ctlReset',
  'upgrade',
  'devicesReset',
  'wait',
  'back',
]);

/** The scopes `check` explores to an empty frontier by default, in this order. */
export const CHECK_SCOPES: readonly CheckScope[] = [
  { name: '10.x', options: {} },
  { name: '12.5 non-secure', options: { release: '12.5' }, alphabet: ALPHABET_12_5 },
  { name: '12.5 mixed mode', options: { release: '12.5', mixed: true }, alphabet: ALPHABET_12_5_MIXED },
  {
    name: '11.5 mixed mode to 12.5(1)SU2',
    options: { release: '12.5', mixed: true, pre12: true },
    alphabet: ALPHABET_11_5_MIXED,
  },
];

/** The spec's part of model options: the hold timer and the switches A17–A19 (A15 concerns 12.0, which no scope has). Pure. */
export function scopeSwitches(options: Partial<ModelOptions>): ScopeOptions {
  const out: ScopeOptions = {};
  if (options.holdTimer === false) out.holdTimer = false;
  for (const k of Object.keys(DEFAULT_SWITCHES) as Array<keyof SpecSwitches>)
    if (options[k] !== undefined) out[k] = options[k];
  return out;
}

/** The spec scope of a check scope, with the model options given (the command line's switches). Pure. */
export function specScopeOf(
  c: CheckScope,
  nodes: number,
  phones: number,
  options: Partial<ModelOptions> = {},
): SpecScope {
  return scopeOf(nodes, phones, { ...c.options, ...scopeSwitches(options) });
}

/** The intersection of two alphabets (absent: every event). Pure. */
function intersect(a: Alphabet | undefined, b: Alphabet | undefined): Alphabet | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((l) => b.has(l)));
}

/**
 * The runs of a check scope: the properties expected to hold with an abstract check that speak of
 * its release, grouped by the alphabet each speaks of (intersected with the scope's). In mixed mode
 * a property whose own alphabet has no `utils ctl` event is left out: its run would be the
 * non-secure scope's again. Pure.
 */
export function scopeGroups(
  c: CheckScope,
): Array<{ alphabet: Alphabet | undefined; own: boolean; properties: Property[] }> {
  const release = c.options.release ?? '10.x';
  const groups = new Map<Alphabet | undefined, Property[]>();
  for (const p of PROPERTIES.filter((x) => x.abstract && x.expectedToHold)) {
    if (p.releases && !p.releases.includes(release)) continue;
    if (c.options.mixed && p.alphabet && ![...p.alphabet].some((l) => MIXED_KINDS.has(l as EventKind))) continue;
    groups.set(p.alphabet, [...(groups.get(p.alphabet) ?? []), p]);
  }
  return [...groups].map(([alphabet, properties]) => ({
    alphabet: intersect(alphabet, c.alphabet),
    own: alphabet !== undefined,
    properties,
  }));
}
