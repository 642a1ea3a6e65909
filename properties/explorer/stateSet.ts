import type { KeyCodes } from './canonicalCodes.ts';

/** The canonical keys seen so far (state ids in insertion order): an open-addressing hash set over key codes. */
export class StateSet {
  size = 0;
  /** slots[h] = 1 + id of the key in slot h, 0 when free (linear probing, at most half full). */
  private slots: Int32Array = new Int32Array(1 << 16);
  private hashes: Int32Array = new Int32Array(1 << 15);
  /** Key i is arena[starts[i] .. starts[i + 1]). */
  private starts: Int32Array = new Int32Array(1 << 15);
  private arena: Uint16Array = new Uint16Array(1 << 20);

  /** Adds the key; false when it was already there. */
  add(key: KeyCodes): boolean {
    const { data, length } = key;
    let h = 0x811c9dc5;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      if (this.hashes[entry - 1] === h && this.equals(entry - 1, data, length)) return false;
    }
    this.store(h, data, length);
    return true;
  }

  private equals(id: number, data: Uint16Array, length: number): boolean {
    const start = this.starts[id]!;
    if (this.starts[id + 1]! - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.arena[start + i] !== data[i]) return false;
    return true;
  }

  private store(h: number, data: Uint16Array, length: number): void {
    const id = this.size++;
    if (this.size + 1 >= this.starts.length) {
      this.starts = grownInt32(this.starts, 2 * this.starts.length);
      this.hashes = grownInt32(this.hashes, this.starts.length);
    }
    const start = this.starts[id]!;
    if (start + length > this.arena.length) {
      const arena = new Uint16Array(2 * (start + length));
      arena.set(this.arena);
      this.arena = arena;
    }
    this.arena.set(data.subarray(0, length), start);
    this.starts[id + 1] = start + length;
    this.hashes[id] = h;
    if (2 * this.size > this.slots.length) this.rehash();
    else this.place(id);
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    for (let id = 0; id < this.size; id++) this.place(id);
  }
}

function grownInt32(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
