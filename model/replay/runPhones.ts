import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { indexOfPhone, ownPhones, setPhone } from '../cluster/phoneTable.ts';
import { bootOf, ctlBootOf, phoneTrust } from '../trust/boot.ts';
import type { PhoneEvent } from '../trust/phoneStep.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import type { Engine } from './engine.ts';
import { Decisions } from './phoneShape.ts';

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

/** The phones a step acts on: erased (ITL, CTL), then booted, then sent an automatic reset that ends at `until` (A14). */
export interface PhoneActions {
  erase: string[];
  eraseCtl?: string[];
  boots: string[];
  restarts: string[];
  until?: string;
}

/**
 * Erases, boots, then restarts the phones a step names, each decided by the engine; returns the new
 * state and what happened. A boot is the CTL step when the phone's TFTP node serves a CTL (mixed
 * mode: the CTL comes first, SECMIG), then the ITL step, which reads the CTL the phone now holds.
 * Locked, still locked and recovered are the phone's two regions together (`phoneTrust`). Pure.
 */
export function runPhones(
  state: ClusterState,
  actions: PhoneActions,
  event: number,
  crypto: TrustCrypto,
  engine: Engine,
): { state: ClusterState; outcome: PhoneOutcome } {
  const { erase, boots, restarts } = actions;
  const eraseCtl = actions.eraseCtl ?? [];
  if (erase.length === 0 && eraseCtl.length === 0 && boots.length === 0 && restarts.length === 0)
    return { state, outcome: NO_OUTCOME };
  // In an owning fold the phones are written in place, found by their table (model/cluster/phoneTable.ts).
  const owned = ownPhones(state);
  const phones = owned ?? state.phones.slice();
  // Without a table, a map pays off only for bulk resets; one or two phones are found faster by a scan.
  const many = !owned && erase.length + eraseCtl.length + boots.length + restarts.length > 8;
  const map = many ? new Map(phones.map((p, i) => [p.id, i])) : undefined;
  const index = (id: string) => (map ? map.get(id)! : indexOfPhone(phones, id));
  // Phones alike decide alike (model/replay/phoneShape.ts): each shape of phone is decided once in
  // this step, unless an observer must see every phone's transition (the inspector).
  const decisions = engine.observed ? undefined : new Decisions(event);
  const decide = (phone: PhoneState, kind: string, run: () => PhoneState): PhoneState =>
    decisions ? decisions.decide(phone, kind, run) : run();
  const update = (id: string, event: Exclude<PhoneEvent, { type: 'BOOT' | 'CTL' }>) => {
    const i = index(id);
    const phone = phones[i]!;
    setPhone(
      phones,
      i,
      decide(phone, event.type, () => engine.phone(phone, event)),
    );
  };
  const outcome: PhoneOutcome = { booted: boots, locked: [], stillLocked: [], recovered: [], updated: [] };
  for (const id of erase) update(id, { type: 'ERASE' });
  for (const id of eraseCtl) update(id, { type: 'ERASE_CTL' });
  const current = { ...state, phones };
  for (const id of boots) {
    const i = index(id);
    const before = phones[i]!;
    const after = decide(before, 'BOOT', () => {
      const ctl = ctlBootOf(current, before, event, crypto);
      const middle = ctl ? engine.phone(before, { type: 'CTL', boot: ctl }) : before;
      const boot = bootOf(current, middle, event, crypto, before.ctl !== undefined);
      return engine.phone(middle, { type: 'BOOT', boot });
    });
    setPhone(phones, i, after);
    if (phoneTrust(after) === 'locked')
      (phoneTrust(before) === 'locked' ? outcome.stillLocked : outcome.locked).push(id);
    if (after.recoveredAt === event && before.recoveredAt !== event) outcome.recovered.push(id);
    if (after.itl !== before.itl) outcome.updated.push(id);
  }
  for (const id of restarts) update(id, { type: 'RESTART', until: actions.until! });
  return { state: current, outcome };
}
