/**
 * The packed explorer's clusters: every cluster part of a canonical key (clusterLength codes) gets
 * an id, and the packed store keeps a state as its cluster's id and its phones' codes (a stored key:
 * CLUSTER_CODES codes for the id, then the phones' codes as `canonicalCodes` writes them). A state
 * space has far fewer clusters than states (part C of the default check: 5,760 under 1,504,440), so
 * the stored keys are short, and a successor's cluster is found from a memo instead of being coded.
 *
 * The memo: an action's effect on the cluster reads only the cluster (spec/action.ts, checked by
 * clusterMemo.prop.test.ts), and the cluster codes of a representative decode to its whole cluster
 * and its next key (codec.ts). So from every state of cluster c, event k gives a successor whose
 * cluster is, every time, the one `canonicalCodes` met the first time (c, k) was seen: the same
 * cluster id and the same id for every key (canonicalCodes reads them from the cluster alone). The
 * memo keeps both, and only the successor's phones are coded (canonicalCodes.ts clusterThenPhones);
 * when the effect left the phones as they were, their codes are the parent's with each key renumbered
 * by the entry (copied as they are when the entry keeps every id they can hold), and when the entry
 * keeps the cluster and the ids the successor is the parent itself. An action that is `clusterOnly`
 * (spec/action.ts) leaves the phones as they were by its nature: its successor is keyed from the entry
 * and the parent alone (`quietKeyOf`), without its effect being run.
 * clusterMemo.prop.test.ts holds the stored keys equal to `canonicalCodes`' on every successor of its
 * scopes. Everything is in typed arrays, out of the run's budget with the state store: a cluster that
 * does not fit is out of budget for the run; the entries take at most a sixteenth of the budget and
 * are given back when the store needs the room (they only save time); a cluster without entries has
 * its successors coded in full.
 */
import { canonicalCodes, clusterLength, clusterThenPhones, keyId, type KeyCodes } from '../explorer/canonicalCodes.ts';
import type { SpecScope } from '../spec/scope.ts';
import { samePhones, type SpecState } from '../spec/state.ts';
import { KeyPositions } from './keyPositions.ts';
import { FULL, grown, PackedStates } from './packedStates.ts';

/** The codes of a cluster id at the head of a stored key: eight, four bits each (low bits first). */
export const CLUSTER_CODES = 8;

/** What `keyOf` did: wrote the stored key, found the successor to be the parent itself, or ran out of budget; `quietKeyOf`: or had no entry to key it from. */
export const WRITTEN = 0;
export const SELF = 1;
export const NO_ROOM = -1;
export const NO_ENTRY = -2;

/** The share of the budget the entries may take. */
const ENTRY_SHARE = 16;

/** A key's id is kept +3 in a byte (DEAD, -2, as 1). */
const OFFSET = 3;

/** An entry's first word: 1 once seen, and three flags. */
const SEEN_ENTRY = 1;
/** Its event keeps the phones' codes whenever it leaves the phones as they were (the key's format and every id the phones can hold kept). */
const KEEPS_PHONES = 2;
/** And it keeps the cluster: the successor is the parent itself whenever the phones are kept. */
const SAME_CLUSTER = 4;
/**
 * Its event keeps the format of the phones' codes (the release, and whether the cluster has a CTL):
 * when it leaves the phones as they were, their codes are the parent's with each key's id renumbered.
 */
const KEEPS_FORMAT = 8;

/** Writes cluster id `c` as CLUSTER_CODES codes into out[0 .. 2) (four codes a word). */
function idWords(c: number, out: Uint32Array): void {
  let low = 0;
  let high = 0;
  for (let i = 3; i >= 0; i--) {
    low = (low << 8) | ((c >>> (4 * i)) & 15);
    high = (high << 8) | ((c >>> (4 * i + 16)) & 15);
  }
  out[0] = low >>> 0;
  out[1] = high >>> 0;
}

/** The clusters and the memo of one packed run (see the module's comment). */
export class ClusterMemo {
  /** Words of the longest cluster part (four codes a word); of an entry; ids an entry keeps. */
  private readonly codeWords: number;
  private readonly entryWords: number;
  private readonly idRoom: number;
  /** Each event's slot among a cluster's entries (-1: its action changes only the phones, and needs none), and how many slots. */
  private readonly slotOf: Int32Array;
  private readonly slots: number;
  /** The clusters: their codes, kept by a state store of their own (a cluster's id is its id there), and their lengths by id. */
  private readonly clusters: PackedStates;
  private lengths: Uint16Array = new Uint16Array(0);
  /**
   * The entries of clusters 0 .. entryClusters - 1: cluster c's successor by the event of slot x at
   * entries[(c * slots + x) * entryWords ..] (a cluster's together, read in turn as one of its states
   * is expanded): its first word (0: not seen yet), the successor's cluster, its keys' ids +3 (bytes).
   */
  private entries: Uint32Array = new Uint32Array(0);
  private entryBytes: Uint8Array = new Uint8Array(0);
  private entryClusters = 0;
  /** The entries were given back to the state store (`releaseEntries`): none are kept from then on. */
  private released = false;
  /** Scratch: a cluster being interned (the store zeroes what follows its codes); the ids of a hit; a cluster id as codes. */
  private readonly interned: Uint8Array;
  private readonly idv: Int32Array;
  private readonly idCodes = new Uint32Array(2);
  /** The state being expanded: its cluster, where its entries start (-1: none), the state, its stored key as words and its length. */
  private parentCluster = 0;
  private current = -1;
  private parent: SpecState | null = null;
  private parentWords: Uint32Array = new Uint32Array(0);
  private parentEnd = 0;
  /** The key array `keyOf` last wrote, as words. */
  private outBytes: Uint8Array = new Uint8Array(0);
  private outWords: Uint32Array = new Uint32Array(0);
  /** Where the parent's phones' codes name a key (found when first needed). */
  private readonly keyPositions = new KeyPositions();
  /** Where `enter` leaves what it read (so that the reads are not optimised away). */
  sink = 0;
  /** Successors `keyOf` keyed from an entry, and coded in full (`quietKeyOf`'s are not counted). */
  hits = 0;
  misses = 0;

  /**
   * @param scope the run's scope (its node count sizes the entries)
   * @param phonesOnly for each event of the run, whether its action changes only the phones
   * @param budget bytes the arrays may take in all, with `others`
   * @param others bytes that other arrays of the run take now, out of the same budget (the state store)
   */
  constructor(
    scope: SpecScope,
    phonesOnly: boolean[],
    private readonly budget: number,
    private readonly others: () => number = () => 0,
  ) {
    const nodes = scope.nodes;
    // The longest cluster part (clusterLength): release, ITLRecovery, backup, 7 a node, a served reset ITL, a CTL.
    this.codeWords = (3 + 7 * nodes + 6 + nodes + 3 + nodes + 3) >>> 2;
    // An entry: its first word, the successor's cluster, and room for the ids of 16 + 4 a node keys.
    let entryWords = 8;
    while (entryWords < 2 + ((16 + 4 * nodes) >>> 2)) entryWords *= 2;
    this.entryWords = entryWords;
    this.idRoom = 4 * (entryWords - 2);
    this.slotOf = new Int32Array(phonesOnly.length);
    let slots = 0;
    for (let k = 0; k < phonesOnly.length; k++) this.slotOf[k] = phonesOnly[k] ? -1 : slots++;
    this.slots = slots;
    this.interned = new Uint8Array(8 * Math.ceil(this.codeWords / 2));
    this.idv = new Int32Array(this.idRoom);
    this.clusters = new PackedStates(budget, () => this.lengths.byteLength + this.entries.byteLength + others());
  }

  /** The bytes the arrays take now. */
  bytes(): number {
    return this.clusters.storeBytes() + this.lengths.byteLength + this.entries.byteLength;
  }

  /**
   * Gives back the entries' memory (the state store needs it: they only save time): from now on every
   * successor not by a phones-only action is coded in full. Whether there was any to give.
   */
  releaseEntries(): boolean {
    if (this.entries.byteLength === 0) return false;
    this.entries = new Uint32Array(0);
    this.entryBytes = new Uint8Array(0);
    this.entryClusters = 0;
    this.current = -1;
    this.released = true;
    return true;
  }

  /** The bytes taken now out of the budget: these arrays' and the others'. */
  private taken(): number {
    return this.bytes() + this.others();
  }

  /** The most codes a cluster part of this scope can have (room for `canonical`). */
  longestCluster(): number {
    return 4 * this.codeWords;
  }

  /** How many clusters there are. */
  clusterCount(): number {
    return this.clusters.size;
  }

  /** The id of the cluster whose codes are codes[0 .. length), a new one the first time; -1 when it would not fit the budget. */
  intern(codes: Uint8Array, length: number): number {
    const c = this.clusters.size;
    if (c === this.lengths.length) {
      // The arrays being grown and their successors count together.
      if (this.taken() + 2 * Math.max(64, 2 * c) > this.budget) return -1;
      this.lengths = grown(this.lengths, Math.max(64, 2 * c));
    }
    const scratch = this.interned;
    for (let x = 0; x < length; x++) scratch[x] = codes[x]!;
    if (this.clusters.add(scratch, length, -1, 0) === FULL) return -1;
    const id = this.clusters.found;
    this.lengths[id] = length;
    return id;
  }

  /** The cluster id at the head of the stored key `key`. */
  clusterOf(key: Uint8Array): number {
    let c = 0;
    for (let i = CLUSTER_CODES - 1; i >= 0; i--) c = (c << 4) | key[i]!;
    return c >>> 0;
  }

  /**
   * The canonical key of the stored key `key` (of `width` codes, zero-padded) written into out[0 ..):
   * its cluster's codes, then its phones'. Returns where the cluster's codes end.
   */
  canonical(key: Uint8Array, width: number, out: Uint8Array): number {
    const c = this.clusterOf(key);
    const length = this.lengths[c]!;
    const codes = this.clusters.key(c);
    for (let x = 0; x < length; x++) out[x] = codes[x]!;
    for (let x = CLUSTER_CODES; x < width; x++) out[length + x - CLUSTER_CODES] = key[x]!;
    return length;
  }

  /**
   * Turns the canonical key of `s` in `into` (as canonicalCodes writes it) into its stored key, in
   * place: its cluster's id (interned), then its phones' codes. The cluster id, or -1 when the
   * cluster would not fit the budget.
   */
  stored(s: SpecState, into: KeyCodes<Uint8Array>): number {
    const length = clusterLength(s);
    const o = into.data;
    const c = this.intern(o, length);
    if (c < 0) return -1;
    for (let x = length; x < into.length; x++) o[x - length + CLUSTER_CODES] = o[x]!;
    into.length += CLUSTER_CODES - length;
    for (let i = 0; i < CLUSTER_CODES; i++) o[i] = (c >>> (4 * i)) & 15;
    return c;
  }

  /**
   * The state about to be expanded is `parent`, a representative of cluster `c` whose stored key is
   * key[0 .. end) (`key` is read by words too: its byte offset and length are multiples of 4).
   */
  enter(c: number, parent: SpecState, key: Uint8Array, end: number): void {
    if (key.buffer !== this.parentWords.buffer || key.byteOffset !== this.parentWords.byteOffset)
      this.parentWords = new Uint32Array(key.buffer, key.byteOffset, key.length >>> 2);
    this.parent = parent;
    this.parentEnd = end;
    this.parentCluster = c;
    this.keyPositions.reset(parent, key, CLUSTER_CODES, end);
    const at = c < this.entryClusters || this.growEntries(c) ? c * this.slots * this.entryWords : -1;
    this.current = at;
    if (at < 0 || this.slots === 0) return;
    // Its cluster's entries, read now a cache line at a time (their reads overlap), not one by one
    // between its successors' steps, each then a miss of its own.
    const entries = this.entries;
    const last = at + this.slots * this.entryWords - 1;
    let sink = entries[last]!;
    for (let w = at; w < last; w += 16) sink ^= entries[w]!;
    this.sink = sink;
  }

  /**
   * Writes into `into` the stored key of `s`, the successor by event `k` (of an action that is not
   * phones-only) of the state last entered (coding it with `canonicalCodes` the first time, for a
   * cluster without entries, or for a successor with more keys than an entry holds): WRITTEN; SELF,
   * with nothing written, when it is that state itself; NO_ROOM when its cluster would not fit the budget.
   */
  keyOf(k: number, s: SpecState, groups: number[][], scope: SpecScope, into: KeyCodes<Uint8Array>): number {
    const next = s.nextKey;
    const at = this.current + this.slotOf[k]! * this.entryWords;
    const entries = this.entries;
    if (this.current < 0 || next > this.idRoom || entries[at] === 0) {
      this.misses++;
      canonicalCodes(s, groups, scope, into);
      const c = this.stored(s, into);
      if (c < 0) return NO_ROOM;
      if (this.current >= 0 && next <= this.idRoom) this.record(at, s, c);
      return WRITTEN;
    }
    this.hits++;
    const head = entries[at]!;
    if (samePhones(s, this.parent!)) {
      const done = this.fromParent(at, head, groups, scope, into);
      if (done !== NO_ENTRY) return done;
    }
    const bytes = this.entryBytes;
    const idv = this.idv;
    const from = 4 * (at + 2);
    for (let x = 0; x < next; x++) idv[x] = bytes[from + x]! - OFFSET;
    idWords(entries[at + 1]!, this.idCodes);
    clusterThenPhones(s, groups, scope, this.idCodes, CLUSTER_CODES, idv, into);
    return WRITTEN;
  }

  /**
   * Writes into `into` the stored key of the successor by event `k` of the state last entered, for an
   * action that is `clusterOnly` (spec/action.ts: it leaves the phones as they were), from the entry
   * of (its cluster, k) alone, without the successor: WRITTEN, SELF, or NO_ENTRY, so that `keyOf`
   * must: when there is no entry (the first time, or without room), when the event changes the
   * phones' format, or as `fromParent` says.
   */
  quietKeyOf(k: number, groups: number[][], scope: SpecScope, into: KeyCodes<Uint8Array>): number {
    if (this.current < 0) return NO_ENTRY;
    const at = this.current + this.slotOf[k]! * this.entryWords;
    return this.fromParent(at, this.entries[at]!, groups, scope, into);
  }

  /**
   * The successor of the state last entered whose phones are its parent's, by the event of the entry
   * at entries[at ..] (`head` its first word): SELF when the entry keeps the cluster and every key's
   * id; else WRITTEN, the stored key written into `into`: the successor's cluster id, then the
   * parent's phones' codes, each key renumbered by the entry unless it keeps every id. NO_ENTRY when
   * there is no entry, the event changes the phones' format, the codes would need sorting again
   * (phones alike), or `into` has no room.
   */
  private fromParent(
    at: number,
    head: number,
    groups: number[][],
    scope: SpecScope,
    into: KeyCodes<Uint8Array>,
  ): number {
    if ((head & KEEPS_FORMAT) === 0) return NO_ENTRY;
    const keeps = (head & KEEPS_PHONES) !== 0;
    if (keeps && (head & SAME_CLUSTER) !== 0) return SELF;
    const end = this.parentEnd;
    const o = into.data;
    if (end + 3 > o.length || (!keeps && groups.length !== this.parent!.phones.length)) return NO_ENTRY;
    if (o !== this.outBytes) {
      this.outBytes = o;
      this.outWords = new Uint32Array(o.buffer, o.byteOffset, o.length >>> 2);
    }
    const words = this.outWords;
    idWords(this.entries[at + 1]!, words);
    const parent = this.parentWords;
    for (let w = CLUSTER_CODES >>> 2; w < (end + 3) >>> 2; w++) words[w] = parent[w]!;
    into.length = end;
    if (keeps) return WRITTEN;
    // The entry's bytes are the ids + 3: the successor's codes of the parent's keys.
    this.keyPositions.renumber(groups, scope, o, this.entryBytes, 4 * (at + 2) - OFFSET);
    return WRITTEN;
  }

  /** Records as the entry at entries[at ..] the cluster `c` of `s` and the ids `canonicalCodes` just gave its keys. */
  private record(at: number, s: SpecState, c: number): void {
    const entries = this.entries;
    entries[at + 1] = c;
    const from = 4 * (at + 2);
    for (let x = 0; x < s.nextKey; x++) this.entryBytes[from + x] = keyId(x) + OFFSET;
    // The phones' codes stay as they were when their keys keep their ids (the parent's keys are its
    // ids 0 .. nextKey - 1, the phones hold no other) and their format is the same (the phones' CTL
    // region is coded only once the cluster has a CTL, and the release decides its records).
    const parent = this.parent!;
    const format = s.from12 === parent.from12 && (s.ctl === null) === (parent.ctl === null);
    let keeps = format;
    for (let x = 0; keeps && x < parent.nextKey; x++) keeps = keyId(x) === x;
    entries[at] =
      SEEN_ENTRY |
      (format ? KEEPS_FORMAT : 0) |
      (keeps ? KEEPS_PHONES : 0) |
      (keeps && c === this.parentCluster ? SAME_CLUSTER : 0);
  }

  /** Grows the entries to hold cluster c's, if their share of the budget and the budget allow. */
  private growEntries(c: number): boolean {
    if (this.released) return false;
    const perCluster = this.slots * this.entryWords;
    let clusters = Math.max(64, this.entryClusters);
    while (clusters <= c) clusters *= 2;
    const bytes = 4 * clusters * perCluster;
    if (this.entries.byteLength + bytes > this.budget / ENTRY_SHARE || this.taken() + bytes > this.budget) return false;
    this.entries = grown(this.entries, clusters * perCluster);
    this.entryBytes = new Uint8Array(this.entries.buffer);
    this.entryClusters = clusters;
    return true;
  }
}
