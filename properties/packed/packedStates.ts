/**
 * The packed explorer's state store: the states' keys in one arena, by id, and an open-addressing
 * hash index (linear probing) over them. A state's key is its canonical key (canonicalCodes.ts codes, one
 * byte each), padded with zeros to one width, a multiple of 8 bytes (a key is prefix-free: codec.ts
 * reads it to its end, so padding keeps keys distinct), and packed in `words` 32-bit words: while
 * every code is below 16 (every code of the default scopes), two codes share a byte, so a key takes
 * half the room, half the hashing, and the keys the table reads sit closer together; the first key
 * with a larger code repacks the store a byte a code. State id's key is arena[id * words .. (id + 1) * words). The index
 * holds two words a slot, [hash, 1 + id] (0: free), eight slots to a cache line, and is kept at most
 * half full, so a probe mostly reads one line of the index and then the one key it finds. By state
 * id: its parent and the event that reached it (for shortest counterexamples). Ids are given in
 * insertion order, so a breadth-first level is a range of ids, the frontier needs no storage of its
 * own, and the states of a level are read in the arena's order. Everything is in typed arrays
 * (outside the JavaScript heap), and their total never exceeds the budget: `add` reports FULL instead.
 */

/** What `add` did: the state was new, already there, or did not fit the memory budget. */
export const ADDED = 1;
export const SEEN = 0;
export const FULL = -1;

/** The index is rebuilt twice as large when more than half of its slots are taken. */
const MAX_LOAD_SHIFT = 1;

/** The bits of a word of four codes that are set when one of them is 16 or more. */
const HIGH_NIBBLES = 0xf0f0f0f0;
/** The bits of a packed word that hold the first word's codes. */
const LOW_NIBBLES = 0x0f0f0f0f;

/** One word into a running hash (a multiply-xorshift step: the xorshift carries high bits down into the next word's product). Pure. */
function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x9e3779b1);
  return h ^ (h >>> 16);
}

/** A running hash's final value (murmur3's finaliser: every word reaches the low bits the index uses). Pure. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed of every key's hash. */
const SEED = 0x9747b28c;

/**
 * The hash of the key a[from .. from + words). Pure. Three running hashes over every third word,
 * mixed together at the end: each word's step waits for the one three words back, not the one
 * before, so the processor runs the three side by side.
 */
function hashWords(a: Uint32Array, from: number, words: number): number {
  let h0 = SEED;
  let h1 = SEED ^ 0x5bd1e995;
  let h2 = SEED ^ 0x27d4eb2f;
  const end = from + words;
  let w = from;
  for (; w + 2 < end; w += 3) {
    h0 = mix(h0, a[w]!);
    h1 = mix(h1, a[w + 1]!);
    h2 = mix(h2, a[w + 2]!);
  }
  if (w < end) h0 = mix(h0, a[w++]!);
  if (w < end) h1 = mix(h1, a[w]!);
  return finish(mix(mix(h0, h1), h2));
}

/** Grows `a` to `length` elements (a copy). */
export function grown<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/**
 * Packs a key of `byteWords` words of four codes (src[from ..]) into dst[to ..): two words to one
 * when `nibbles` (each code then below 16), else as they are.
 */
function pack(src: Uint32Array, from: number, byteWords: number, nibbles: boolean, dst: Uint32Array, to: number): void {
  if (!nibbles) for (let w = 0; w < byteWords; w++) dst[to + w] = src[from + w]!;
  else for (let w = 0; 2 * w < byteWords; w++) dst[to + w] = src[from + 2 * w]! | (src[from + 2 * w + 1]! << 4);
}

/** Unpacks a key packed by `pack` (src[from ..], `byteWords` words once unpacked) into dst[0 ..). */
function unpack(src: Uint32Array, from: number, byteWords: number, nibbles: boolean, dst: Uint32Array): void {
  if (!nibbles) for (let w = 0; w < byteWords; w++) dst[w] = src[from + w]!;
  else
    for (let w = 0; 2 * w < byteWords; w++) {
      const p = src[from + w]!;
      dst[2 * w] = p & LOW_NIBBLES;
      dst[2 * w + 1] = (p >>> 4) & LOW_NIBBLES;
    }
}

/** The distinct states of one run. */
export class PackedStates {
  size = 0;
  /** The id of the key the last `commit` or `add` found or added (when it did not say FULL). */
  found = -1;
  /** The key width in bytes (a multiple of 8), whether two codes share a byte, and the packed key's words. */
  private width = 0;
  private nibbles = true;
  private words = 0;
  /** The keys by id: arena[id * words .. (id + 1) * words), room for `capacity` ids. */
  private arena: Uint32Array = new Uint32Array(0);
  private capacity = 1 << 6;
  /** The index: slot i is [index[2i] = hash, index[2i + 1] = 1 + id] (0: free). */
  private slots = 1 << 7;
  private index: Uint32Array = new Uint32Array(2 * this.slots);
  /** parents[id]: the state it was first reached from (-1: initial); via[id]: the event's index. */
  parents: Int32Array = new Int32Array(this.capacity);
  via: Uint16Array = new Uint16Array(this.capacity);
  /** The keys being added, packed: row r at batch[r * words .. (r + 1) * words), its hash hashes[r]. */
  private batch: Uint32Array = new Uint32Array(0);
  private hashes: Uint32Array = new Uint32Array(0);
  /** The state `stagedIs` was last asked about, the key width then, and its key's hash. */
  private ownId = -1;
  private ownWords = 0;
  private ownHash = 0;
  /** The key array `stage` was last given, and its bytes as words, four to a word. */
  private keyBytes: Uint8Array = new Uint8Array(0);
  private keyWords: Uint32Array = new Uint32Array(0);
  /** A key unpacked by `key`, as words and as the same bytes. */
  private unpacked: Uint32Array = new Uint32Array(0);
  private unpackedBytes: Uint8Array = new Uint8Array(0);
  /** Where `prefetch` leaves what it read (so that the reads are not optimised away). */
  sink = 0;

  /**
   * @param budget bytes the store's arrays may take in all (an array being grown and its successor count together)
   * @param others bytes that other arrays of the run take now, out of the same budget (the packed explorer's clusters)
   * @param release asks the others to give back what they can do without (the cluster memo's entries): whether they did
   */
  constructor(
    private readonly budget: number,
    private readonly others: () => number = () => 0,
    private readonly release: () => boolean = () => false,
  ) {}

  /** Whether `extra` more bytes fit the budget beside the store's and the others', once the others gave back what they can. */
  private fits(extra: number): boolean {
    if (this.storeBytes() + this.others() + extra <= this.budget) return true;
    return this.release() && this.storeBytes() + this.others() + extra <= this.budget;
  }

  /** The bytes the store's arrays take now. */
  storeBytes(): number {
    return this.arena.byteLength + this.index.byteLength + this.parents.byteLength + this.via.byteLength;
  }

  /** The key of state `id` as codes: bytes [0 .. the width) of the array returned (overwritten by the next call). */
  key(id: number): Uint8Array {
    const byteWords = this.width >>> 2;
    if (this.unpacked.length < byteWords) {
      this.unpacked = new Uint32Array(byteWords);
      this.unpackedBytes = new Uint8Array(this.unpacked.buffer);
    }
    unpack(this.arena, id * this.words, byteWords, this.nibbles, this.unpacked);
    return this.unpackedBytes;
  }

  /**
   * Stages the key data[0 .. length) (canonicalCodes.ts codes as bytes; `data` holds a multiple of 8 of
   * them, at least as many as the widest key, and its bytes from `length` to the width are set to 0
   * here) as row `row` of the batch being added (rows 0 .. row - 1 already staged): packs it word by
   * word and hashes it. False when a key this long would not fit the budget.
   */
  stage(row: number, data: Uint8Array, length: number): boolean {
    if (length > this.width && !this.widen((length + 7) & ~7, this.nibbles, row)) return false;
    const words = this.words;
    if ((row + 1) * words > this.batch.length) this.batch = grown(this.batch, 2 * (row + 1) * words);
    if (row >= this.hashes.length) this.hashes = grown(this.hashes, 2 * (row + 1));
    if (data !== this.keyBytes) {
      if ((data.length & 7) !== 0) throw new RangeError('bug: a key array the packed store cannot read by words');
      if (data.length < this.width) throw new RangeError('bug: a key array narrower than the widest key');
      this.keyBytes = data;
      this.keyWords = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    }
    const key = this.keyWords;
    // The key's bytes after `length` and its words up to the width are zeroed in `data` itself, so
    // that the row is packed word by word with no test of where the key ends.
    const byteWords = this.width >>> 2;
    for (let i = length; (i & 3) !== 0; i++) data[i] = 0;
    for (let w = (length + 3) >>> 2; w < byteWords; w++) key[w] = 0;
    const batch = this.batch;
    const from = row * words;
    if (this.nibbles) {
      let high = 0;
      for (let w = 0; w < words; w++) {
        const a = key[2 * w]!;
        const b = key[2 * w + 1]!;
        high |= a | b;
        batch[from + w] = a | (b << 4);
      }
      // A code of 16 or more: every key is repacked a byte a code, and this one staged again.
      if ((high & HIGH_NIBBLES) !== 0) return this.widen(this.width, false, row) && this.stage(row, data, length);
    } else for (let w = 0; w < words; w++) batch[from + w] = key[w]!;
    this.hashes[row] = hashWords(batch, from, words);
    return true;
  }

  /** Whether the key staged as row `row` is the stored key of state `id` (both padded to one width). */
  stagedIs(row: number, id: number): boolean {
    const words = this.words;
    if (id !== this.ownId || words !== this.ownWords) {
      this.ownId = id;
      this.ownWords = words;
      this.ownHash = hashWords(this.arena, id * words, words);
    }
    if (this.hashes[row] !== this.ownHash) return false;
    const batch = this.batch;
    const arena = this.arena;
    const from = row * words;
    const at = id * words;
    for (let x = 0; x < words; x++) if (arena[at + x] !== batch[from + x]) return false;
    return true;
  }

  /**
   * Reads, for rows 0 .. rows - 1 of the batch, the index slot each hashes to and the key that slot
   * names, all before any is compared: the reads do not depend on each other, so the processor
   * overlaps their cache misses (a read of the table is mostly a miss), where `add` one key after
   * the other would wait for each in turn. Changes nothing.
   */
  prefetch(rows: number): void {
    const index = this.index;
    const arena = this.arena;
    const hashes = this.hashes;
    const mask = this.slots - 1;
    const words = this.words;
    let sink = 0;
    for (let r = 0; r < rows; r++) sink ^= index[2 * (hashes[r]! & mask) + 1]!;
    for (let r = 0; r < rows; r++) {
      const entry = index[2 * (hashes[r]! & mask) + 1]!;
      // Its first and last words: a key may straddle two cache lines.
      if (entry !== 0) sink ^= arena[(entry - 1) * words]! ^ arena[entry * words - 1]!;
    }
    this.sink = sink;
  }

  /**
   * Adds the key staged as row `row`, reached from `parent` by event `event`: ADDED (its id is
   * size - 1), SEEN, or FULL when storing it would pass the budget.
   */
  commit(row: number, parent: number, event: number): number {
    const words = this.words;
    const batch = this.batch;
    const from = row * words;
    const h = this.hashes[row]!;
    const index = this.index;
    const arena = this.arena;
    const mask = this.slots - 1;
    let slot = h & mask;
    probe: for (; ; slot = (slot + 1) & mask) {
      const entry = index[2 * slot + 1]!;
      if (entry === 0) break;
      if (index[2 * slot] !== h) continue;
      const at = (entry - 1) * words;
      for (let x = 0; x < words; x++) if (arena[at + x] !== batch[from + x]) continue probe;
      this.found = entry - 1;
      return SEEN;
    }
    const id = this.size;
    if (id === this.capacity && !this.grow()) return FULL;
    const reindex = (id + 1) << MAX_LOAD_SHIFT > this.slots;
    if (reindex && !this.fits(2 * this.index.byteLength)) return FULL;
    index[2 * slot] = h;
    index[2 * slot + 1] = id + 1;
    // A loop, not set(subarray(...)): a view made per added state costs more than its few words.
    const arenaNow = this.arena;
    const to = id * words;
    for (let x = 0; x < words; x++) arenaNow[to + x] = batch[from + x]!;
    this.parents[id] = parent;
    this.via[id] = event;
    this.size = id + 1;
    this.found = id;
    if (reindex) this.doubleIndex();
    return ADDED;
  }

  /** Adds one key (a batch of one): `stage`, then `commit`. */
  add(data: Uint8Array, length: number, parent: number, event: number): number {
    return this.stage(0, data, length) ? this.commit(0, parent, event) : FULL;
  }

  /** Doubles the room by id (arena, parents, via), if the budget allows. */
  private grow(): boolean {
    const capacity = 2 * this.capacity;
    const extra = 2 * (this.arena.byteLength + this.parents.byteLength + this.via.byteLength);
    if (!this.fits(extra)) return false;
    this.arena = grown(this.arena, capacity * this.words);
    this.parents = grown(this.parents, capacity);
    this.via = grown(this.via, capacity);
    this.capacity = capacity;
    return true;
  }

  /**
   * Repacks every key to `width` bytes (a longer key than any so far), two codes to a byte or not:
   * the stored ones, the `rows` rows staged so far (hashed again), and rebuilds the index over the
   * new hashes. False when the new arena would not fit the budget.
   */
  private widen(width: number, nibbles: boolean, rows: number): boolean {
    const words = nibbles ? width >>> 3 : width >>> 2;
    if (!this.fits(this.capacity * words * 4)) return false;
    const byteWords = this.width >>> 2;
    const bytes = new Uint32Array(width >>> 2);
    const arena = new Uint32Array(this.capacity * words);
    for (let id = 0; id < this.size; id++) {
      unpack(this.arena, id * this.words, byteWords, this.nibbles, bytes);
      pack(bytes, 0, width >>> 2, nibbles, arena, id * words);
    }
    const batch = new Uint32Array(Math.max(2 * rows, 1) * words);
    for (let r = 0; r < rows; r++) {
      unpack(this.batch, r * this.words, byteWords, this.nibbles, bytes);
      pack(bytes, 0, width >>> 2, nibbles, batch, r * words);
      this.hashes[r] = hashWords(batch, r * words, words);
    }
    this.arena = arena;
    this.batch = batch;
    this.width = width;
    this.nibbles = nibbles;
    this.words = words;
    this.reindex(this.slots);
    return true;
  }

  /**
   * Rebuilds the index twice as large from the hashes it holds (a key's hash does not change while
   * the width does not; its budget is checked by the caller).
   */
  private doubleIndex(): void {
    const old = this.index;
    const slots = 2 * this.slots;
    const index = new Uint32Array(2 * slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const entry = old[i + 1]!;
      if (entry === 0) continue;
      const h = old[i]!;
      let slot = h & mask;
      while (index[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      index[2 * slot] = h;
      index[2 * slot + 1] = entry;
    }
    this.index = index;
    this.slots = slots;
  }

  /** Rebuilds the index with `slots` slots from the stored keys, hashed again (its budget is checked by the caller). */
  private reindex(slots: number): void {
    const index = slots === this.slots ? this.index.fill(0) : new Uint32Array(2 * slots);
    const mask = slots - 1;
    const words = this.words;
    for (let id = 0; id < this.size; id++) {
      const h = hashWords(this.arena, id * words, words);
      let slot = h & mask;
      while (index[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      index[2 * slot] = h;
      index[2 * slot + 1] = id + 1;
    }
    this.index = index;
    this.slots = slots;
  }
}
