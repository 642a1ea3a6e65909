/**
 * The spec's invariants: the abstract side of the registry's properties (properties/registry.ts), a
 * check over a state (`state`) or over a transition (`step`), returning why it is violated or null.
 * Each is stated on its own terms, not through the rules it checks (rules.ts `decide`), so a wrong
 * rule shows. None reads `SpecPhone.lastDecision` (no part of a state's identity).
 */
import { HOLD_SECONDS, NO_KEY, NO_NODE, PUBLISHER, type Key } from './constants.ts';
import type { SpecStep } from './effects.ts';
import type { SpecEvent } from './events.ts';
import type { SpecScope } from './scope.ts';
import type { SpecItl, SpecPhone, SpecState } from './state.ts';
import { specStep } from './step.ts';

/** The abstract check of a property. */
export interface AbstractCheck {
  state?: (s: SpecState, scope: SpecScope) => string | null;
  step?: (before: SpecState, e: SpecEvent, after: SpecStep, scope: SpecScope) => string | null;
  /** For a state that violates `state`: the events that show the violation when appended to its trace. */
  witness?: (s: SpecState, scope: SpecScope) => SpecEvent[];
}

/** Which phones `utils itl reset` (signing with `key`) must recover, of those powered on, holding an ITL, booting from a genuine node. */
type Eligible = (s: SpecState, phone: SpecPhone, key: Key) => boolean;

/** A recovery failure: why, and the events that show it (the reset, Reset all, and maybe the later TFTP restart and Reset all). */
interface Failure {
  reason: string;
  witness: SpecEvent[];
}

const after = (s: SpecState, scope: SpecScope, events: SpecEvent[]): SpecState =>
  events.reduce((x, e) => specStep(x, scope, e).state, s);

function recovery(s: SpecState, scope: SpecScope, eligible: Eligible): Failure | null {
  // `utils itl reset` exists from 10.0(1): the property speaks of 10.x clusters.
  if (s.pre10) return null;
  const modes: Array<{ e: SpecEvent; key: Key }> = [{ e: { kind: 'itlReset', node: PUBLISHER }, key: s.itlRecovery }];
  if (s.backup !== NO_KEY && s.backupOpens) modes.push({ e: { kind: 'itlResetRemote' }, key: s.backup });
  for (const { e, key } of modes) {
    const phones = s.phones
      .map((p, i) => {
        const genuine = s.nodes[p.pendingTftp !== NO_NODE ? p.pendingTftp : p.tftp]!.attacker === NO_KEY;
        return p.added && p.online && p.itl && genuine && eligible(s, p, key) ? i : -1;
      })
      .filter((i) => i >= 0);
    if (phones.length === 0) continue;
    const shown: SpecEvent[] = [e, { kind: 'devicesReset' }];
    const first = after(s, scope, shown);
    const bad = phones.find((i) => first.phones[i]!.trust !== 'trusted');
    if (bad !== undefined)
      return { reason: `phone ${bad} not trusted after ${e.kind} + devices.reset`, witness: shown };
    for (const i of phones) {
      const later: SpecEvent[] = [{ kind: 'tftpRestart', node: first.phones[i]!.tftp }, { kind: 'devicesReset' }];
      if (after(first, scope, later).phones[i]!.trust !== 'trusted')
        return {
          reason: `phone ${i} not trusted after a later tftp.restart + devices.reset`,
          witness: [...shown, ...later],
        };
    }
  }
  return null;
}

/** The headline's phones: the ITLRECOVERY record of the installed ITL is the key the reset signs with. */
const headline: Eligible = (_, p, key) => key !== NO_KEY && p.itl!.itlRecovery === key;

/** The headline over the abstract model. */
export const recoveryWithItlRecovery: AbstractCheck = {
  state: (s, scope) => recovery(s, scope, headline)?.reason ?? null,
  witness: (s, scope) => recovery(s, scope, headline)?.witness ?? [],
};

/** Whether two ITLs hold the same keys (most steps keep the very same object). Pure. */
function sameItl(a: SpecItl, b: SpecItl): boolean {
  if (a === b) return true;
  if (
    a.signer !== b.signer ||
    a.sastA !== b.sastA ||
    a.sastB !== b.sastB ||
    a.itlRecovery !== b.itlRecovery ||
    a.forged !== b.forged ||
    a.bad !== b.bad
  )
    return false;
  return a.tvs.every((k, t) => k === b.tvs[t]);
}

/** The keys the cluster holds now (A1: what its TVS store knows). Pure. */
function clusterKeys(s: SpecState): Set<Key> {
  return new Set([s.itlRecovery, ...s.nodes.flatMap((n) => [n.callManager, n.tvs])].filter((k) => k !== NO_KEY));
}

/**
 * Why a phone that held `old` may not have installed `now` (null when it may): the file must be
 * intact and the cluster's (not forged), and its signer either a SAST record of `old` or a key the
 * cluster holds, vouched for by a TVS whose key `old` lists and the phone's TVS list names.
 */
function unverified(s: SpecState, tvsList: number[], old: SpecItl, now: SpecItl): string | null {
  if (now.forged) return 'replaced its ITL with a forged one';
  if (now.bad) return 'installed an ITL whose signature does not verify';
  if (now.signer === old.sastA || now.signer === old.sastB) return null;
  const reachable = tvsList.some((t) => old.tvs.includes(s.nodes[t]!.tvs));
  return reachable && clusterKeys(s).has(now.signer)
    ? null
    : 'installed an ITL that neither a SAST record of its old ITL nor an authenticated TVS vouched for';
}

/** The security property over transitions: an ITL changes (but by an erase) only to one verified as R2 or R3 require. */
export const noUnverifiedItl: AbstractCheck = {
  step: (before, e, after, scope) => {
    for (const [i, p] of after.state.phones.entries()) {
      const old = before.phones[i]!;
      if (!old.itl || !p.itl || sameItl(p.itl, old.itl) || e.kind === 'deleteItl') continue;
      const why = unverified(after.state, scope.configs[i]!.tvs, old.itl, p.itl);
      if (why) return `phone ${i} ${why}`;
    }
    return null;
  },
};

/** The hold timer: no accepted regeneration on a node whose timer runs. */
export const holdTimer: AbstractCheck = {
  step: (_b, _e, after) =>
    after.regenWithinHold ? `two accepted regenerations on one node within ${HOLD_SECONDS} s` : null,
};

/** The desired property of the system, a known weakness: every powered-on phone with an ITL recovers. */
export const recoveryForEveryPhone: AbstractCheck = {
  state: (s, scope) => recovery(s, scope, () => true)?.reason ?? null,
  witness: (s, scope) => recovery(s, scope, () => true)?.witness ?? [],
};

/** Trust on first use, a known weakness: the desired property that no phone holds a forged ITL. */
export const noForgedItl: AbstractCheck = {
  state: (s) => {
    const i = s.phones.findIndex((p) => p.itl !== null && p.itl.forged);
    return i >= 0 ? `phone ${i} holds a forged ITL` : null;
  },
};

/**
 * The hold timer's purpose (§7: phones reset after the first regeneration are back before the
 * second; "the phone has its secondary method to authenticate files"): while the only events are
 * phones plugged in, `set cert regen` and time passing, no boot locks a phone. Checked over that
 * alphabet only; read on the step that booted the phone (SpecStep.locked), since the abstraction
 * keeps trust only as "has an ITL" (explorer/canonical.ts step 5).
 */
export const regenerationsKeepTrust: AbstractCheck = {
  step: (_b, _e, after) => (after.locked >= 0 ? `phone ${after.locked} locked by regenerations alone` : null),
};
