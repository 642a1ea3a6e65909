/**
 * The spec's invariants: the abstract side of the registry's properties (properties/registry.ts), a
 * check over a state (`state`) or over a transition (`step`), returning why it is violated or null.
 * Each is stated on its own terms, not through the rules it checks (rules.ts `decide`, `decideCtl`),
 * so a wrong rule shows. None reads `SpecPhone.lastDecision` (no part of a state's identity).
 */
import { HOLD_SECONDS, NO_KEY, NO_NODE, PUBLISHER, type Key } from './constants.ts';
import type { SpecStep } from './effects.ts';
import type { SpecEvent } from './events.ts';
import type { SpecScope } from './scope.ts';
import { trustOf, type SpecCtl, type SpecItl, type SpecPhone, type SpecState } from './state.ts';
import { specStep } from './step.ts';

/** The abstract check of a property. */
export interface AbstractCheck {
  state?: (s: SpecState, scope: SpecScope) => string | null;
  /**
   * A check of one step. It judges what the step did to the phones and what it raised (a rule, a
   * lock, a regeneration within a hold), so a step that changes no phone and raises nothing (an
   * action's that is `clusterOnly`, spec/action.ts) passes it: the packed explorer does not run it
   * there (clusterOnly.prop.test.ts checks every registered one on such steps).
   */
  step?: (before: SpecState, e: SpecEvent, after: SpecStep, scope: SpecScope) => string | null;
  /** For a state that violates `state`: the events that show the violation when appended to its trace. */
  witness?: (s: SpecState, scope: SpecScope) => SpecEvent[];
}

/** Which phones a recovery signing with `key` must recover, of those powered on, holding an ITL (or a CTL), booting from a genuine node. */
type Eligible = (s: SpecState, scope: SpecScope, phone: SpecPhone, key: Key) => boolean;

/** A recovery failure: why, and the events that show it (the procedure up to the Reset all after which the phone is not trusted). */
interface Failure {
  reason: string;
  witness: SpecEvent[];
}

/**
 * A documented recovery: the command and the key it signs with, then its steps; the phones must be
 * trusted after each step that is a checkpoint (each ends with Reset all).
 */
interface Procedure {
  name: string;
  key: Key;
  steps: Array<{ events: SpecEvent[]; checkpoint: boolean }>;
}

const after = (s: SpecState, scope: SpecScope, events: SpecEvent[]): SpecState =>
  events.reduce((x, e) => specStep(x, scope, e).state, s);

/** The node a phone boots from next (a pending TFTP change applies then). */
const bootNode = (p: SpecPhone): number => (p.pendingTftp !== NO_NODE ? p.pendingTftp : p.tftp);

/** A TFTP restart of every node, then Reset all. */
const restartEveryTftp = (s: SpecState): SpecEvent[] => [
  ...s.nodes.map((_, node): SpecEvent => ({ kind: 'tftpRestart', node })),
  { kind: 'devicesReset' },
];

/**
 * Runs a procedure from `s` on the eligible phones; the first phone not trusted after a checkpoint
 * (`finalOnly`: after the last step only), with the events up to it.
 */
function runProcedure(
  s: SpecState,
  scope: SpecScope,
  proc: Procedure,
  eligible: Eligible,
  finalOnly = false,
): Failure | null {
  const phones = s.phones
    .map((p, i) => {
      const genuine = s.nodes[bootNode(p)]!.attacker === NO_KEY;
      return p.added && p.online && (p.itl || p.ctl) && genuine && eligible(s, scope, p, proc.key) ? i : -1;
    })
    .filter((i) => i >= 0);
  if (phones.length === 0) return null;
  let x = s;
  const shown: SpecEvent[] = [];
  for (const [k, step] of proc.steps.entries()) {
    x = after(x, scope, step.events);
    shown.push(...step.events);
    if (finalOnly ? k < proc.steps.length - 1 : !step.checkpoint) continue;
    const bad = phones.find((i) => trustOf(x.phones[i]!) !== 'trusted');
    if (bad !== undefined)
      return { reason: `phone ${bad} not trusted after ${shown.map((e) => e.kind).join(' + ')}`, witness: [...shown] };
  }
  return null;
}

/**
 * 10.x (and 11.x) non-secure (§8): `utils itl reset` with the local key, or with a p12 the password
 * opens; then Reset all; the phones must be trusted, and again after a later TFTP restart of their
 * node + Reset all (checked per phone, its own node).
 */
function recovery10(s: SpecState, scope: SpecScope, eligible: Eligible): Failure | null {
  const modes: Array<{ e: SpecEvent; key: Key }> = [{ e: { kind: 'itlReset', node: PUBLISHER }, key: s.itlRecovery }];
  if (s.backup !== NO_KEY && s.backupOpens) modes.push({ e: { kind: 'itlResetRemote' }, key: s.backup });
  for (const { e, key } of modes) {
    const proc: Procedure = { name: e.kind, key, steps: [{ events: [e, { kind: 'devicesReset' }], checkpoint: true }] };
    const failed = runProcedure(s, scope, proc, eligible);
    if (failed) return failed;
    const first = after(s, scope, proc.steps[0]!.events);
    for (const [i, p] of s.phones.entries()) {
      if (!(p.added && p.online && p.itl && s.nodes[bootNode(p)]!.attacker === NO_KEY && eligible(s, scope, p, key)))
        continue;
      const later: SpecEvent[] = [{ kind: 'tftpRestart', node: first.phones[i]!.tftp }, { kind: 'devicesReset' }];
      if (trustOf(after(first, scope, later).phones[i]!) !== 'trusted')
        return {
          reason: `phone ${i} not trusted after a later tftp.restart + devices.reset`,
          witness: [...proc.steps[0]!.events, ...later],
        };
    }
  }
  return null;
}

/**
 * The documented recoveries from 12.0 (docs/rules.md §15.4, §16.8), each signing with the key named:
 * - non-secure (the cluster has no CTL): `utils itl reset localkey` (signs with the publisher's
 *   CallManager) → Reset all → TFTP restart on every node → Reset all (SG125, SG14), and the same
 *   with `remotekey` (a p12 the password opens; signs with its key);
 * - mixed (the cluster has a CTL): `utils ctl reset localkey` (signs the CTL with the publisher's
 *   CallManager) → Reset all → `utils ctl update CTLFile` and "restart the necessary services" (TFTP
 *   on every node) → Reset all (SG125-CERT, CLI125, row 24).
 * The phones must be trusted after each Reset all, but for the first of the mixed procedure: its CTL
 * only brings the new ITLRecovery, which the ITLs carry once TFTP restarted.
 */
function procedures12(s: SpecState): Procedure[] {
  const cmP = s.nodes[PUBLISHER]!.callManager;
  if (s.ctl)
    return [
      {
        name: 'ctl reset localkey',
        key: cmP,
        steps: [
          { events: [{ kind: 'ctlReset', node: PUBLISHER }, { kind: 'devicesReset' }], checkpoint: false },
          { events: [{ kind: 'ctlUpdate', node: PUBLISHER }, ...restartEveryTftp(s)], checkpoint: true },
        ],
      },
    ];
  const itl = (e: SpecEvent, key: Key): Procedure => ({
    name: e.kind,
    key,
    steps: [
      { events: [e, { kind: 'devicesReset' }], checkpoint: true },
      { events: restartEveryTftp(s), checkpoint: true },
    ],
  });
  const out = [itl({ kind: 'itlReset', node: PUBLISHER }, cmP)];
  if (s.backup !== NO_KEY && s.backupOpens) out.push(itl({ kind: 'itlResetRemote' }, s.backup));
  return out;
}

function recovery12(s: SpecState, scope: SpecScope, eligible: Eligible, finalOnly = false): Failure | null {
  for (const proc of procedures12(s)) {
    const failed = runProcedure(s, scope, proc, eligible, finalOnly);
    if (failed) return failed;
  }
  return null;
}

/** Whether a key is a SAST record of an ITL or a CTL. Pure. */
const sastIn = (file: SpecItl | SpecCtl | null, key: Key): boolean =>
  !!file && key !== NO_KEY && (file.sastA === key || file.sastB === key);

/** The 10.x headline's phones: the ITLRECOVERY record of the installed ITL is the key the reset signs with. */
const holdsRecoveryRecord: Eligible = (_, _scope, p, key) => !!p.itl && key !== NO_KEY && p.itl.itlRecovery === key;

/** The headline (10.x–11.x, non-secure) over the abstract model: from 12.0 `recoveryByDocumentedProcedure` speaks. */
export const recoveryWithItlRecovery: AbstractCheck = {
  state: (s, scope) =>
    s.pre10 || s.from12 || s.ctl ? null : (recovery10(s, scope, holdsRecoveryRecord)?.reason ?? null),
  witness: (s, scope) =>
    s.pre10 || s.from12 || s.ctl ? [] : (recovery10(s, scope, holdsRecoveryRecord)?.witness ?? []),
};

/**
 * The 12.0+ headline's phones: the key the documented recovery signs with is a SAST record of the
 * phone's ITL (non-secure), or of its CTL, or of its ITL when the phone holds no CTL or the anchors
 * are one pool (A18) (mixed mode).
 */
const holdsRecoveryKey: Eligible = (s, scope, p, key) =>
  s.ctl ? sastIn(p.ctl, key) || ((!p.ctl || scope.sharedSastPool) && sastIn(p.itl, key)) : sastIn(p.itl, key);

/** The headline restated for 12.0+ (12.5 non-secure and mixed mode) over the abstract model. */
export const recoveryByDocumentedProcedure: AbstractCheck = {
  state: (s, scope) => (s.from12 ? (recovery12(s, scope, holdsRecoveryKey)?.reason ?? null) : null),
  witness: (s, scope) => (s.from12 ? (recovery12(s, scope, holdsRecoveryKey)?.witness ?? []) : []),
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

/** Whether two CTLs hold the same records. Pure. */
function sameCtlRecords(a: SpecCtl, b: SpecCtl): boolean {
  return a === b || (a.sastA === b.sastA && a.sastB === b.sastB && a.ccm.every((k, n) => k === b.ccm[n]));
}

/** The keys the cluster holds now (A1: what its TVS store knows, its own ITLRecovery included). Pure. */
function clusterKeys(s: SpecState): Set<Key> {
  return new Set([s.itlRecovery, ...s.nodes.flatMap((n) => [n.callManager, n.tvs])].filter((k) => k !== NO_KEY));
}

/** Whether a key the cluster holds was vouched for by a TVS the old ITL pins and the phone's TVS list names. */
function tvsVouched(s: SpecState, tvsList: number[], old: SpecItl | null, signer: Key): boolean {
  return !!old && tvsList.some((t) => old.tvs.includes(s.nodes[t]!.tvs)) && clusterKeys(s).has(signer);
}

/**
 * Why a phone may not have installed the ITL `now` (null when it may): the file must be intact and the
 * cluster's (not forged), and its signer a SAST record of its old ITL, a SAST or CCM+TFTP record of
 * the CTL it holds, or a key the cluster holds, vouched for by a TVS whose key its old ITL lists and
 * its TVS list names.
 */
function unverifiedItl(
  s: SpecState,
  tvsList: number[],
  old: SpecItl | null,
  ctl: SpecCtl | null,
  now: SpecItl,
): string | null {
  if (now.forged) return 'replaced its ITL with a forged one';
  if (now.bad) return 'installed an ITL whose signature does not verify';
  if (sastIn(old, now.signer)) return null;
  if (ctl && (sastIn(ctl, now.signer) || ctl.ccm.includes(now.signer))) return null;
  return tvsVouched(s, tvsList, old, now.signer)
    ? null
    : 'installed an ITL that neither a SAST record of its old ITL or CTL nor an authenticated TVS vouched for';
}

/**
 * Why a phone may not have replaced its CTL `old` by `now` (null when it may): the new CTL's signer
 * must be a SAST record of its old CTL or of its ITL, or a key the cluster holds, vouched for by a TVS
 * its ITL pins. (A first CTL, or one after the CTL was erased, is taken on first sight: C0.)
 */
function unverifiedCtl(
  s: SpecState,
  tvsList: number[],
  itl: SpecItl | null,
  now: SpecCtl,
  old: SpecCtl,
): string | null {
  if (sastIn(old, now.signer) || sastIn(itl, now.signer)) return null;
  return tvsVouched(s, tvsList, itl, now.signer)
    ? null
    : 'installed a CTL that neither a SAST record of its old CTL or ITL nor an authenticated TVS vouched for';
}

/**
 * The security property over transitions: an ITL or a CTL changes (but by an erase) only to one
 * verified as the rules require. An ITL taken with no ITL held is first use (R0) unless the phone held
 * a CTL before the step: then the CTL must vouch for it.
 */
export const noUnverifiedItl: AbstractCheck = {
  step: (before, e, after, scope) => {
    // The phone whose CTL or ITL the step erased (-1: none), read once: events come in many shapes,
    // so each read of `e.kind` is a slow (megamorphic) look-up, and this runs on nearly every step.
    const kind = e.kind;
    const ctlErased = kind === 'deleteCtl' ? e.phone : -1;
    const itlErased = kind === 'deleteItl' ? e.phone : -1;
    for (const [i, p] of after.state.phones.entries()) {
      const old = before.phones[i]!;
      const tvsList = scope.configs[i]!.tvs;
      const erasedCtl = ctlErased === i;
      if (p.ctl && old.ctl && !erasedCtl && !sameCtlRecords(p.ctl, old.ctl)) {
        const why = unverifiedCtl(after.state, tvsList, old.itl, p.ctl, old.ctl);
        if (why) return `phone ${i} ${why}`;
      }
      const erasedItl = itlErased === i;
      // The same ITL taken again after the step erased it must pass the rules too.
      if (!p.itl || (old.itl && !erasedItl && sameItl(p.itl, old.itl))) continue;
      const oldItl = erasedItl ? null : old.itl;
      // First use: no ITL and no CTL before the step (or the CTL erased by it).
      if (!oldItl && (!old.ctl || erasedCtl)) continue;
      const why = unverifiedItl(after.state, tvsList, oldItl, p.ctl, p.itl);
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

/** Every powered-on phone holding an ITL (or a CTL) and booting from a genuine node: the headline without its premise. */
const everyPhone: Eligible = () => true;

/**
 * Every phone's recovery by its release's procedure: 10.x–11.x non-secure as the headline; from 12.0
 * trusted at the end of the procedure (a phone may pass through a lock on the way: the first Reset all
 * of the CallManager-signed step reaches a phone on a subscriber only through TVS).
 */
function everyPhoneRecovery(s: SpecState, scope: SpecScope): Failure | null {
  if (s.pre10) return null;
  if (s.from12) return recovery12(s, scope, everyPhone, true);
  return s.ctl ? null : recovery10(s, scope, everyPhone);
}

/** The desired property of the system, a known weakness: every powered-on phone with an ITL recovers by the documented procedure of its release. */
export const recoveryForEveryPhone: AbstractCheck = {
  state: (s, scope) => everyPhoneRecovery(s, scope)?.reason ?? null,
  witness: (s, scope) => everyPhoneRecovery(s, scope)?.witness ?? [],
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

/**
 * An upgrade keeps trust (a known weakness, FN70613): while the only events are phones plugged in,
 * powered, Reset all, `utils ctl set-cluster mixed-mode` and upgrades, no boot locks a phone. Checked
 * over that alphabet only, on the step that booted the phone (SpecStep.locked).
 */
export const upgradeKeepsTrust: AbstractCheck = {
  step: (_b, _e, after) => (after.locked >= 0 ? `phone ${after.locked} locked after an upgrade` : null),
};
