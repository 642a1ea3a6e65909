/**
 * The spec's state (TLA+'s VARIABLES): the cluster's keys, TFTP services and CTL, the saved p12, and
 * the phones with their installed ITLs and CTLs, over SYMBOLIC keys (constants.ts `Key`): "signed by"
 * is identity of key ids. Time is kept as order only (the ranks of running hold timers and of
 * automatic restarts under way; properties/explorer/canonical.ts step 9).
 */
import { NO_KEY, NO_NODE, type Key } from './constants.ts';
import type { SpecScope } from './scope.ts';

/**
 * An ITL as the keys its records name (docs/rules.md §3.5, §15). A normal ITL's SAST records are its
 * node's CallManager and the ITLRecovery the node loaded; its signer is the first before 12.0 and the
 * second from 12.0. A reset ITL's are the publisher's CallManager and the current ITLRecovery; it is
 * signed by that ITLRecovery (10.x, and `remotekey`) or by that CallManager (12.5 `localkey`). A
 * forged one's only the attacker's. The signer is always one of its SAST records.
 */
export interface SpecItl {
  /** The key that signed it. */
  signer: Key;
  /** Its SAST records (R2); NO_KEY when absent. */
  sastA: Key;
  sastB: Key;
  /** Its ITLRECOVERY record: the key `utils itl reset` must sign with to recover by R2; NO_KEY before 10.0. */
  itlRecovery: Key;
  /** Built and signed by an attacker impersonating the node (A12). */
  forged: boolean;
  /** It reached the phone with a broken signature (`tftp.corrupt`): it verifies with no key. */
  bad: boolean;
  /** tvs[t]: its TVS record of node t (R3's TLS pinning, Q7); NO_KEY when it has none. */
  tvs: Key[];
}

/**
 * A CTL as the keys its records name (docs/rules.md §16.2, §16.3): SAST the cluster's
 * ITLRecovery (from 12.0; a 10.x–11.x CTL has none) and the publisher's CallManager, a CCM+TFTP record
 * per node (its CallManager), signed by the ITLRecovery (12.0+ `set-cluster`, `update CTLFile`) or
 * the publisher's CallManager (before 12.0, and `reset localkey`). The signer is always one of its
 * SAST records. CAPF is left out: no rule reads it.
 */
export interface SpecCtl {
  signer: Key;
  /** SAST ITLRecovery (NO_KEY before 12.0) and SAST CM_P. */
  sastA: Key;
  sastB: Key;
  /** ccm[n]: the CCM+TFTP record of node n (its CallManager then). */
  ccm: Key[];
}

/** A node: its current keys, its TFTP service, and its hold timer. */
export interface SpecNode {
  callManager: Key;
  tvs: Key;
  /** A10, A23: the ITLRecovery key its TFTP loaded when it last started (NO_KEY before 10.0); from 12.0 it signs the node's ITL. */
  loadedRecovery: Key;
  /** It serves the reset ITL of `utils itl reset` (until its next TFTP start or a rebuild of its ITL, Q5). */
  servesReset: boolean;
  /** The attacker's key while an attacker impersonates its TFTP (A12), else NO_KEY. */
  attacker: Key;
  /** The file it serves reaches phones with a broken signature (`tftp.corrupt`), until it writes a new one. */
  corrupt: boolean;
  /** Its hold timer: 0 when none runs, else k for the k-th oldest running timer (only the order of deadlines is kept). */
  holdRank: number;
}

/** How a phone trusts (the phone machine's ITL region; `trustOf` gives what the phone reports, both regions together). */
export type SpecTrust = 'noItl' | 'trusted' | 'locked';

/** The rules a boot's CTL step can end on (docs/rules.md §16.5): C0 first CTL, C1 local anchor, C2 TVS, C3 rejected. */
export type SpecCtlRule = 'C0' | 'C1' | 'C2' | 'C3';

/**
 * The rules a boot can end on (docs/rules.md §4, §16): R0 first ITL, R0e the empty rollback ITL, R2 a
 * SAST record, R3 a TVS, R4 reject; with a CTL installed I1 (a CTL record), I2 (an ITL SAST record),
 * I3 (reject).
 */
export type SpecRule = 'R0' | 'R0e' | 'R2' | 'R3' | 'R4' | 'I1' | 'I2' | 'I3';

/** Why R2 did not accept a candidate: its signer is no SAST record of the installed ITL, or its signature does not verify. */
export type R2Failure = 'signerNotSast' | 'badSignature';

/** The rule that decided a boot and, when R2 was tried and failed (R3, R4), why it failed. */
export interface SpecDecision {
  rule: SpecRule;
  r2: R2Failure | null;
}

/** A phone: whether it exists yet, power, TFTP (and a pending option-150 change), its installed ITL and CTL, and trust. */
export interface SpecPhone {
  added: boolean;
  online: boolean;
  tftp: number;
  /** A `phone.tftp` change waiting for the next boot; NO_NODE when none. */
  pendingTftp: number;
  itl: SpecItl | null;
  /** The ITL region: no ITL yet (R0 applies when it holds no CTL either), trusted, or locked (the last ITL was rejected). */
  trust: SpecTrust;
  /** Its installed CTL (mixed mode), null when none. */
  ctl: SpecCtl | null;
  /** The CTL region: the last CTL offered was rejected (C3), the old one is kept; the phone reports locked. */
  ctlRejected: boolean;
  /**
   * A14: 0 when not restarting; else the rank of the automatic reset it is restarting from (phones
   * reset together share it; a smaller rank ends first). Only the order is meaningful.
   */
  restartRank: number;
  /** Of the running hold timers (oldest first), how many started before its reset, so may expire before it is back. */
  timersBefore: number;
  /**
   * The decision of its last boot, null before the first. A record for the model-based test: no
   * rule, action or invariant reads it, and it is no part of a state's identity (the explorer's
   * canonical form drops it), so it does not grow the state space.
   */
  lastDecision: SpecDecision | null;
}

/** The whole abstract world. */
export interface SpecState {
  pre10: boolean;
  /**
   * The cluster runs 12.5 (a 12.5 scope, once a pre-12 one is upgraded): ITLRecovery signs ITLs and the
   * CTL, `utils itl reset localkey` signs with the publisher's CallManager, a phone holding a CTL asks
   * no TVS about an ITL (A18) nor about the cluster's own CTL signers (A19). The spec has no 12.0 state.
   */
  from12: boolean;
  /** The publisher's ITLRecovery key (the p12 on its disk), NO_KEY before 10.0. */
  itlRecovery: Key;
  /** The reset ITL last built by `utils itl reset`, served by the nodes with `servesReset`. */
  resetItl: SpecItl | null;
  /** The cluster's one CTL (mixed mode), served by every node no attacker impersonates (A22); null before `set-cluster`. */
  ctl: SpecCtl | null;
  /** The key in the one saved ITLRecovery.p12 (NO_KEY: none), and whether the current security password opens it. */
  backup: Key;
  backupOpens: boolean;
  nodes: SpecNode[];
  phones: SpecPhone[];
  /** The next fresh key id (no part of the state's identity). */
  nextKey: Key;
}

/** A freshly installed cluster: every key new, each node's TFTP loaded with the publisher's ITLRecovery, no phone plugged in. Pure. */
export function initialState(scope: SpecScope): SpecState {
  let next = 0;
  const itlRecovery = scope.pre10 ? NO_KEY : next++;
  const nodes: SpecNode[] = Array.from({ length: scope.nodes }, () => ({
    callManager: next++,
    tvs: next++,
    loadedRecovery: itlRecovery,
    servesReset: false,
    attacker: NO_KEY,
    corrupt: false,
    holdRank: 0,
  }));
  const phones: SpecPhone[] = scope.configs.map((c) => ({
    added: false,
    online: false,
    tftp: c.tftp,
    pendingTftp: NO_NODE,
    itl: null,
    trust: 'noItl',
    ctl: null,
    ctlRejected: false,
    restartRank: 0,
    timersBefore: 0,
    lastDecision: null,
  }));
  return {
    pre10: scope.pre10,
    from12: scope.release === '12.5' && !scope.pre12,
    itlRecovery,
    resetItl: null,
    ctl: null,
    backup: NO_KEY,
    backupOpens: false,
    nodes,
    phones,
    nextKey: next,
  };
}

/** What a phone reports, its two regions together: locked when its last CTL was rejected, else its ITL region (docs/rules.md §16.5 C3). Pure. */
export function trustOf(p: SpecPhone): SpecTrust {
  return p.ctlRejected ? 'locked' : p.trust;
}

/** A copy whose nodes and phones may be changed (ITLs, CTLs and decisions are never changed, so they are shared). Pure. */
export function cloneState(s: SpecState): SpecState {
  // Explicit literals, not spreads: this is the explorer's hottest allocation.
  const nodes: SpecNode[] = new Array<SpecNode>(s.nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = s.nodes[i]!;
    nodes[i] = {
      callManager: n.callManager,
      tvs: n.tvs,
      loadedRecovery: n.loadedRecovery,
      servesReset: n.servesReset,
      attacker: n.attacker,
      corrupt: n.corrupt,
      holdRank: n.holdRank,
    };
  }
  const phones: SpecPhone[] = new Array<SpecPhone>(s.phones.length);
  for (let i = 0; i < phones.length; i++) {
    const p = s.phones[i]!;
    phones[i] = {
      added: p.added,
      online: p.online,
      tftp: p.tftp,
      pendingTftp: p.pendingTftp,
      itl: p.itl,
      trust: p.trust,
      ctl: p.ctl,
      ctlRejected: p.ctlRejected,
      restartRank: p.restartRank,
      timersBefore: p.timersBefore,
      lastDecision: p.lastDecision,
    };
  }
  return {
    pre10: s.pre10,
    from12: s.from12,
    itlRecovery: s.itlRecovery,
    resetItl: s.resetItl,
    ctl: s.ctl,
    backup: s.backup,
    backupOpens: s.backupOpens,
    nodes,
    phones,
    nextKey: s.nextKey,
  };
}

/**
 * `cloneState` into a copy made before (`into`, a state of the same scope, owned by the caller): its
 * node and phone objects are overwritten, not allocated (the packed explorer's scratch). Mutates `into`.
 */
export function copyState(s: SpecState, into: SpecState): SpecState {
  for (let i = 0; i < s.nodes.length; i++) {
    const n = s.nodes[i]!;
    const m = into.nodes[i]!;
    m.callManager = n.callManager;
    m.tvs = n.tvs;
    m.loadedRecovery = n.loadedRecovery;
    m.servesReset = n.servesReset;
    m.attacker = n.attacker;
    m.corrupt = n.corrupt;
    m.holdRank = n.holdRank;
  }
  for (let i = 0; i < s.phones.length; i++) {
    const p = s.phones[i]!;
    const q = into.phones[i]!;
    q.added = p.added;
    q.online = p.online;
    q.tftp = p.tftp;
    q.pendingTftp = p.pendingTftp;
    q.itl = p.itl;
    q.trust = p.trust;
    q.ctl = p.ctl;
    q.ctlRejected = p.ctlRejected;
    q.restartRank = p.restartRank;
    q.timersBefore = p.timersBefore;
    q.lastDecision = p.lastDecision;
  }
  into.pre10 = s.pre10;
  into.from12 = s.from12;
  into.itlRecovery = s.itlRecovery;
  into.resetItl = s.resetItl;
  into.ctl = s.ctl;
  into.backup = s.backup;
  into.backupOpens = s.backupOpens;
  into.nextKey = s.nextKey;
  return into;
}

/**
 * Whether the phones of `a` and `b` are the same, field by field (ITLs and CTLs by identity: they are
 * never changed, so a phone that kept its file holds the same object), leaving out `lastDecision`,
 * which is no part of a state's identity. Pure.
 */
export function samePhones(a: SpecState, b: SpecState): boolean {
  for (let i = 0; i < a.phones.length; i++) {
    const p = a.phones[i]!;
    const q = b.phones[i]!;
    if (
      p.added !== q.added ||
      p.online !== q.online ||
      p.tftp !== q.tftp ||
      p.pendingTftp !== q.pendingTftp ||
      p.itl !== q.itl ||
      p.trust !== q.trust ||
      p.ctl !== q.ctl ||
      p.ctlRejected !== q.ctlRejected ||
      p.restartRank !== q.restartRank ||
      p.timersBefore !== q.timersBefore
    )
      return false;
  }
  return true;
}
