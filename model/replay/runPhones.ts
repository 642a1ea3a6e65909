import type { ClusterState } from '../cluster/clusterState.ts';
import { bootOf } from '../trust/boot.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import type { Engine } from './engine.ts';

/** What the phones did in one step. */
export interface PhoneOutcome {
  booted: string[];
  locked: string[];
  /** Locked phones that booted again and stayed locked (a recovery that did not work). */
  stillLocked: string[];
  recovered: string[];
  updated: string[];
}

/** Nothing happened to any phone. */
export const NO_OUTCOME: PhoneOutcome = { booted: [], locked: [], stillLocked: [], recovered: [], updated: [] };

/** The phones a step acts on: erased, then booted, then sent an automatic reset that ends at `until` (A14). */
export interface PhoneActions {
  erase: string[];
  boots: string[];
  restarts: string[];
  until?: string;
}

/** Erases, boots, then restarts the phones a step names, each decided by the engine; returns the new state and what happened. Pure. */
export function runPhones(
  state: ClusterState,
  actions: PhoneActions,
  event: number,
  crypto: TrustCrypto,
  engine: Engine,
): { state: ClusterState; outcome: PhoneOutcome } {
  const { erase, boots, restarts } = actions;
  if (erase.length === 0 && boots.length === 0 && restarts.length === 0) return { state, outcome: NO_OUTCOME };
  const phones = state.phones.slice();
  // A map pays off only for bulk resets; one or two phones are found faster by a scan.
  const many = erase.length + boots.length + restarts.length > 8;
  const map = many ? new Map(phones.map((p, i) => [p.id, i])) : undefined;
  const index = (id: string) => (map ? map.get(id)! : phones.findIndex((p) => p.id === id));
  const outcome: PhoneOutcome = { booted: boots, locked: [], stillLocked: [], recovered: [], updated: [] };
  for (const id of erase) phones[index(id)] = engine.phone(phones[index(id)]!, { type: 'ERASE' });
  const current = { ...state, phones };
  for (const id of boots) {
    const i = index(id);
    const before = phones[i]!;
    const after = engine.phone(before, { type: 'BOOT', boot: bootOf(current, before, event, crypto) });
    phones[i] = after;
    if (after.trust === 'locked') (before.trust === 'locked' ? outcome.stillLocked : outcome.locked).push(id);
    if (after.recoveredAt === event && before.recoveredAt !== event) outcome.recovered.push(id);
    if (after.itl !== before.itl) outcome.updated.push(id);
  }
  for (const id of restarts)
    phones[index(id)] = engine.phone(phones[index(id)]!, { type: 'RESTART', until: actions.until! });
  return { state: current, outcome };
}
