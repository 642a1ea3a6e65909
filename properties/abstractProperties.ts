import { applyR, type REvent, type RStep } from './referenceEvents.ts';
import { ITL, tvsVouches, type RScope, type RState } from './referenceModel.ts';

/** An abstract property: over a state (`state`) or over a transition (`step`); returns a violation or null. */
export interface AbstractProperty {
  name: string;
  expectedToHold: boolean;
  state?: (s: RState, scope: RScope) => string | null;
  step?: (before: RState, e: REvent, after: RStep, scope: RScope) => string | null;
}

/** Which phones `utils itl reset` (with key `k`) must recover: powered on, holding an ITL, booting from a genuine node. */
type Eligible = (s: RState, phone: RState['phones'][number], key: number) => boolean;

function recovery(s: RState, scope: RScope, eligible: Eligible): string | null {
  // `utils itl reset` exists from 10.0(1): the property speaks of 10.x clusters.
  if (s.pre10) return null;
  const modes: Array<{ e: REvent; key: number }> = [{ e: { t: 'itlReset', n: 0 }, key: s.pubItlr }];
  if (s.backup >= 0 && s.backupOpens) modes.push({ e: { t: 'itlResetRemote' }, key: s.backup });
  for (const { e, key } of modes) {
    const phones = s.phones.map((p, i) => (p.added && p.online && p.itl && s.nodes[p.pending >= 0 ? p.pending : p.tftp]!.forged < 0 && eligible(s, p, key) ? i : -1)).filter((i) => i >= 0);
    if (phones.length === 0) continue;
    const first = applyR(applyR(s, scope, e).state, scope, { t: 'devicesReset' }).state;
    const bad = phones.find((i) => first.phones[i]!.trust !== 1);
    if (bad !== undefined) return `phone ${bad} not trusted after ${e.t} + devices.reset`;
    for (const i of phones) {
      const again = applyR(applyR(first, scope, { t: 'tftpRestart', n: first.phones[i]!.tftp }).state, scope, { t: 'devicesReset' }).state;
      if (again.phones[i]!.trust !== 1) return `phone ${i} not trusted after a later tftp.restart + devices.reset`;
    }
  }
  return null;
}

/** The headline over the abstract model (same statement as invariants.ts `recoveryWithItlRecovery`). */
export const recoveryWithItlRecovery: AbstractProperty = {
  name: 'recoveryWithItlRecovery',
  expectedToHold: true,
  state: (s, scope) => recovery(s, scope, (_, p, key) => key >= 0 && p.itl![ITL.itlr] === key),
};

/** The security property: an ITL changes only by R2 or an authenticated R3, and never to a forged one. */
export const noUnverifiedItl: AbstractProperty = {
  name: 'noUnverifiedItl',
  expectedToHold: true,
  step: (before, e, after, scope) => {
    for (const [i, p] of after.state.phones.entries()) {
      const old = before.phones[i]!;
      if (!old.itl || !p.itl || p.itl.join() === old.itl.join() || e.t === 'deleteItl') continue;
      if (p.itl[ITL.forged]) return `phone ${i} replaced its ITL with a forged one`;
      const signer = p.itl[ITL.signer]!;
      if (signer !== old.itl[ITL.sastA] && signer !== old.itl[ITL.sastB] && !tvsVouches(after.state, scope.configs[i]!.tvs, old.itl, signer)) return `phone ${i} installed an unverified ITL`;
    }
    return null;
  },
};

/** The hold timer: no accepted regeneration on a node whose timer runs. */
export const holdTimer: AbstractProperty = {
  name: 'holdTimer',
  expectedToHold: true,
  step: (_b, _e, after) => (after.regenWithinHold ? 'two accepted regenerations on one node within 300 s' : null),
};

/** The desired property of the system, a known weakness: every powered-on phone with an ITL recovers. */
export const recoveryForEveryPhone: AbstractProperty = {
  name: 'recoveryForEveryPhone',
  expectedToHold: false,
  state: (s, scope) => recovery(s, scope, () => true),
};
