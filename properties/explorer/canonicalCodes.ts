/**
 * The canonical form as key codes (the abstraction itself is described at canonical.ts
 * `canonical`, whose steps the comments here name): `canonicalCodes` renumbers a state's keys and
 * writes its key, allocating nothing; `phonesOnlyCodes` writes the key of a successor by an action
 * that changes only the phones from its parent's cluster codes. The module scratch they leave
 * (each key's id, the phones' order) is what canonical.ts `representative` reads.
 */
import { PUBLISHER } from '../spec/constants.ts';
import type { SpecScope } from '../spec/scope.ts';
import type { SpecPhone, SpecState } from '../spec/state.ts';

/** The value every dead key of a phone's ITL or CTL, a served reset ITL, the cluster's CTL or a node's loaded ITLRecovery becomes ("no key", NO_KEY = -1, is kept: a forged ITL has NO_KEY records, and step 4 needs them unchanged). */
export const DEAD = -2;

/** Where key codes are written: 16-bit codes (the explorer's strings), or bytes (the packed store's). */
export type CodeArray = Uint16Array | Uint8Array;

/**
 * A state's key as char codes: data[0 .. length) (grown as needed, to a multiple of 8 codes). Bytes
 * hold every code while at most 253 keys are alive, with at most 254 nodes and 255 phones;
 * `canonicalCodes` throws rather than write into bytes a code that may not fit.
 */
export interface KeyCodes<A extends CodeArray = Uint16Array> {
  data: A;
  length: number;
}

// The implementation works in module scratch, so that a state already known costs no allocation:
// `canonicalCodes` renumbers and encodes, canonical.ts `representative` then builds the representative
// from the same scratch. Keys are small non-negative ints below `s.nextKey`; NO_KEY and DEAD are negative.
// The encoding is the explorer's own: booleans and trust become small numbers here, not in the spec.

/**
 * The keys of the current call: ids[k] is key k's id once it has one, LIVE while it is live and has
 * none yet, and DEAD while it is dead (every key below the state's nextKey starts the call DEAD). So a
 * key's code is read from its entry alone, live or dead.
 */
let ids = new Int32Array(64);
/** The entry of a live key that has no id yet (below NO_KEY and DEAD, so never a code). */
const LIVE = -4;
/** Ids given so far in this call (renumbering in order of first use). */
let count = 0;

/** How many ids the state last given to `canonicalCodes` has (its representative's nextKey). */
export function keyCount(): number {
  return count;
}

/** Phone i's code is at key[at[i] .. at[i + 1]) before sorting; codes: scratch for moving them. */
let codes: Uint16Array = new Uint16Array(64);
let at = new Int32Array(8);
/** perm[i] = index in the input state of the representative's phone i; all of it i when permIdentity. */
let perm = new Int32Array(8);
let permIdentity = true;

/** `ids` grown to hold keys below `next` rounded up to 4 (canonicalCodes sets them four at a time). */
function idsFor(next: number): Int32Array {
  if (next + 3 > ids.length) ids = new Int32Array(Math.max(next + 3, 2 * ids.length));
  return ids;
}

/** The phones of the representative last coded, by index in the input state (perm, or each its own when permIdentity). */
export function phoneOrder(phones: number): number[] {
  return Array.from({ length: phones }, (_, i) => (permIdentity ? i : perm[i]!));
}

/** Grows the phones' scratch (at, perm) to hold `phones` phones. */
function phoneRoom(phones: number): void {
  [at, perm] = [new Int32Array(2 * phones + 1), new Int32Array(2 * phones + 1)];
}

/** Room for the longest key a state of these nodes and phones can have: the cluster's codes, then six fields, an ITL and a CTL a phone. Pure. */
function keyRoom(nodes: number, phones: number): number {
  return 5 + 7 * nodes + (6 + nodes) + (4 + nodes) + phones * (14 + 2 * nodes);
}

/** `a` when it holds `n` codes, else a larger copy (the hot path writes with no check of its own). */
function room<A extends CodeArray>(a: A, n: number): A {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (length: number) => A)((Math.max(n, 2 * a.length) + 7) & ~7);
  b.set(a);
  return b;
}

/** Step 2 for the state last coded, once every live key has its id: a live key's id, DEAD for a dead one (NO_KEY and DEAD stay). */
export function keyId(k: number): number {
  return k < 0 ? k : ids[k]!;
}

/**
 * Steps 1–3 for the TVS record of node t in the ITL of phone i (by its index in the input state) of
 * the state last coded: its id, or DEAD when dead or outside the phone's TVS list (the table that
 * coding read, tvsMembers).
 */
export function phoneTvsKey(k: number, i: number, t: number): number {
  if (k < 0) return k;
  return members[i * membersNodes + t] === 1 ? ids[k]! : DEAD;
}

/** Step 9: the dense rank (1 = earliest) of a restart rank among the phones of `s`; 0 stays 0. */
export function backRank(s: SpecState, back: number): number {
  if (!back) return 0;
  let rank = 1;
  for (let i = 0; i < s.phones.length; i++) {
    const b = s.phones[i]!.restartRank;
    if (b && b < back && !earlierCopy(s, i, b)) rank++;
  }
  return rank;
}

/** Whether a phone before index i has restart rank b (so b is counted once). */
function earlierCopy(s: SpecState, i: number, b: number): boolean {
  for (let j = 0; j < i; j++) if (s.phones[j]!.restartRank === b) return true;
  return false;
}

/**
 * Steps 1, 2, 11 for a phone's CTL, written at c[n ..]; returns where it ends: 0 for none, else its
 * region (1 installed, 2 rejected) and its records, +3: its SAST records, and its CCM+TFTP records
 * of the subscribers before 12.0 (step 11).
 */
function phoneCtlCode(s: SpecState, p: SpecPhone, c: CodeArray, n: number, idv: Int32Array): number {
  const ctl = p.ctl;
  if (!ctl) {
    c[n] = 0;
    return n + 1;
  }
  c[n++] = p.ctlRejected ? 2 : 1;
  let k = ctl.sastA;
  c[n++] = (k < 0 ? k : idv[k]!) + 3;
  k = ctl.sastB;
  c[n++] = (k < 0 ? k : idv[k]!) + 3;
  if (!s.from12)
    for (let x = 1; x < ctl.ccm.length; x++) {
      k = ctl.ccm[x]!;
      c[n++] = (k < 0 ? k : idv[k]!) + 3;
    }
  return n;
}

/** Compares the codes of phones a and b (at c[at[a] .. at[a + 1]) and c[at[b] .. at[b + 1])) as strings compare. */
function comparePhones(c: CodeArray, a: number, b: number): number {
  const aStart = at[a]!;
  const bStart = at[b]!;
  const aEnd = at[a + 1]!;
  const bEnd = at[b + 1]!;
  for (let i = aStart, j = bStart; i < aEnd && j < bEnd; i++, j++) if (c[i] !== c[j]) return c[i]! - c[j]!;
  return aEnd - aStart - (bEnd - bStart);
}

/** Whether a node serves the reset ITL (step 7: only a served one is part of the state). */
export function resetServed(s: SpecState): boolean {
  if (s.resetItl === null) return false;
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.servesReset) return true;
  return false;
}

/** The configurations and node count `tvsMembers` was last asked about, and its answer. */
let membersOf: SpecScope['configs'] | undefined;
let membersNodes = 0;
let members = new Uint8Array(0);

/**
 * Step 3's TVS lists as a table: members[i * nodes + t] is 1 when node t is in phone i's TVS list
 * (every node when the phone has no configuration: its list is then the whole cluster). Kept from
 * one call to the next while the configurations are the same array.
 */
function tvsMembers(configs: SpecScope['configs'] | undefined, phones: number, nodes: number): Uint8Array {
  if (configs === membersOf && nodes === membersNodes && members.length >= phones * nodes) return members;
  const out = new Uint8Array(phones * nodes).fill(1);
  for (let i = 0; i < phones; i++) {
    const list = configs?.[i]?.tvs;
    if (!list) continue;
    for (let t = 0; t < nodes; t++) out[i * nodes + t] = list.includes(t) ? 1 : 0;
  }
  membersOf = configs;
  membersNodes = nodes;
  members = out;
  return out;
}

/**
 * Writes the canonical key of `s` into `into` as char codes; leaves the scratch for
 * `representative(s)`. Allocates nothing once its buffers have grown to the scope's size: it writes
 * into typed arrays, with room checked once per part rather than per code.
 */
export function canonicalCodes(
  s: SpecState,
  groups: number[][],
  scope: SpecScope | undefined,
  into: KeyCodes<CodeArray>,
): void {
  const nodes = s.nodes;
  const phones = s.phones;
  const keys = s.nextKey;
  const idv = keys + 3 > ids.length ? idsFor(keys) : ids;
  if (phones.length >= at.length) phoneRoom(phones.length);
  // Every key starts the call DEAD: written here, four at a time, rather than by fill() or a loop of
  // one a turn (a call of the builtin, or the loop's own work, costs more than these few entries:
  // 88 -> 80 ns a call measured cache-hot).
  for (let k = 0; k < keys; k += 4) {
    idv[k] = DEAD;
    idv[k + 1] = DEAD;
    idv[k + 2] = DEAD;
    idv[k + 3] = DEAD;
  }
  const from12 = s.from12;
  // Step 2: mark the live keys (step 7: the reset key only while served; step 11: from 12.0 a
  // subscriber's CallManager is not read).
  const backupLive = s.backup >= 0 && s.backupOpens;
  const serving = resetServed(s);
  const ctl = s.ctl;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if ((!from12 || i === PUBLISHER) && node.callManager >= 0) idv[node.callManager] = LIVE;
    if (node.tvs >= 0) idv[node.tvs] = LIVE;
    if (node.attacker >= 0) idv[node.attacker] = LIVE;
    if (from12 && node.loadedRecovery >= 0) idv[node.loadedRecovery] = LIVE;
  }
  if (s.itlRecovery >= 0) idv[s.itlRecovery] = LIVE;
  if (backupLive) idv[s.backup] = LIVE;
  if (serving && s.resetItl!.signer >= 0) idv[s.resetItl!.signer] = LIVE;
  if (ctl && ctl.signer >= 0) idv[ctl.signer] = LIVE;
  // The cluster part, renumbering keys in order of first use: `next` ids given so far. A key k >= 0
  // that is live gets its id (a new one, `next++`, at first use: its entry is LIVE until then); a
  // dead one (its entry left DEAD) is DEAD; NO_KEY and DEAD stay. Written out at each
  // field rather than called: this is the checker's hottest code.
  const reset = serving ? s.resetItl! : null;
  const need = keyRoom(nodes.length, phones.length);
  const o = into.data.length >= need ? into.data : room(into.data, need);
  let next = 0;
  let n = 0;
  let k = 0;
  o[n++] = (s.pre10 ? 1 : 0) + (from12 ? 2 : 0);
  k = s.itlRecovery;
  if (k >= 0) {
    const id = idv[k]!;
    k = id === LIVE ? (idv[k] = next++) : id;
  }
  o[n++] = k + 3;
  k = backupLive ? s.backup : -1;
  if (k >= 0) {
    const id = idv[k]!;
    k = id === LIVE ? (idv[k] = next++) : id;
  }
  o[n++] = k + 3;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (from12 && i !== PUBLISHER) o[n++] = 0;
    else {
      k = node.callManager;
      if (k >= 0) {
        const id = idv[k]!;
        k = id === LIVE ? (idv[k] = next++) : id;
      }
      o[n++] = k + 3;
    }
    k = node.tvs;
    if (k >= 0) {
      const id = idv[k]!;
      k = id === LIVE ? (idv[k] = next++) : id;
    }
    o[n++] = k + 3;
    k = node.loadedRecovery;
    if (k >= 0) {
      const id = idv[k]!;
      k = id === LIVE ? (idv[k] = next++) : id;
    }
    o[n++] = k + 3;
    o[n++] = node.servesReset ? 1 : 0;
    k = node.attacker;
    if (k >= 0) {
      const id = idv[k]!;
      k = id === LIVE ? (idv[k] = next++) : id;
    }
    o[n++] = k + 3;
    o[n++] = node.corrupt ? 1 : 0;
    o[n++] = node.holdRank;
  }
  if (!reset) o[n++] = 0;
  else {
    // Its signer, SAST records and ITLRECOVERY, forged, bad, then its TVS records.
    const tvs = reset.tvs;
    for (let x = 0; x < 4 + tvs.length; x++) {
      k =
        x === 0
          ? reset.signer
          : x === 1
            ? reset.sastA
            : x === 2
              ? reset.sastB
              : x === 3
                ? reset.itlRecovery
                : tvs[x - 4]!;
      if (k >= 0) {
        const id = idv[k]!;
        k = id === LIVE ? (idv[k] = next++) : id;
      }
      o[n++] = k + 3;
      if (x === 3) {
        o[n++] = (reset.forged ? 1 : 0) + 3;
        o[n++] = (reset.bad ? 1 : 0) + 3;
      }
    }
  }
  if (!ctl) o[n++] = 0;
  else {
    o[n++] = 1;
    const records = from12 ? 3 : 2 + ctl.ccm.length;
    for (let x = 0; x < records; x++) {
      k = x === 0 ? ctl.signer : x === 1 ? ctl.sastA : x === 2 ? ctl.sastB : ctl.ccm[x - 2]!;
      if (k >= 0) {
        const id = idv[k]!;
        k = id === LIVE ? (idv[k] = next++) : id;
      }
      o[n++] = k + 3;
    }
  }
  count = next;
  const end = phoneCodes(s, groups, scope, o, n, idv);
  checkedKey(o, end, count, nodes.length, phones.length);
  into.data = o;
  into.length = end;
}

/** identity[k] = k: how `phonesOnlyCodes` codes keys (a representative's keys are their own ids). */
let identity = new Int32Array(0);
/** The key array `phonesOnlyCodes` last wrote, and its bytes as words (the cluster codes are copied a word at a time). */
let outBytes: Uint8Array = new Uint8Array(0);
let outWords: Uint32Array = new Uint32Array(0);

/**
 * Where the phones start in the key of a representative `rep` (so, of any state with rep's cluster):
 * the release, ITLRecovery and backup, 7 codes a node, the served reset ITL (its 4 keys, 2 flags and
 * a TVS record a node) or 0, the CTL (1, its signer, SAST records and, before 12.0, the subscribers'
 * CCM+TFTP records) or 0, as `canonicalCodes` writes them. Pure.
 */
export function clusterLength(rep: SpecState): number {
  const nodes = rep.nodes.length;
  const reset = resetServed(rep) ? 6 + rep.resetItl!.tvs.length : 1;
  const ctl = rep.ctl ? 1 + (rep.from12 ? 3 : 2 + rep.ctl.ccm.length) : 1;
  return 3 + 7 * nodes + reset + ctl;
}

/**
 * The canonical key of `s` (as `canonicalCodes` writes it) when `s` is a successor of a
 * representative `rep` by an action that changes only the phones (Action.phonesOnly): `prefix`
 * holds rep's key as words (four codes a word), whose first `length` codes (clusterLength(rep)) are
 * its cluster part; `into.data` holds a multiple of 4 codes, as canonicalCodes leaves it. The cluster
 * of `s` is rep's, so it has rep's live keys, ids and codes; every key of `s` is one of rep's (copied
 * from rep's cluster or phones: such an action makes none), and a representative's keys are their
 * own ids, so the renumbering maps each to itself and only the phones are coded (phoneCodes, as
 * canonicalCodes codes them). phonesOnly.prop.test.ts holds it equal to canonicalCodes. Leaves no
 * scratch for `representative`.
 */
export function phonesOnlyCodes(
  s: SpecState,
  groups: number[][],
  scope: SpecScope | undefined,
  prefix: Uint32Array,
  length: number,
  into: KeyCodes<Uint8Array>,
): void {
  const next = s.nextKey;
  if (next > identity.length) {
    identity = new Int32Array(Math.max(next, 2 * identity.length));
    for (let k = 0; k < identity.length; k++) identity[k] = k;
  }
  clusterThenPhones(s, groups, scope, prefix, length, identity, into);
}

/**
 * A key of `s` whose phones are coded as `canonicalCodes` codes them, after a head already coded:
 * cluster[0 ..] holds, as words (four codes a word), its `length` codes (the cluster codes
 * `canonicalCodes` writes for `s`, or the packed store's id of that cluster), and idv[k] is the id (or
 * DEAD) `canonicalCodes` gives each key k below s.nextKey. Used by phonesOnlyCodes and by the packed
 * explorer's cluster memo (properties/packed/clusterMemo.ts). Leaves no scratch for `representative`.
 */
export function clusterThenPhones(
  s: SpecState,
  groups: number[][],
  scope: SpecScope | undefined,
  cluster: Uint32Array,
  length: number,
  idv: Int32Array,
  into: KeyCodes<Uint8Array>,
): void {
  if (s.phones.length >= at.length) phoneRoom(s.phones.length);
  const need = keyRoom(s.nodes.length, s.phones.length);
  const o = into.data.length >= need ? into.data : room(into.data, need);
  if (o !== outBytes) {
    outBytes = o;
    outWords = new Uint32Array(o.buffer, o.byteOffset, o.length >>> 2);
  }
  // Whole words: the codes past `length` in the last one are written over by the phones' (at least
  // six). A word at a time, not a code at a time: 43 -> 58 ns a call the other way, cache-hot.
  const words = outWords;
  for (let w = 0; w < (length + 3) >>> 2; w++) words[w] = cluster[w]!;
  const end = phoneCodes(s, groups, scope, o, length, idv);
  checkedKey(o, end, s.nextKey, s.nodes.length, s.phones.length);
  into.data = o;
  into.length = end;
}

/**
 * Steps 1-3, 5, 6, 8-10 for the phones of `s`, written at o[first ..] with each key k >= 0 coded as
 * idv[k] (its id or DEAD; every live key has its id by now); returns where they end.
 */
function phoneCodes(
  s: SpecState,
  groups: number[][],
  scope: SpecScope | undefined,
  o: CodeArray,
  first: number,
  idv: Int32Array,
): number {
  // The phones, written in the input's order, then sorted within each symmetry group (step 8; a
  // stable insertion sort). Mostly they are in order already (a step changes one phone of a sorted
  // representative): then nothing moves.
  const phones = s.phones;
  const width = s.nodes.length;
  const ctl = s.ctl;
  const phoneCount = phones.length;
  const configs = scope?.configs;
  let n = first;
  let k = 0;
  const member =
    configs === membersOf && width === membersNodes && members.length >= phoneCount * width
      ? members
      : tvsMembers(configs, phoneCount, width);
  const starts = at;
  const sorting = groups.length !== phoneCount;
  // Steps 1-3, 5, 6, 9, 10 for each phone: every field of the representative's phone (trust is "has
  // an ITL"; an installed ITL keeps no `bad` flag, step 10), then, once the cluster has a CTL (a
  // phone can hold one only then, so states without mixed mode keep their codes), its CTL. Every
  // live key has its id by now: a phone's keys are live ones' ids or DEAD.
  for (let i = 0; i < phoneCount; i++) {
    const p = phones[i]!;
    if (sorting) starts[i] = n;
    o[n++] = p.restartRank === 0 ? 0 : backRank(s, p.restartRank);
    o[n++] = p.timersBefore;
    o[n++] = p.added ? 1 : 0;
    o[n++] = p.online ? 1 : 0;
    o[n++] = p.tftp + 1;
    o[n++] = p.pendingTftp === p.tftp ? 1 : p.pendingTftp + 2;
    const itl = p.itl;
    if (!itl) o[n++] = 0;
    else {
      k = itl.signer;
      o[n++] = (k < 0 ? k : idv[k]!) + 3;
      k = itl.sastA;
      o[n++] = (k < 0 ? k : idv[k]!) + 3;
      k = itl.sastB;
      o[n++] = (k < 0 ? k : idv[k]!) + 3;
      k = itl.itlRecovery;
      o[n++] = (k < 0 ? k : idv[k]!) + 3;
      o[n++] = (itl.forged ? 1 : 0) + 3;
      o[n++] = 3;
      // Step 3: a TVS record of a node outside the phone's TVS list is DEAD.
      const tvs = itl.tvs;
      const base = i * width;
      for (let t = 0; t < tvs.length; t++) {
        k = tvs[t]!;
        o[n++] = (k < 0 ? k : member[base + t] === 1 ? idv[k]! : DEAD) + 3;
      }
    }
    if (ctl) n = phoneCtlCode(s, p, o, n, idv);
  }
  let moved = false;
  // Each phone alone in its group (configurations all distinct): nothing to sort.
  if (!sorting) permIdentity = true;
  else {
    permIdentity = false;
    starts[phoneCount] = n;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      for (let j = 0; j < group.length; j++) {
        const phone = group[j]!;
        let x = j;
        for (; x > 0 && comparePhones(o, perm[group[x - 1]!]!, phone) > 0; x--) perm[group[x]!] = perm[group[x - 1]!]!;
        perm[group[x]!] = phone;
        moved ||= x !== j;
      }
    }
  }
  if (moved) {
    // Copy the phones' codes aside and write them back in the sorted order.
    const c = (codes = room(codes, n - first));
    for (let x = first; x < n; x++) c[x - first] = o[x]!;
    let m = first;
    for (let i = 0; i < phoneCount; i++) {
      const p = perm[i]!;
      const stop = at[p + 1]! - first;
      for (let x = at[p]! - first; x < stop; x++) o[m++] = c[x]!;
    }
  }
  return n;
}

/** Throws when a code may not fit a byte of the packed store (the largest: a key id + 3, a hold timer's rank or the timers before a restart, at most the nodes, a restart's rank, at most the phones, a TFTP node + 1 or a pending one + 2), or the key overran its room. */
function checkedKey(o: CodeArray, n: number, keys: number, nodes: number, phones: number): void {
  if ((keys > 253 || nodes > 254 || phones > 255) && o.BYTES_PER_ELEMENT === 1)
    throw new RangeError("bug: a canonical code does not fit the packed store's byte");
  if (n > o.length) throw new RangeError('bug: a canonical key is longer than its room');
}
