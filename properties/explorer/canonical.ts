import { NO_KEY, NO_NODE, PUBLISHER } from '../spec/constants.ts';
import type { SpecScope } from '../spec/scope.ts';
import type { SpecCtl, SpecItl, SpecNode, SpecPhone, SpecState } from '../spec/state.ts';
import {
  backRank,
  canonicalCodes,
  DEAD,
  keyCount,
  keyId,
  phoneOrder,
  phoneTvsKey,
  resetServed,
  type KeyCodes,
} from './canonicalCodes.ts';

/** A state's canonical form: its hash key, the renumbered representative, and which phone of `s` sits at each position. */
export interface Canonical {
  key: string;
  rep: SpecState;
  /** perm[i] = index in the input state of the representative's phone i. */
  perm: number[];
}

/** Phone indices grouped by identical configuration: phones in a group are interchangeable (symmetry). Pure. */
export function symmetryGroups(scope: SpecScope): number[][] {
  const groups = new Map<string, number[]>();
  scope.configs.forEach((c, i) => {
    const id = JSON.stringify(c);
    groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  return [...groups.values()];
}
/**
 * The abstraction (README "The abstraction"). Each step is exact: the representative has the same
 * enabled events, its successors have the same canonical forms as the state's, and every property
 * gives the same verdict on it. Pure.
 *
 * 1. Keys are compared only for equality (decide: candidate signer = a SAST of the installed ITL, or
 *    a SAST or CCM+TFTP record of the phone's CTL; decideCtl: the CTL's signer = a SAST of the
 *    installed CTL or ITL; tvsVouches: node t's current TVS key is a TVS record; tvsKnows; recovery:
 *    ITLRECOVERY or SAST record = the key the recovery signs with), and fresh keys are never reused.
 *    So keys are renumbered in order of first use.
 * 2. Dead keys collapse to one value DEAD. A key is LIVE when it is a current CallManager or TVS key,
 *    the publisher's ITLRecovery, the key of a p12 backup the current password opens, the key of a
 *    served reset ITL, an attacker's key on an impersonated node, the signer of the cluster's CTL,
 *    or (from 12.0, where it signs the node's ITL) a node's loaded ITLRecovery. Every key ever
 *    compared with a phone's ITL or CTL is live at the time of the comparison (candidate ITL signers:
 *    a node's CallManager before 12.0, its loaded ITLRecovery from 12.0, an attacker's key, the reset
 *    ITL's signer; the CTL's signer; recovery keys: the ITLRecovery, the opened backup, the
 *    publisher's CallManager; TVS: current TVS keys). The one comparison of two sides that may both
 *    hold dead keys is a phone's CTL against the served one (`sameCtl`); when the representatives
 *    are equal and the states not, the served CTL's (live) signer is a SAST record of both, so C1
 *    accepts on the state: the phone ends with the same live keys either way, and only the coverage
 *    tally tells C1 from "the same CTL" (no verdict reads it). A dead key never becomes live again
 *    (live keys are fresh or copied from live ones: backup <- ITLRecovery <- backup, reset signer <-
 *    either or the publisher's CallManager, loaded <- ITLRecovery, CTL signer <- ITLRecovery or the
 *    publisher's CallManager). So no comparison that can still happen can tell two dead keys apart.
 *    This covers stale keys in phones' ITLs and CTLs and in the cluster's CTL, a node's loaded
 *    ITLRecovery before 12.0 that is no longer any of those, the stale CallManager and TVS records of
 *    a served reset ITL, and a backup the password no longer opens (dropped with backupOpens, since
 *    itlResetRemote and recovery need both and `backup` overwrites both).
 * 3. A phone's TVS record (a key, not NO_KEY) of a node outside its own TVS list is never read (tvsVouches walks only the
 *    phone's list, and record t can only equal node t's key): it becomes DEAD.
 * 4. noUnverifiedItl skips a step when the ITL (or CTL) is unchanged. If two ITLs become equal in the
 *    representative, the new signer (live) is a SAST of the old ITL, since every ITL's signer is one of
 *    its SASTs and step 2 keeps the equality of live keys; for a forged ITL the old one is then the very
 *    same forged ITL. The same holds of CTLs (a CTL's signer is one of its SASTs). So the property is
 *    not violated on the state either: the verdict is the same.
 * 5. A phone's ITL-region trust (trusted / locked) is never read before it is recomputed: rules read
 *    only the ITL and the CTL, recovery reads trust only after devices.reset, which boots every online
 *    phone, and only for online phones, and regenerationsKeepTrust and upgradeKeepsTrust read only
 *    the boots of a step (SpecStep.locked, set before this abstraction). Trust becomes "has an ITL".
 *    The CTL region (a rejected CTL) is kept: a boot from an impersonated node, which serves no CTL,
 *    leaves it as it was. The phone's last decision (SpecPhone.lastDecision) is read by nothing but
 *    the model-based test: it is dropped.
 * 6. A pending TFTP change to the phone's current TFTP node boots the same and enables the same
 *    events as none: it becomes none.
 * 7. The reset ITL is dropped when no node serves it (only a served one is ever read).
 * 8. Phones of the same configuration are sorted (symmetry): rules and properties treat them alike,
 *    and counterexamples are mapped back through the permutation.
 * 9. Time (A14 and the hold timer): only the order of the deadlines is kept, not their times. Hold
 *    timers are ranked oldest first; restarting phones carry the rank of their automatic reset among
 *    the resets under way (renumbered densely: 1 = ends first) and how many running timers started
 *    before that reset. That is all that decides which of `wait` and `back` may come next (a timer
 *    started at or after a reset expires after it: HOLD_SECONDS > AUTO_RESTART_SECONDS; earlier ones may go either way).
 * 10. A phone's installed ITL keeps no `bad` flag (a first ITL taken by R0 may have come broken): a
 *    signature is checked only on a candidate ITL, never on the installed one, and noUnverifiedItl
 *    reads the flag of the ITL a step installs, which is then the candidate; a step whose new ITL
 *    differs from the old only in that flag installs a verified file, so the verdict is the same.
 * Node symmetry is not used: node 0 is the publisher and the phone configurations name nodes.
 */
export function canonical(s: SpecState, groups: number[][], scope?: SpecScope): Canonical {
  const key = canonicalKey(s, groups, scope);
  return { key, rep: representative(s), perm: phoneOrder(s.phones.length) };
}
const keyBuffer: KeyCodes = { data: new Uint16Array(64), length: 0 };

/** The canonical key of `s` (as `canonical(s).key`); leaves the scratch for `representative(s)`. */
export function canonicalKey(s: SpecState, groups: number[][], scope?: SpecScope): string {
  canonicalCodes(s, groups, scope, keyBuffer);
  return String.fromCharCode(...keyBuffer.data.subarray(0, keyBuffer.length));
}

/** The representative of a phone's ITL (steps 1–3, 10). */
function repPhoneItl(itl: SpecItl, phone: number): SpecItl {
  return {
    signer: keyId(itl.signer),
    sastA: keyId(itl.sastA),
    sastB: keyId(itl.sastB),
    itlRecovery: keyId(itl.itlRecovery),
    forged: itl.forged,
    bad: false,
    tvs: itl.tvs.map((k, t) => phoneTvsKey(k, phone, t)),
  };
}

/**
 * The representative of a CTL (steps 1, 2, 11): a phone's keeps no signer; from 12.0 its CCM+TFTP
 * records are the publisher's (its second SAST record) and DEAD for the subscribers.
 */
function repCtl(s: SpecState, ctl: SpecCtl, phone: boolean): SpecCtl {
  const sastB = keyId(ctl.sastB);
  return {
    signer: phone ? NO_KEY : keyId(ctl.signer),
    sastA: keyId(ctl.sastA),
    sastB,
    ccm: s.from12 ? ctl.ccm.map((_, n) => (n === 0 ? sastB : DEAD)) : [sastB, ...ctl.ccm.slice(1).map((k) => keyId(k))],
  };
}

/** Step 11: from 12.0 a subscriber's CallManager key is read by no rule or property (it signs no file the phones check). */
function subscriberCmUnread(s: SpecState, n: number): boolean {
  return s.from12 && n !== PUBLISHER;
}

/** The representative of the state last given to `canonicalCodes` (which must be `s`, coded with its scope: the TVS lists are the ones that coding read). */
export function representative(s: SpecState): SpecState {
  const nodes: SpecNode[] = s.nodes.map((n, i) => ({
    callManager: subscriberCmUnread(s, i) ? DEAD : keyId(n.callManager),
    tvs: keyId(n.tvs),
    loadedRecovery: keyId(n.loadedRecovery),
    servesReset: n.servesReset,
    attacker: keyId(n.attacker),
    corrupt: n.corrupt,
    holdRank: n.holdRank,
  }));
  const r = resetServed(s) ? s.resetItl! : null;
  const resetItl: SpecItl | null = r && {
    signer: keyId(r.signer),
    sastA: keyId(r.sastA),
    sastB: keyId(r.sastB),
    itlRecovery: keyId(r.itlRecovery),
    forged: r.forged,
    bad: r.bad,
    tvs: r.tvs.map((k) => keyId(k)),
  };
  const phones = phoneOrder(s.phones.length).map((i): SpecPhone => {
    const p = s.phones[i]!;
    const itl = p.itl && repPhoneItl(p.itl, i);
    return {
      added: p.added,
      online: p.online,
      tftp: p.tftp,
      pendingTftp: p.pendingTftp === p.tftp ? NO_NODE : p.pendingTftp,
      itl,
      trust: itl ? 'trusted' : 'noItl',
      ctl: p.ctl && repCtl(s, p.ctl, true),
      ctlRejected: p.ctl !== null && p.ctlRejected,
      restartRank: backRank(s, p.restartRank),
      timersBefore: p.timersBefore,
      lastDecision: null,
    };
  });
  const backupLive = s.backup >= 0 && s.backupOpens;
  return {
    pre10: s.pre10,
    from12: s.from12,
    itlRecovery: keyId(s.itlRecovery),
    resetItl,
    ctl: s.ctl && repCtl(s, s.ctl, false),
    backup: backupLive ? keyId(s.backup) : -1,
    backupOpens: backupLive,
    nodes,
    phones,
    nextKey: keyCount(),
  };
}
