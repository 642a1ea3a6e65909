/**
 * The packed explorer's cluster memo: the canonical codes of a successor's cluster part, kept from
 * the first time they were computed. A state space has far fewer clusters than states (part C of the
 * default check: 5,760 clusters under 1,504,440 states), and an action's effect on the cluster reads
 * only the cluster (spec/action.ts, checked by clusterMemo.prop.test.ts): from states with the same
 * cluster, an event gives successors with the same cluster. The cluster part of a representative's
 * key (clusterLength codes) decodes to its whole cluster and its next key (codec.ts), so the
 * successor of a state with cluster codes c by event k has, every time, the cluster that `canonicalCodes`
 * met the first time (c, k) was seen: the same cluster codes and the same id for every key (they are
 * read from the cluster alone). The memo keeps both, and only the successor's phones are coded
 * (canonicalCodes.ts clusterThenPhones). clusterMemo.prop.test.ts holds its keys equal to
 * `canonicalCodes` on every successor of its scopes. Its arrays stay within a budget of their own:
 * once it is spent, a new cluster gets no entries and its successors are coded in full.
 */
import { canonicalCodes, clusterLength, clusterThenPhones, keyId, type KeyCodes } from '../explorer/canonicalCodes.ts';
import type { SpecScope } from '../spec/scope.ts';
import { samePhones, type SpecState } from '../spec/state.ts';

/** A key's id is kept +3 in a byte (DEAD, -2, as 1); an entry keeps the ids of at most this many keys. */
const OFFSET = 3;
const MAX_IDS = 255 - OFFSET;

/** An entry's first word: 1 + the length of its cluster codes (0: not seen yet), and two flags. */
const LENGTH = 0xffff;
/** Its event keeps the phones' codes as they were whenever it leaves the phones as they were (the key's format and every id the phones can hold kept). */
const KEEPS_PHONES = 1 << 16;
/** And it leaves the cluster's codes as they were too: the successor is the state itself whenever the phones are kept. */
const SAME_CLUSTER = 1 << 17;

/** One word into a running hash (packedStates.ts's step). Pure. */
function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x9e3779b1);
  return h ^ (h >>> 16);
}

/** The cluster memo of one packed run (see the module's comment). */
export class ClusterMemo {
  /** Words of a cluster's codes (its longest, four codes a word, padded with zeros); of an entry; of an entry's ids (four a word). */
  private readonly codeWords: number;
  private readonly entryWords: number;
  private readonly idRoom: number;
  /** Each event's slot among a cluster's entries (-1: its action changes only the phones, and needs none), and how many slots. */
  private readonly slotOf: Int32Array;
  private readonly slots: number;
  /** The clusters seen, by id, at clusterKeys[c * codeWords ..]; the table over them (1 + c, 0 free) and their hashes. */
  private clusterKeys: Uint32Array;
  private clusterCount = 0;
  private table = new Int32Array(64);
  private hashes = new Uint32Array(64);
  /**
   * The entries: cluster c's successor by the event of slot x at entries[(c * slots + x) * entryWords ..],
   * one cache line's worth, a cluster's together (read in turn as a state of it is expanded): 1 + the
   * length of its cluster codes (0: not seen yet), the codes, then its keys' ids +3, a byte each.
   */
  private entries: Uint32Array;
  private entryBytes: Uint8Array;
  /** Scratch: the cluster being entered, padded; the ids of a hit, as clusterThenPhones reads them. */
  private readonly padded: Uint32Array;
  private readonly idv: Int32Array;
  /** Where the entries of the cluster of the state being expanded start (-1: it has none, the budget was spent). */
  private current = -1;
  /** The state being expanded, its key (bytes and the same words), where its cluster codes end and where its key ends. */
  private parent: SpecState | null = null;
  private parentKey: Uint8Array = new Uint8Array(0);
  private parentWords: Uint32Array = new Uint32Array(0);
  private parentLength = 0;
  private parentEnd = 0;
  /** The key array `keyOf` last wrote, as words. */
  private outBytes: Uint8Array = new Uint8Array(0);
  private outWords: Uint32Array = new Uint32Array(0);
  /** Successors keyed from an entry, and in full. */
  hits = 0;
  misses = 0;

  /**
   * @param scope the run's scope (its node count sizes the entries)
   * @param phonesOnly for each event of the run, whether its action changes only the phones
   * @param budget bytes the memo's arrays may take in all (0: it keeps nothing)
   */
  constructor(
    scope: SpecScope,
    phonesOnly: boolean[],
    private readonly budget: number,
  ) {
    const nodes = scope.nodes;
    // The longest cluster part (clusterLength): release, ITLRecovery, backup, 7 a node, a served reset ITL, a CTL.
    this.codeWords = (3 + 7 * nodes + 6 + nodes + 3 + nodes + 3) >>> 2;
    let entryWords = 16;
    while (entryWords < 1 + this.codeWords + 4) entryWords *= 2;
    this.entryWords = entryWords;
    this.idRoom = Math.min(4 * (entryWords - 1 - this.codeWords), MAX_IDS);
    this.slotOf = new Int32Array(phonesOnly.length);
    let slots = 0;
    for (let k = 0; k < phonesOnly.length; k++) this.slotOf[k] = phonesOnly[k] ? -1 : slots++;
    this.slots = slots;
    this.clusterKeys = new Uint32Array(0);
    this.entries = new Uint32Array(0);
    this.entryBytes = new Uint8Array(0);
    this.padded = new Uint32Array(this.codeWords);
    this.idv = new Int32Array(this.idRoom);
  }

  /** The bytes the memo's arrays take now. */
  bytes(): number {
    return this.clusterKeys.byteLength + this.table.byteLength + this.hashes.byteLength + this.entries.byteLength;
  }

  /**
   * The state about to be expanded is `parent`, a representative whose key is key[0 .. end), its
   * cluster codes key[0 .. length) (`key` is read by words too: its byte offset and length are
   * multiples of 4): finds its cluster, or adds it.
   */
  enter(parent: SpecState, key: Uint8Array, length: number, end: number): void {
    if (key !== this.parentKey) {
      this.parentKey = key;
      this.parentWords = new Uint32Array(key.buffer, key.byteOffset, key.length >>> 2);
    }
    this.parent = parent;
    this.parentLength = length;
    this.parentEnd = end;
    const prefix = this.parentWords;
    const words = this.codeWords;
    const padded = this.padded;
    const full = length >>> 2;
    for (let w = 0; w < words; w++) padded[w] = w < full ? prefix[w]! : 0;
    if ((length & 3) !== 0) padded[full] = prefix[full]! & ((1 << (8 * (length & 3))) - 1);
    let h = 0x9747b28c;
    for (let w = 0; w < words; w++) h = mix(h, padded[w]!);
    h >>>= 0;
    const table = this.table;
    const mask = table.length - 1;
    const keys = this.clusterKeys;
    probe: for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) break;
      if (this.hashes[slot] !== h) continue;
      const at = (entry - 1) * words;
      for (let w = 0; w < words; w++) if (keys[at + w] !== padded[w]) continue probe;
      this.current = (entry - 1) * this.slots * this.entryWords;
      return;
    }
    const c = this.addCluster(h);
    this.current = c < 0 ? -1 : c * this.slots * this.entryWords;
  }

  /**
   * Writes into `into` the canonical key of `s`, the successor by event `k` (of an action that is not
   * phones-only) of the state last entered, as `canonicalCodes` writes it (which it calls for a first
   * sight, a cluster without entries, or a successor with more keys than an entry holds). True, with
   * nothing written, when the successor is that state itself (its entry keeps the cluster and the
   * phones' codes, and the effect left the phones as they were).
   */
  keyOf(k: number, s: SpecState, groups: number[][], scope: SpecScope, into: KeyCodes<Uint8Array>): boolean {
    const next = s.nextKey;
    if (this.current < 0 || next > this.idRoom) {
      this.misses++;
      canonicalCodes(s, groups, scope, into);
      return false;
    }
    const at = this.current + this.slotOf[k]! * this.entryWords;
    const entries = this.entries;
    const head = entries[at]!;
    if (head === 0) {
      this.misses++;
      canonicalCodes(s, groups, scope, into);
      this.record(at, s, into.data);
      return false;
    }
    this.hits++;
    const length = (head & LENGTH) - 1;
    const phones = this.parentEnd - this.parentLength;
    if ((head & KEEPS_PHONES) !== 0 && length + phones <= into.data.length && samePhones(s, this.parent!)) {
      if ((head & SAME_CLUSTER) !== 0) return true;
      // The entry's cluster codes, then the parent's phones' codes as they were.
      const o = into.data;
      if (o !== this.outBytes) {
        this.outBytes = o;
        this.outWords = new Uint32Array(o.buffer, o.byteOffset, o.length >>> 2);
      }
      const words = this.outWords;
      for (let w = 0; w < (length + 3) >>> 2; w++) words[w] = entries[at + 1 + w]!;
      const key = this.parentKey;
      const from = this.parentLength - length;
      for (let x = length; x < length + phones; x++) o[x] = key[from + x]!;
      into.length = length + phones;
      return false;
    }
    const bytes = this.entryBytes;
    const idv = this.idv;
    const from = 4 * (at + 1 + this.codeWords);
    for (let x = 0; x < next; x++) idv[x] = bytes[from + x]! - OFFSET;
    clusterThenPhones(s, groups, scope, entries, at + 1, length, idv, into);
    return false;
  }

  /** Records as the entry at entries[at ..] the cluster codes (data[0 ..]) and the keys' ids `canonicalCodes` just gave `s`. */
  private record(at: number, s: SpecState, data: Uint8Array): void {
    const length = clusterLength(s);
    const entries = this.entries;
    let same = length === this.parentLength;
    for (let w = 0; w < this.codeWords; w++) {
      let word = 0;
      for (let b = 3; b >= 0; b--) word = (word << 8) | (4 * w + b < length ? data[4 * w + b]! : 0);
      entries[at + 1 + w] = word >>> 0;
      same &&= word >>> 0 === this.padded[w];
    }
    const from = 4 * (at + 1 + this.codeWords);
    for (let x = 0; x < s.nextKey; x++) this.entryBytes[from + x] = keyId(x) + OFFSET;
    // The phones' codes stay as they were when their keys keep their ids (the parent's keys are its
    // ids 0 .. nextKey - 1, the phones hold no other) and their format is the same (the phones' CTL
    // region is coded only once the cluster has a CTL, and the release decides its records).
    const parent = this.parent!;
    let keeps = s.from12 === parent.from12 && (s.ctl === null) === (parent.ctl === null);
    for (let x = 0; keeps && x < parent.nextKey; x++) keeps = keyId(x) === x;
    entries[at] = length + 1 + (keeps ? KEEPS_PHONES : 0) + (keeps && same ? SAME_CLUSTER : 0);
  }

  /** Adds the cluster in `padded`, with hash h: its id, or -1 when its entries would not fit the budget. */
  private addCluster(h: number): number {
    const c = this.clusterCount;
    const words = this.codeWords;
    const perCluster = this.slots * this.entryWords;
    if ((c + 1) * perCluster > this.entries.length) {
      const clusters = Math.max(8, 2 * c);
      // The arrays being grown and their successors count together.
      if (this.bytes() + 4 * clusters * (words + perCluster) > this.budget) return -1;
      this.clusterKeys = grown(this.clusterKeys, clusters * words);
      this.entries = grown(this.entries, clusters * perCluster);
      this.entryBytes = new Uint8Array(this.entries.buffer);
    }
    if (2 * (c + 1) > this.table.length) {
      if (this.bytes() + 2 * (this.table.byteLength + this.hashes.byteLength) > this.budget) return -1;
      this.rehash(2 * this.table.length);
    }
    this.clusterKeys.set(this.padded, c * words);
    this.clusterCount = c + 1;
    const mask = this.table.length - 1;
    let slot = h & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = c + 1;
    this.hashes[slot] = h;
    return c;
  }

  /** Rebuilds the cluster table with `size` slots. */
  private rehash(size: number): void {
    const table = new Int32Array(size);
    const hashes = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.table.length; i++) {
      if (this.table[i] === 0) continue;
      let slot = this.hashes[i]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = this.table[i]!;
      hashes[slot] = this.hashes[i]!;
    }
    this.table = table;
    this.hashes = hashes;
  }
}

/** `a` grown to `length` elements (a copy). */
function grown<T extends Uint32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
