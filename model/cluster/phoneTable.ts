/**
 * The phones of a replay, changed in place when the replay owns them (issue 17: linear replay).
 *
 * `ClusterState.phones` is an immutable array: a step that changes one phone makes a new array,
 * which costs the number of phones. A fold that keeps no earlier context (model/replay/fold.ts
 * `foldFrom` without `keepContexts`) never looks at an earlier state again, so it may *own* its
 * phones: inside `owning`, the first change of an array makes one owned copy, and later changes
 * write into it (`setPhone`, `pushPhone`), each at the cost of one phone. Every owned array has a
 * table beside it: the index of each phone by id, the phones that may be restarting (A14), and the
 * phones changed since the hazards last looked (model/cluster/hazards.ts). Outside `owning`
 * nothing is ever written in place, and every function here behaves as the plain array code did.
 * An array, once its fold has ended, is never written again, so its table stays true.
 */
import type { ClusterState, PhoneState } from './clusterState.ts';

/** What is kept beside an owned array of phones. */
export interface PhoneTable {
  /** Index of each phone by id. */
  index: Map<string, number>;
  /** Indexes of the phones that may have `restartingUntil` set (a superset, pruned by `restartingIndexes`). */
  restarting: Set<number>;
  /** Indexes written since the hazards last scanned this array (drained by `takeChanged`). */
  changed: Set<number>;
}

const tables = new WeakMap<PhoneState[], PhoneTable>();

/** The arrays the running owning fold may write; null when no owning fold runs. */
let owned: WeakSet<PhoneState[]> | null = null;

/**
 * Runs `fn` as a fold that owns the phone arrays it makes: it must never read a state it has
 * stepped past. Arrays of any state given to it are copied before their first change. A nested
 * `owning` owns its own arrays only.
 */
export function owning<T>(fn: () => T): T {
  const outer = owned;
  owned = new WeakSet();
  try {
    return fn();
  } finally {
    owned = outer;
  }
}

/** Runs `fn` with no ownership: every change makes new arrays (a step inside an owning fold that must stay pure). */
export function notOwning<T>(fn: () => T): T {
  const outer = owned;
  owned = null;
  try {
    return fn();
  } finally {
    owned = outer;
  }
}

/** The table of an array, built by a scan. */
function tableFor(phones: PhoneState[]): PhoneTable {
  const table: PhoneTable = { index: new Map(), restarting: new Set(), changed: new Set() };
  phones.forEach((phone, i) => {
    table.index.set(phone.id, i);
    if (phone.restartingUntil !== undefined) table.restarting.add(i);
  });
  return table;
}

/**
 * The phones of a state ready to be written in place: the state's own array when the running fold
 * owns it, else an owned copy (the caller puts it in the state it returns). Undefined when no
 * owning fold runs: the caller then copies as usual.
 */
export function ownPhones(state: ClusterState): PhoneState[] | undefined {
  if (!owned) return undefined;
  if (owned.has(state.phones)) return state.phones;
  const copy = state.phones.slice();
  owned.add(copy);
  tables.set(copy, tableFor(copy));
  return copy;
}

/** The table of an array that has one (owned now, or owned by a fold that has ended). */
export function phoneTable(phones: PhoneState[]): PhoneTable | undefined {
  return tables.get(phones);
}

/** Index of a phone by id, -1 when absent: by the table when the array has one, else by a scan. */
export function indexOfPhone(phones: PhoneState[], id: string): number {
  const table = tables.get(phones);
  return table ? (table.index.get(id) ?? -1) : phones.findIndex((p) => p.id === id);
}

/** Writes a phone at an index (of an owned array, or of a fresh copy the caller made). */
export function setPhone(phones: PhoneState[], i: number, phone: PhoneState): void {
  phones[i] = phone;
  const table = tables.get(phones);
  if (!table) return;
  table.changed.add(i);
  if (phone.restartingUntil !== undefined) table.restarting.add(i);
}

/** Appends a phone (to an owned array, or to a fresh copy the caller made). */
export function pushPhone(phones: PhoneState[], phone: PhoneState): void {
  const i = phones.push(phone) - 1;
  const table = tables.get(phones);
  if (!table) return;
  table.index.set(phone.id, i);
  table.changed.add(i);
  if (phone.restartingUntil !== undefined) table.restarting.add(i);
}

/** The indexes of the phones that are restarting, in log order, when the array has a table; else undefined. */
export function restartingIndexes(phones: PhoneState[]): number[] | undefined {
  const table = tables.get(phones);
  if (!table) return undefined;
  const out: number[] = [];
  for (const i of table.restarting) {
    if (phones[i]!.restartingUntil === undefined) table.restarting.delete(i);
    else out.push(i);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The indexes written since the last call for this array (the hazards' incremental scan), or
 * undefined when the array has no table. The set is emptied.
 */
export function takeChanged(phones: PhoneState[]): number[] | undefined {
  const table = tables.get(phones);
  if (!table) return undefined;
  const out = [...table.changed];
  table.changed.clear();
  return out;
}
