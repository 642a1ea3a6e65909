/**
 * The packed explorer's state store: an open-addressing hash table (linear probing) whose slots hold
 * the states themselves, [hash, 1 + id, key words...], so that finding a state costs one memory
 * access where a table of ids into an arena costs two. A state's key is its canonical key as bytes,
 * padded with zeros to one width (a key is prefix-free: codec.ts reads it to its end, so padding
 * keeps keys distinct). By state id: the slot holding it, its parent and the event that reached it
 * (for shortest counterexamples). Ids are given in insertion order, so a breadth-first level is a
 * range of ids and the frontier needs no storage of its own. Everything is in typed arrays (outside
 * the JavaScript heap), and their total never exceeds the budget: `add` reports FULL instead.
 */

/** What `add` did: the state was new, already there, or did not fit the memory budget. */
export const ADDED = 1;
export const SEEN = 0;
export const FULL = -1;

/** Grows `a` to `length` elements (a copy). */
function grown<T extends Uint16Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/** The table is rebuilt twice as large when more than LOAD_NUM / LOAD_DEN of its slots are taken. */
const LOAD_NUM = 4;
const LOAD_DEN = 5;

/** The distinct states of one run. */
export class PackedStates {
  size = 0;
  /** Words per key, and per slot (two more: the hash and 1 + id, 0 when free). */
  private words = 0;
  private stride = 2;
  private slots = 1 << 10;
  private table: Uint32Array = new Uint32Array(this.slots * this.stride);
  /** The table as bytes (codec.ts reads keys from it). */
  bytes: Uint8Array = new Uint8Array(this.table.buffer);
  /** slotOf[id]: the slot holding state id; parents[id]: the state it was first reached from (-1: initial); via[id]: the event's index. */
  private slotOf: Int32Array = new Int32Array(1 << 10);
  parents: Int32Array = new Int32Array(1 << 10);
  via: Uint16Array = new Uint16Array(1 << 10);
  /** The key being added, padded: scratch[0 .. words). */
  private scratch: Uint32Array = new Uint32Array(0);

  /** @param budget bytes the store's arrays may take in all (a table being rebuilt and its successor count together). */
  constructor(private readonly budget: number) {}

  /** The bytes the store's arrays take now. */
  storeBytes(): number {
    return this.table.byteLength + this.slotOf.byteLength + this.parents.byteLength + this.via.byteLength;
  }

  /** Where key `id` starts in `bytes`. */
  offset(id: number): number {
    return (this.slotOf[id]! * this.stride + 2) * 4;
  }

  /**
   * Adds the key data[0 .. length) (each code below 256) reached from `parent` by event `event`:
   * ADDED (its id is size - 1), SEEN, or FULL when storing it would pass the budget.
   */
  add(data: Uint16Array, length: number, parent: number, event: number): number {
    if (length > 4 * this.words && !this.rebuild(this.slots, Math.ceil(length / 4))) return FULL;
    const words = this.words;
    const scratch = this.scratch;
    // Four codes to a word, little-endian (as `bytes` reads them), hashed as they are packed.
    let h = 0x811c9dc5;
    let any = 0;
    for (let w = 0, i = 0; w < words; w++, i += 4) {
      const c0 = i < length ? data[i]! : 0;
      const c1 = i + 1 < length ? data[i + 1]! : 0;
      const c2 = i + 2 < length ? data[i + 2]! : 0;
      const c3 = i + 3 < length ? data[i + 3]! : 0;
      any |= c0 | c1 | c2 | c3;
      const word = (c0 | (c1 << 8) | (c2 << 16) | (c3 << 24)) >>> 0;
      scratch[w] = word;
      h = Math.imul(h ^ word, 0x01000193);
    }
    if (any > 255) throw new RangeError("bug: a canonical code does not fit the packed store's byte");
    h = (h ^ (h >>> 15)) >>> 0;
    const table = this.table;
    const stride = this.stride;
    const mask = this.slots - 1;
    let slot = h & mask;
    probe: for (; ; slot = (slot + 1) & mask) {
      const base = slot * stride;
      if (table[base + 1] === 0) break;
      if (table[base] !== h) continue;
      for (let w = 0; w < words; w++) if (table[base + 2 + w] !== scratch[w]) continue probe;
      return SEEN;
    }
    const id = this.size;
    const rebuild = LOAD_DEN * (id + 1) > LOAD_NUM * this.slots;
    if (!this.room(id, rebuild)) return FULL;
    const base = slot * stride;
    table[base] = h;
    table[base + 1] = id + 1;
    table.set(scratch, base + 2);
    this.slotOf[id] = slot;
    this.parents[id] = parent;
    this.via[id] = event;
    this.size = id + 1;
    if (rebuild) this.rebuild(2 * this.slots, words);
    return ADDED;
  }

  /** Makes room by id for state `id`, and checks the budget for the table's rebuild to come. */
  private room(id: number, rebuild: boolean): boolean {
    const needIds = id + 1 > this.parents.length;
    let extra = rebuild ? 2 * this.table.byteLength : 0;
    if (needIds) extra += 2 * (this.slotOf.byteLength + this.parents.byteLength + this.via.byteLength);
    if (extra === 0) return true;
    if (this.storeBytes() + extra > this.budget) return false;
    if (needIds) {
      const n = 2 * this.parents.length;
      this.slotOf = grown(this.slotOf, n);
      this.parents = grown(this.parents, n);
      this.via = grown(this.via, n);
    }
    return true;
  }

  /** Moves every state into a table of `slots` slots of `words` key words (a longer key, or a fuller table). */
  private rebuild(slots: number, words: number): boolean {
    const stride = words + 2;
    if (this.storeBytes() + slots * stride * 4 > this.budget) return false;
    const old = this.table;
    const was = this.stride;
    const table = new Uint32Array(slots * stride);
    const mask = slots - 1;
    const copy = Math.min(was, stride) - 2;
    for (let id = 0; id < this.size; id++) {
      const from = this.slotOf[id]! * was;
      let h = old[from]!;
      if (words !== this.words) {
        // A wider key: its hash over the zero-padded words.
        h = 0x811c9dc5;
        for (let w = 0; w < words; w++) h = Math.imul(h ^ (w < copy ? old[from + 2 + w]! : 0), 0x01000193);
        h = (h ^ (h >>> 15)) >>> 0;
      }
      let slot = h & mask;
      while (table[slot * stride + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot * stride;
      table[to] = h;
      table[to + 1] = id + 1;
      for (let w = 0; w < copy; w++) table[to + 2 + w] = old[from + 2 + w]!;
      this.slotOf[id] = slot;
    }
    this.table = table;
    this.bytes = new Uint8Array(table.buffer);
    this.slots = slots;
    this.stride = stride;
    if (words !== this.words) {
      this.words = words;
      this.scratch = new Uint32Array(words);
    }
    return true;
  }
}
