import { applyR, type REvent, type RStep } from './referenceEvents.ts';
import { ITL, type RItl, type RScope, type RState } from './referenceModel.ts';

/**
 * The abstract side of a registry property (properties/registry.ts): a check over a state (`state`)
 * or over a transition (`step`) of the abstract model, returning why it is violated or null. Each is
 * stated on its own terms, not through the rules it checks (`decide`), so a wrong rule shows.
 */
export interface AbstractCheck {
  state?: (s: RState, scope: RScope) => string | null;
  step?: (before: RState, e: REvent, after: RStep, scope: RScope) => string | null;
  /** For a state that violates `state`: the events that show the violation when appended to its trace. */
  witness?: (s: RState, scope: RScope) => REvent[];
}

/** Which phones `utils itl reset` (with key `k`) must recover: powered on, holding an ITL, booting from a genuine node. */
type Eligible = (s: RState, phone: RState['phones'][number], key: number) => boolean;

/** A recovery failure: why, and the events that show it (the reset, Reset all, and maybe the later TFTP restart and Reset all). */
interface Failure {
  reason: string;
  witness: REvent[];
}

function recovery(s: RState, scope: RScope, eligible: Eligible): Failure | null {
  // `utils itl reset` exists from 10.0(1): the property speaks of 10.x clusters.
  if (s.pre10) return null;
  const modes: Array<{ e: REvent; key: number }> = [{ e: { t: 'itlReset', n: 0 }, key: s.pubItlr }];
  if (s.backup >= 0 && s.backupOpens) modes.push({ e: { t: 'itlResetRemote' }, key: s.backup });
  for (const { e, key } of modes) {
    const phones = s.phones
      .map((p, i) =>
        p.added && p.online && p.itl && s.nodes[p.pending >= 0 ? p.pending : p.tftp]!.forged < 0 && eligible(s, p, key)
          ? i
          : -1,
      )
      .filter((i) => i >= 0);
    if (phones.length === 0) continue;
    const shown: REvent[] = [e, { t: 'devicesReset' }];
    const first = applyR(applyR(s, scope, e).state, scope, { t: 'devicesReset' }).state;
    const bad = phones.find((i) => first.phones[i]!.trust !== 1);
    if (bad !== undefined) return { reason: `phone ${bad} not trusted after ${e.t} + devices.reset`, witness: shown };
    for (const i of phones) {
      const restart: REvent = { t: 'tftpRestart', n: first.phones[i]!.tftp };
      const again = applyR(applyR(first, scope, restart).state, scope, { t: 'devicesReset' }).state;
      if (again.phones[i]!.trust !== 1)
        return {
          reason: `phone ${i} not trusted after a later tftp.restart + devices.reset`,
          witness: [...shown, restart, { t: 'devicesReset' }],
        };
    }
  }
  return null;
}

/** The headline's phones: the ITLRECOVERY record of the installed ITL is the key the reset signs with. */
const headline: Eligible = (_, p, key) => key >= 0 && p.itl![ITL.itlr] === key;

/** The headline over the abstract model. */
export const recoveryWithItlRecovery: AbstractCheck = {
  state: (s, scope) => recovery(s, scope, headline)?.reason ?? null,
  witness: (s, scope) => recovery(s, scope, headline)?.witness ?? [],
};

/** Whether two ITLs hold the same keys (most steps keep the very same array). Pure. */
function sameItl(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** The keys the cluster holds now (A1: what its TVS store knows). Pure. */
function clusterKeys(s: RState): Set<number> {
  return new Set([s.pubItlr, ...s.nodes.flatMap((n) => [n.cm, n.tvs])].filter((k) => k >= 0));
}

/**
 * Why a phone that held `old` may not have installed `now` (null when it may): the file must be
 * intact and the cluster's (not forged), and its signer either a SAST record of `old` or a key the
 * cluster holds, vouched for by a TVS whose key `old` lists and the phone's TVS list names.
 */
function unverified(s: RState, tvsList: number[], old: RItl, now: RItl): string | null {
  if (now[ITL.forged] === 1) return 'replaced its ITL with a forged one';
  if (now[ITL.bad] === 1) return 'installed an ITL whose signature does not verify';
  const signer = now[ITL.signer]!;
  if (signer === old[ITL.sastA] || signer === old[ITL.sastB]) return null;
  const pinned = old.slice(ITL.tvs);
  const reachable = tvsList.some((t) => pinned.includes(s.nodes[t]!.tvs));
  return reachable && clusterKeys(s).has(signer)
    ? null
    : 'installed an ITL that neither a SAST record of its old ITL nor an authenticated TVS vouched for';
}

/** The security property over transitions: an ITL changes (but by an erase) only to one verified as R2 or R3 require. */
export const noUnverifiedItl: AbstractCheck = {
  step: (before, e, after, scope) => {
    for (const [i, p] of after.state.phones.entries()) {
      const old = before.phones[i]!;
      if (!old.itl || !p.itl || sameItl(p.itl, old.itl) || e.t === 'deleteItl') continue;
      const why = unverified(after.state, scope.configs[i]!.tvs, old.itl, p.itl);
      if (why) return `phone ${i} ${why}`;
    }
    return null;
  },
};

/** The hold timer: no accepted regeneration on a node whose timer runs. */
export const holdTimer: AbstractCheck = {
  step: (_b, _e, after) => (after.regenWithinHold ? 'two accepted regenerations on one node within 300 s' : null),
};

/** The desired property of the system, a known weakness: every powered-on phone with an ITL recovers. */
export const recoveryForEveryPhone: AbstractCheck = {
  state: (s, scope) => recovery(s, scope, () => true)?.reason ?? null,
  witness: (s, scope) => recovery(s, scope, () => true)?.witness ?? [],
};

/** Trust on first use, a known weakness: the desired property that no phone holds a forged ITL. */
export const noForgedItl: AbstractCheck = {
  state: (s) => {
    const i = s.phones.findIndex((p) => p.itl !== null && p.itl[ITL.forged] === 1);
    return i >= 0 ? `phone ${i} holds a forged ITL` : null;
  },
};

/**
 * The hold timer's purpose (§4.2: phones reset after the first regeneration are back before the
 * second; "the phone has its secondary method to authenticate files"): while the only events are
 * phones plugged in, `set cert regen` and time passing, no boot locks a phone. Checked over that
 * alphabet only; read on the step that booted the phone (RStep.locked), since the abstraction keeps
 * trust only as "has an ITL" (canonical.ts step 5).
 */
export const regenerationsKeepTrust: AbstractCheck = {
  step: (_b, _e, after) => (after.locked >= 0 ? `phone ${after.locked} locked by regenerations alone` : null),
};
