import { replay } from '../machines/replay.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import { stateHazards, type HazardKind } from '../model/cluster/hazards.ts';
import type { Alert } from '../model/cluster/step.ts';
import { install, logOf, run, type Line } from './scenario.ts';

/*
 * The scenarios and lookups of the hazards' tests (model/cluster/hazards*.test.ts): phones with a
 * single TVS, the alerts of a replay, the states it passes through, and three clusters where a
 * hazard holds (a stranded phone on 15, a device without SBD that missed a CTL, ITLs without
 * ITLRecovery after an upgrade).
 */

export const A: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] };
export const B: Line = { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub'] };
export const C: Line = { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] };
export const D: Line = { type: 'phone.add', phone: 'SEP00000000000D', tftp: 'sub', tvs: ['sub'] };
export const J: Line = { type: 'phone.add', phone: 'CSFJABBER', tftp: 'pub', sbd: false };
export const regen = (node: string, cert: string, after = 6): Line => ({ type: 'cert.regenerate', node, cert, after });
export const reset = (phone: string): Line => ({ type: 'phone.reset', phone });
export const manual: Line = { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' };
export const mixed: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' };
export const nonSecure: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'non-secure' };
export const DAY = 86_400_000;

/** Every hazard alert of a scenario, as [event number, kind, who]; `keep`: a replay that keeps its contexts (no phone written in place). */
export function hazards(lines: Line[], keep = false): Array<[number, string, string[]]> {
  return run(lines, { keepContexts: keep }).reports.flatMap((r) =>
    r.alerts
      .filter((a): a is Exclude<Alert, { kind: 'itlrecovery-not-backed-up' }> => a.kind !== 'itlrecovery-not-backed-up')
      .map((a): [number, string, string[]] => [r.event, a.kind, a.phones ?? a.nodes ?? []]),
  );
}

/** The states after each event of a replay that keeps them (arrays never written in place), and each event's time. */
export function states(lines: Line[]): Array<{ state: ClusterState; at: string }> {
  const events = logOf(lines);
  return replay(events, { keepContexts: true }).contexts!.map((c, i) => ({ state: c.cluster!, at: events[i]!.at }));
}

/** The phones a state hazard is about, by kind (absent: not raised). */
export function held(state: ClusterState, at: string): Partial<Record<HazardKind, string[]>> {
  return Object.fromEntries(stateHazards(state, at).map((h) => [h.kind, h.phones ?? h.nodes ?? []]));
}

export const phone = (state: ClusterState, id: string): PhoneState => state.phones.find((p) => p.id === id)!;

/** 15 with manual phone interaction: both TVS and ITLRecovery regenerated, no phone reset. B (on sub) is stranded; A knows the publisher's CallManager. */
export const STRANDED15: Line[] = [
  install({ version: '15' }),
  A,
  B,
  manual,
  regen('pub', 'TVS'),
  regen('sub', 'TVS'),
  regen('pub', 'ITLRecovery'),
];

/** 12.5 mixed mode: the CTL rewritten after an ITLRecovery regeneration, which the device without SBD does not know. */
export const BLIND: Line[] = [
  install({ version: '12.5(1)SU3' }),
  J,
  A,
  mixed,
  { type: 'devices.reset' },
  regen('pub', 'ITLRecovery'),
  { type: 'ctl.update', node: 'pub' },
];

/** 9.1 → 12.0: C's and D's ITLs have no ITLRECOVERY record. */
export const OLD_ITLS: Line[] = [install({ version: '9.1(2)' }), C, D, { type: 'cluster.upgrade', version: '12.0(1)' }];
