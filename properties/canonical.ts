import { ITL, type RItl, type RPhone, type RScope, type RState } from './referenceModel.ts';

/** A state's canonical form: its hash key, the renumbered representative, and which phone of `s` sits at each position. */
export interface Canonical {
  key: string;
  rep: RState;
  /** perm[i] = index in the input state of the representative's phone i. */
  perm: number[];
}

/** Phone indices grouped by identical configuration: phones in a group are interchangeable (symmetry). Pure. */
export function symmetryGroups(scope: RScope): number[][] {
  const groups = new Map<string, number[]>();
  scope.configs.forEach((c, i) => {
    const id = JSON.stringify(c);
    groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  return [...groups.values()];
}

/** The value every dead key of a phone's ITL, a served reset ITL or a node's loaded ITLRecovery becomes ("no key", -1, is kept: a forged ITL has -1 records, and step 4 needs it unchanged). */
export const DEAD = -2;

/**
 * The abstraction (README "The abstraction"). Each step is exact: the representative has the same
 * enabled events, its successors have the same canonical forms as the state's, and every property
 * gives the same verdict on it. Pure.
 *
 * 1. Keys are compared only for equality (decide: candidate signer = a SAST of the installed ITL;
 *    tvsVouches: node t's current TVS key is a TVS record; tvsKnows; recovery: ITLRECOVERY record =
 *    the reset key), and fresh keys are never reused. So keys are renumbered in order of first use.
 * 2. Dead keys collapse to one value DEAD. A key is LIVE when it is a current CallManager or TVS key,
 *    the publisher's ITLRecovery, the key of a p12 backup the current password opens, the key of a
 *    served reset ITL, or an attacker's key on an impersonated node. Every key ever compared with a
 *    phone's ITL is live at the time of the comparison (candidate signers: a node's CallManager, an
 *    attacker's key, the reset key; recovery keys: the ITLRecovery or the opened backup; TVS: current
 *    TVS keys), and a dead key never becomes live again (live keys are fresh or copied from live
 *    ones: backup <- ITLRecovery <- backup, reset key <- either, loaded <- ITLRecovery). So no
 *    comparison that can still happen can tell two dead keys apart. This
 *    covers stale keys in phones' ITLs, a node's loaded ITLRecovery that is no longer any of those,
 *    the stale CallManager and TVS records of a served reset ITL, and a backup the password no longer
 *    opens (dropped with backupOpens, since itlResetRemote and recovery need both and `backup`
 *    overwrites both).
 * 3. A phone's TVS record (a key, not -1) of a node outside its own TVS list is never read (tvsVouches walks only the
 *    phone's list, and record t can only equal node t's key): it becomes DEAD.
 * 4. noUnverifiedItl skips a step when the ITL is unchanged. If two ITLs become equal in the
 *    representative, the new signer (live) is a SAST of the old ITL, since every ITL's signer is one of
 *    its SASTs and step 2 keeps the equality of live keys; for a forged ITL the old one is then the very
 *    same forged ITL. So the property is not violated on the state either: the verdict is the same.
 * 5. A phone's trust (trusted / locked) is never read before it is recomputed: rules read only the
 *    ITL, and recovery reads trust only after devices.reset, which boots every online phone, and only
 *    for online phones. Trust becomes "has an ITL".
 * 6. A pending TFTP change to the phone's current TFTP node boots the same and enables the same
 *    events as none: it becomes none.
 * 7. The reset ITL is dropped when no node serves it (only a served one is ever read).
 * 8. Phones of the same configuration are sorted (symmetry): rules and properties treat them alike,
 *    and counterexamples are mapped back through the permutation.
 * Node symmetry is not used: node 0 is the publisher and the phone configurations name nodes.
 */
export function canonical(s: RState, groups: number[][], scope?: RScope): Canonical {
  const map = new Map<number, number>();
  const backupLive = s.backup >= 0 && s.backupOpens;
  const serving = s.resetItl !== null && s.nodes.some((n) => n.reset);
  const resetKey = serving ? s.resetItl![ITL.signer]! : -1;
  const live = (k: number) => k >= 0 && (k === s.pubItlr || (backupLive && k === s.backup) || k === resetKey || s.nodes.some((n) => n.cm === k || n.tvs === k || n.forged === k));
  const id = (k: number) => {
    if (k < 0) return k;
    let v = map.get(k);
    if (v === undefined) map.set(k, (v = map.size));
    return v;
  };
  const liveId = (k: number) => (k < 0 || live(k) ? id(k) : DEAD);
  const pubItlr = id(s.pubItlr);
  const backup = backupLive ? id(s.backup) : -1;
  const nodes = s.nodes.map((n) => ({ cm: id(n.cm), tvs: id(n.tvs), loaded: liveId(n.loaded), reset: n.reset, forged: id(n.forged), hold: n.hold }));
  const resetItl = serving ? s.resetItl!.map((k, j) => (j === ITL.forged ? k : liveId(k))) : null;
  const cluster = map.size;
  const phoneKey = (k: number) => (k < 0 ? k : (map.get(k) ?? DEAD));
  const phones: RPhone[] = s.phones.map((p, i) => {
    const tvsList = scope?.configs[i]?.tvs;
    const itl = p.itl ? (p.itl.map((k, j) => (j === ITL.forged || k < 0 ? k : j >= ITL.tvs && tvsList && !tvsList.includes(j - ITL.tvs) ? DEAD : phoneKey(k))) as RItl) : null;
    return { added: p.added, online: p.online, tftp: p.tftp, pending: p.pending === p.tftp ? -1 : p.pending, itl, trust: itl ? 1 : 0 };
  });
  const codes = phones.map((p) => String.fromCharCode(p.added ? 1 : 0, p.online ? 1 : 0, p.tftp + 1, p.pending + 2, ...(p.itl ? p.itl.map((k) => k + 3) : [0])));
  const perm = new Array<number>(s.phones.length);
  for (const group of groups) {
    const sorted = group.slice().sort((a, b) => (codes[a]! < codes[b]! ? -1 : codes[a]! > codes[b]! ? 1 : 0));
    group.forEach((slot, j) => (perm[slot] = sorted[j]!));
  }
  const head = [s.pre10 ? 1 : 0, pubItlr + 3, backup + 3, ...nodes.flatMap((n) => [n.cm + 3, n.tvs + 3, n.loaded + 3, n.reset, n.forged + 3, n.hold]), ...(resetItl ? resetItl.map((k) => k + 3) : [0])];
  const key = String.fromCharCode(...head) + perm.map((i) => codes[i]).join('|');
  const rep: RState = { pre10: s.pre10, pubItlr, resetItl, backup, backupOpens: backupLive, nodes, phones: perm.map((i) => phones[i]!), next: cluster };
  return { key, rep, perm };
}
