import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import { bootOf } from '../model/trust/boot.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import { inertScope } from './inertScope.ts';
import { phoneMachine, type PhoneEvent } from './phoneMachine.ts';

const scope = inertScope(phoneMachine);

/** Runs one event through a phone's machine, from its plain state to its next plain state. Pure. */
export function stepPhone(phone: PhoneState, event: PhoneEvent): PhoneState {
  const snapshot = phoneMachine.resolveState({ value: phone.trust, context: phone });
  const next = phoneMachine.transition(snapshot, event, scope);
  // The boot clears these by setting undefined (assign merges): leave the keys out, so a JSON round trip gives the
  // same object. A fresh literal rather than `delete`, which would put every phone object in V8's slow dictionary mode.
  const { pendingTftp, restartingUntil, ...rest } = next.context;
  const after: PhoneState = { ...rest, trust: next.value as PhoneState['trust'] };
  if (pendingTftp !== undefined) after.pendingTftp = pendingTftp;
  if (restartingUntil !== undefined) after.restartingUntil = restartingUntil;
  return after;
}

/** What the phones did in one log event. */
export interface PhoneOutcome {
  booted: string[];
  locked: string[];
  recovered: string[];
  updated: string[];
}

/** The phones a step acts on: erased, then booted, then sent an automatic reset that ends at `until` (A14). */
export interface PhoneActions {
  erase: string[];
  boots: string[];
  restarts: string[];
  until?: string;
}

/** Erases, boots, then restarts the phones a step names, each through the phone machine; returns the new state and what happened. Pure. */
export function runPhones(
  state: ClusterState,
  actions: PhoneActions,
  event: number,
  crypto: TrustCrypto,
): { state: ClusterState; outcome: PhoneOutcome } {
  const { erase, boots, restarts } = actions;
  if (erase.length === 0 && boots.length === 0 && restarts.length === 0)
    return { state, outcome: { booted: [], locked: [], recovered: [], updated: [] } };
  const phones = state.phones.slice();
  // A map pays off only for bulk resets; one or two phones are found faster by a scan.
  const many = erase.length + boots.length + restarts.length > 8;
  const map = many ? new Map(phones.map((p, i) => [p.id, i])) : undefined;
  const index = { get: (id: string) => (map ? map.get(id) : phones.findIndex((p) => p.id === id)) };
  const outcome: PhoneOutcome = { booted: boots, locked: [], recovered: [], updated: [] };
  for (const id of erase) phones[index.get(id)!] = stepPhone(phones[index.get(id)!]!, { type: 'ERASE' });
  const current = { ...state, phones };
  for (const id of boots) {
    const i = index.get(id)!;
    const before = phones[i]!;
    const after = stepPhone(before, { type: 'BOOT', boot: bootOf(current, before, event, crypto) });
    phones[i] = after;
    if (after.trust === 'locked' && before.trust !== 'locked') outcome.locked.push(id);
    if (after.recoveredAt === event && before.recoveredAt !== event) outcome.recovered.push(id);
    if (after.itl !== before.itl) outcome.updated.push(id);
  }
  for (const id of restarts)
    phones[index.get(id)!] = stepPhone(phones[index.get(id)!]!, { type: 'RESTART', until: actions.until! });
  return { state: current, outcome };
}
