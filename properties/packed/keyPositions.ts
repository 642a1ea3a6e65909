/**
 * Where a state's phones' codes name a key, for the cluster memo (clusterMemo.ts): a successor whose
 * phones are its parent's, in a cluster whose keys are numbered anew, has the parent's phones' codes
 * with each key's code mapped to the key's new id. The positions are found once per parent, the first
 * time one of its successors needs them, and then each such successor costs a copy and a few bytes
 * mapped, not its phones coded again (clusterMemo.prop.test.ts holds the keys equal to the full form's).
 */
import { clusterThenPhones, type KeyCodes } from '../explorer/canonicalCodes.ts';
import type { SpecScope } from '../spec/scope.ts';
import type { SpecState } from '../spec/state.ts';

/** The positions of one parent's key codes (see the module's comment). */
export class KeyPositions {
  /** at[0 .. count): offsets in the parent's stored key of the codes that are a key's id + 3; `found` once they are. */
  private at = new Int32Array(64);
  private count = 0;
  private found = false;
  /** Scratch: the parent coded with every id one more, those ids, and a head of zeros before its phones. */
  private readonly shifted: KeyCodes<Uint8Array> = { data: new Uint8Array(64), length: 0 };
  private shiftedIds = new Int32Array(0);
  private readonly head = new Uint32Array(4);

  /** The parent: its representative (whose keys are their own ids), and its stored key mine[0 .. end), its phones' codes from `first` on. */
  private parent: SpecState | null = null;
  private mine: Uint8Array = new Uint8Array(0);
  private first = 0;
  private end = 0;

  /** A new parent, as described above: its positions are not found yet. */
  reset(parent: SpecState, mine: Uint8Array, first: number, end: number): void {
    this.parent = parent;
    this.mine = mine;
    this.first = first;
    this.end = end;
    this.found = false;
  }

  /**
   * Maps, in out[first .. end), each code of the parent's phones that names a key: a code c at such a
   * position becomes ids[from + c], the successor's code of the parent's key c - 3. `out` holds the
   * parent's stored key, copied; `groups` and `scope` are the run's.
   */
  renumber(groups: number[][], scope: SpecScope, out: Uint8Array, ids: Uint8Array, from: number): void {
    if (!this.found) this.find(groups, scope);
    const at = this.at;
    for (let x = 0; x < this.count; x++) {
      const where = at[x]!;
      out[where] = ids[from + out[where]!]!;
    }
  }

  /**
   * Finds where the parent's phones' codes name a key: coded again with every key's id one more, they
   * differ from its stored key exactly there (a code below 3 names no key, and stays).
   */
  private find(groups: number[][], scope: SpecScope): void {
    const { parent, mine, first, end } = this;
    if (this.shiftedIds.length < parent!.nextKey) {
      this.shiftedIds = new Int32Array(2 * parent!.nextKey);
      for (let k = 0; k < this.shiftedIds.length; k++) this.shiftedIds[k] = k + 1;
    }
    clusterThenPhones(parent!, groups, scope, this.head, first, this.shiftedIds, this.shifted);
    const codes = this.shifted.data;
    if (this.at.length < end) this.at = new Int32Array(2 * end);
    let n = 0;
    for (let x = first; x < end; x++) if (codes[x] !== mine[x]) this.at[n++] = x;
    this.count = n;
    this.found = true;
  }
}
