/**
 * A small, independent reference model of the 10.x trust rules (domain.md §2–§6), written from the
 * specification over SYMBOLIC keys: every certificate is a key id (a number), an ITL is the tuple of
 * key ids its records name, and "signed by" is identity of key ids. It never calls model/ — it is
 * what the XState machines are held against, and the state space the exhaustive checker explores.
 */

/**
 * A symbolic ITL: [signer, sastA, sastB, itlRecovery, forged(0|1), bad(0|1), tvs of node 0..N-1]; -1 = none.
 * `bad`: the file reached the phone with a broken signature (`tftp.corrupt`), so it verifies with no key.
 */
export type RItl = number[];

/** Index of the fields of an RItl. */
export const ITL = { signer: 0, sastA: 1, sastB: 2, itlr: 3, forged: 4, bad: 5, tvs: 6 } as const;

/** A node: its current keys, its TFTP service, and its hold timer (rank among running timers, 0 = none). */
export interface RNode {
  cm: number;
  tvs: number;
  /** ASSUMPTION A10: the ITLRecovery key loaded at the last TFTP start (-1 before 10.0). */
  loaded: number;
  /** 1 while serving the reset ITL of `utils itl reset` (until the next restart or rebuild). */
  reset: number;
  /** The attacker's key while impersonated (A12), else -1. */
  forged: number;
  /** 1 while the file it serves reaches phones with a broken signature (`tftp.corrupt`), until it writes a new one. */
  corrupt: number;
  /** Time abstraction: 0 = no regeneration in the last 5 minutes, k = the k-th oldest running timer. */
  hold: number;
}

/** A phone: whether it exists yet, power, TFTP (and a pending option-150 change), its installed ITL and trust. */
export interface RPhone {
  added: boolean;
  online: boolean;
  tftp: number;
  pending: number;
  itl: RItl | null;
  /** 0 noItl, 1 trusted, 2 locked. */
  trust: 0 | 1 | 2;
  /**
   * A14 time abstraction: 0 = not restarting; else the rank of the automatic reset it is restarting
   * from (phones reset together share it; a smaller rank ends first). Only the order is meaningful.
   */
  back: number;
  /** Of the running hold timers (oldest first), how many started before its reset, so may expire before it is back. */
  before: number;
}

/** The whole abstract world. Node 0 is the publisher; every node runs TFTP and TVS. */
export interface RState {
  pre10: boolean;
  /** The publisher's ITLRecovery key (the p12 on disk), -1 before 10.0. */
  pubItlr: number;
  /** The reset ITL last built by `utils itl reset`. */
  resetItl: RItl | null;
  /** The key in the one saved ITLRecovery.p12 (-1 none) and whether the current password opens it. */
  backup: number;
  backupOpens: boolean;
  nodes: RNode[];
  phones: RPhone[];
  /** Next fresh key id (not part of the state's identity). */
  next: number;
}

/** A phone's fixed configuration: its initial TFTP node and its TVS list (CallManager group). */
export interface PhoneConfig {
  tftp: number;
  tvs: number[];
}

/** The configurations of domain.md §8 (A, B, C, then D on a third node); phone i has configs[i % length]. */
export function phoneConfigs(nodes: number): PhoneConfig[] {
  const configs: PhoneConfig[] = [
    { tftp: 0, tvs: [0, 1] },
    { tftp: 1, tvs: [1, 0] },
    { tftp: 0, tvs: [0] },
  ];
  if (nodes >= 3) configs.push({ tftp: 2, tvs: [2, 0] });
  return configs;
}

/** The scope of a model: sizes, phone configurations and options. */
export interface RScope {
  nodes: number;
  phones: number;
  configs: PhoneConfig[];
  holdTimer: boolean;
  pre10: boolean;
}

/** Builds a scope. Pure. */
export function scopeOf(nodes: number, phones: number, opts: { holdTimer?: boolean; pre10?: boolean } = {}): RScope {
  const all = phoneConfigs(nodes);
  return {
    nodes,
    phones,
    configs: Array.from({ length: phones }, (_, i) => all[i % all.length]!),
    holdTimer: opts.holdTimer ?? true,
    pre10: opts.pre10 ?? false,
  };
}

/** A freshly installed cluster: every key new, each node's ITL loaded with the publisher's ITLRecovery. Pure. */
export function initialState(scope: RScope): RState {
  let next = 0;
  const pubItlr = scope.pre10 ? -1 : next++;
  const nodes: RNode[] = Array.from({ length: scope.nodes }, () => ({
    cm: next++,
    tvs: next++,
    loaded: pubItlr,
    reset: 0,
    forged: -1,
    corrupt: 0,
    hold: 0,
  }));
  const phones: RPhone[] = scope.configs.map((c) => ({
    added: false,
    online: false,
    tftp: c.tftp,
    pending: -1,
    itl: null,
    trust: 0,
    back: 0,
    before: 0,
  }));
  return { pre10: scope.pre10, pubItlr, resetItl: null, backup: -1, backupOpens: false, nodes, phones, next };
}

/** A TFTP node's normal ITL (§2.2): its CallManager as SAST (signer), the loaded ITLRecovery as SAST, every TVS. Pure. */
export function normalItl(s: RState, n: number): RItl {
  const node = s.nodes[n]!;
  return [node.cm, node.cm, node.loaded, node.loaded, 0, 0, ...s.nodes.map((x) => x.tvs)];
}

/** A forged ITL (A12): only the attacker's key, as SAST, signed by it; no TVS records. Pure. */
export function forgedItl(s: RState, key: number): RItl {
  return [key, key, -1, -1, 1, 0, ...s.nodes.map(() => -1)];
}

/** The ITL a node serves: the attacker's, else the reset ITL, else its own; with a broken signature while corrupt. Pure. */
export function servedItl(s: RState, n: number): RItl {
  const node = s.nodes[n]!;
  if (node.forged >= 0) return forgedItl(s, node.forged);
  const genuine = node.reset && s.resetItl ? s.resetItl : normalItl(s, n);
  if (!node.corrupt) return genuine;
  const broken = [...genuine];
  broken[ITL.bad] = 1;
  return broken;
}

/** A1: TVS vouches for exactly the current certificates of the cluster. Pure. */
export function tvsKnows(s: RState, key: number): boolean {
  return key >= 0 && (key === s.pubItlr || s.nodes.some((n) => n.cm === key || n.tvs === key));
}

/** R3 (§3.2 with A3, Q7): the first TVS of the list whose certificate is a TVS record of the ITL answers. Pure. */
export function tvsVouches(s: RState, tvsList: number[], installed: RItl, key: number): boolean {
  for (const t of tvsList) {
    if (installed.indexOf(s.nodes[t]!.tvs, ITL.tvs) >= ITL.tvs) return tvsKnows(s, key);
  }
  return false;
}

/**
 * The rule a boot ends on (§3.2): R0 first ITL, R2 signer is a SAST of the installed ITL, R3 TVS, else
 * R4; R2 and R3 also need the signature to verify, which a broken one never does. Pure.
 */
export function decide(s: RState, phone: RPhone, config: PhoneConfig, candidate: RItl): 'R0' | 'R2' | 'R3' | 'R4' {
  const itl = phone.itl;
  if (!itl) return 'R0';
  const signer = candidate[ITL.signer]!;
  const verifies = candidate[ITL.bad] === 0;
  if (verifies && (signer === itl[ITL.sastA] || signer === itl[ITL.sastB])) return 'R2';
  return verifies && tvsVouches(s, config.tvs, itl, signer) ? 'R3' : 'R4';
}

/** The rules a boot can end on. */
export type RRule = ReturnType<typeof decide>;

/** A phone boots (reset, power on, first plug-in, back from an automatic reset): a pending TFTP change applies, then the rules decide; returns the rule. Mutates. */
export function bootPhone(s: RState, scope: RScope, p: number): RRule {
  const phone = s.phones[p]!;
  phone.back = 0;
  phone.before = 0;
  const tftp = phone.pending >= 0 ? phone.pending : phone.tftp;
  const candidate = servedItl(s, tftp);
  const rule = decide(s, phone, scope.configs[p]!, candidate);
  phone.tftp = tftp;
  phone.pending = -1;
  if (rule === 'R4') phone.trust = 2;
  else {
    phone.itl = candidate;
    phone.trust = 1;
  }
  return rule;
}

/** Deep copy (ITL arrays are never mutated, so they are shared). Pure. */
export function cloneState(s: RState): RState {
  // Explicit literals, not spreads: this is the explorer's hottest allocation.
  const nodes: RNode[] = new Array<RNode>(s.nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = s.nodes[i]!;
    nodes[i] = {
      cm: n.cm,
      tvs: n.tvs,
      loaded: n.loaded,
      reset: n.reset,
      forged: n.forged,
      corrupt: n.corrupt,
      hold: n.hold,
    };
  }
  const phones: RPhone[] = new Array<RPhone>(s.phones.length);
  for (let i = 0; i < phones.length; i++) {
    const p = s.phones[i]!;
    phones[i] = {
      added: p.added,
      online: p.online,
      tftp: p.tftp,
      pending: p.pending,
      itl: p.itl,
      trust: p.trust,
      back: p.back,
      before: p.before,
    };
  }
  return {
    pre10: s.pre10,
    pubItlr: s.pubItlr,
    resetItl: s.resetItl,
    backup: s.backup,
    backupOpens: s.backupOpens,
    nodes,
    phones,
    next: s.next,
  };
}
