/**
 * The packed explorer's state store: the states' keys in one arena, by id, and an open-addressing
 * hash index (linear probing) over them. A state's key is its canonical key as bytes, padded with
 * zeros to one width of `words` 32-bit words (a key is prefix-free: codec.ts reads it to its end, so
 * padding keeps keys distinct); state id's key is arena[id * words .. (id + 1) * words). The index
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
function grown<T extends Uint16Array | Int32Array | Uint32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** The distinct states of one run. */
export class PackedStates {
  size = 0;
  /** Words per key. */
  private words = 0;
  /** The keys by id: arena[id * words .. (id + 1) * words), room for `capacity` ids. */
  private arena: Uint32Array = new Uint32Array(0);
  private capacity = 1 << 10;
  /** The arena as bytes (codec.ts reads keys from it). */
  bytes: Uint8Array = new Uint8Array(0);
  /** The index: slot i is [index[2i] = hash, index[2i + 1] = 1 + id] (0: free). */
  private slots = 1 << 11;
  private index: Uint32Array = new Uint32Array(2 * this.slots);
  /** parents[id]: the state it was first reached from (-1: initial); via[id]: the event's index. */
  parents: Int32Array = new Int32Array(this.capacity);
  via: Uint16Array = new Uint16Array(this.capacity);
  /** The keys being added, padded: row r at batch[r * words .. (r + 1) * words), its hash hashes[r]. */
  private batch: Uint32Array = new Uint32Array(0);
  private hashes: Uint32Array = new Uint32Array(0);
  /** The state `stagedIs` was last asked about, the key width then, and its key's hash. */
  private ownId = -1;
  private ownWords = 0;
  private ownHash = 0;
  /** The key array `stage` was last given, and its bytes as words, four to a word. */
  private keyBytes: Uint8Array = new Uint8Array(0);
  private keyWords: Uint32Array = new Uint32Array(0);
  /** Where `prefetch` leaves what it read (so that the reads are not optimised away). */
  sink = 0;

  /** @param budget bytes the store's arrays may take in all (an array being grown and its successor count together). */
  constructor(private readonly budget: number) {}

  /** The bytes the store's arrays take now. */
  storeBytes(): number {
    return this.arena.byteLength + this.index.byteLength + this.parents.byteLength + this.via.byteLength;
  }

  /** Where key `id` starts in `bytes`. */
  offset(id: number): number {
    return id * this.words * 4;
  }

  /**
   * Stages the key data[0 .. length) (canonical.ts codes as bytes; `data` holds a multiple of 8 of
   * them, at least as many as the widest key, and its bytes from `length` to the width are set to 0
   * here) as row `row` of the batch being added (rows 0 .. row - 1 already staged): copies it word by word and hashes it in
   * the same pass. False when a key this long would not fit the budget.
   */
  stage(row: number, data: Uint8Array, length: number): boolean {
    if (length > 4 * this.words && !this.widen(Math.ceil(length / 4), row)) return false;
    const words = this.words;
    if ((row + 1) * words > this.batch.length) this.batch = grown(this.batch, 2 * (row + 1) * words);
    if (row >= this.hashes.length) this.hashes = grown(this.hashes, 2 * (row + 1));
    if (data !== this.keyBytes) {
      if ((data.length & 3) !== 0) throw new RangeError('bug: a key array the packed store cannot read by words');
      if (data.length < 4 * words) throw new RangeError('bug: a key array narrower than the widest key');
      this.keyBytes = data;
      this.keyWords = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    }
    const key = this.keyWords;
    // The key's bytes after `length` and its words up to the width are zeroed in `data` itself, so
    // that the row is copied and hashed word by word with no test of where the key ends.
    for (let i = length; (i & 3) !== 0; i++) data[i] = 0;
    for (let w = (length + 3) >>> 2; w < words; w++) key[w] = 0;
    const batch = this.batch;
    const from = row * words;
    // Copied and hashed in one pass, as hashWords hashes the padded row (packedEqualsExplorer.test.ts
    // fails if the two differ: a key widened and hashed again would no longer be found).
    let h0 = SEED;
    let h1 = SEED ^ 0x5bd1e995;
    let h2 = SEED ^ 0x27d4eb2f;
    let w = 0;
    for (; w + 2 < words; w += 3) {
      const a = key[w]!;
      const b = key[w + 1]!;
      const c = key[w + 2]!;
      batch[from + w] = a;
      batch[from + w + 1] = b;
      batch[from + w + 2] = c;
      h0 = mix(h0, a);
      h1 = mix(h1, b);
      h2 = mix(h2, c);
    }
    if (w < words) {
      const a = key[w]!;
      batch[from + w++] = a;
      h0 = mix(h0, a);
    }
    if (w < words) {
      const b = key[w]!;
      batch[from + w] = b;
      h1 = mix(h1, b);
    }
    this.hashes[row] = finish(mix(mix(h0, h1), h2));
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
      return SEEN;
    }
    const id = this.size;
    if (id === this.capacity && !this.grow()) return FULL;
    const reindex = (id + 1) << MAX_LOAD_SHIFT > this.slots;
    if (reindex && this.storeBytes() + 2 * this.index.byteLength > this.budget) return FULL;
    index[2 * slot] = h;
    index[2 * slot + 1] = id + 1;
    // A loop, not set(subarray(...)): a view made per added state costs more than its few words.
    const arenaNow = this.arena;
    const to = id * words;
    for (let x = 0; x < words; x++) arenaNow[to + x] = batch[from + x]!;
    this.parents[id] = parent;
    this.via[id] = event;
    this.size = id + 1;
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
    if (this.storeBytes() + extra > this.budget) return false;
    this.arena = grown(this.arena, capacity * this.words);
    this.bytes = new Uint8Array(this.arena.buffer);
    this.parents = grown(this.parents, capacity);
    this.via = grown(this.via, capacity);
    this.capacity = capacity;
    return true;
  }

  /**
   * Widens every key to `words` words (a longer key than any so far): the stored ones, the `rows`
   * rows staged so far (rehashed), and rebuilds the index over the new hashes.
   */
  private widen(words: number, rows: number): boolean {
    const was = this.words;
    if (this.storeBytes() + this.capacity * words * 4 > this.budget) return false;
    const arena = new Uint32Array(this.capacity * words);
    for (let id = 0; id < this.size; id++) arena.set(this.arena.subarray(id * was, (id + 1) * was), id * words);
    this.arena = arena;
    this.bytes = new Uint8Array(arena.buffer);
    const batch = new Uint32Array(Math.max(2 * rows, 1) * words);
    for (let r = 0; r < rows; r++) {
      batch.set(this.batch.subarray(r * was, (r + 1) * was), r * words);
      this.hashes[r] = hashWords(batch, r * words, words);
    }
    this.batch = batch;
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
