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

/**
 * The abstraction (README "Checking"): key ids are renumbered in order of first use by the cluster;
 * a key only phones still hold (stale) becomes -2, since nothing current can ever equal it again;
 * the reset ITL is dropped when no node serves it; phones of one configuration are sorted. Pure.
 */
export function canonical(s: RState, groups: number[][]): Canonical {
  const map = new Map<number, number>();
  const id = (k: number) => {
    if (k < 0) return k;
    let v = map.get(k);
    if (v === undefined) map.set(k, (v = map.size));
    return v;
  };
  const serving = s.nodes.some((n) => n.reset);
  const pubItlr = id(s.pubItlr);
  const backup = id(s.backup);
  const nodes = s.nodes.map((n) => ({ cm: id(n.cm), tvs: id(n.tvs), loaded: id(n.loaded), reset: n.reset, forged: id(n.forged), hold: n.hold }));
  const resetItl = serving && s.resetItl ? s.resetItl.map((k, j) => (j === ITL.forged ? k : id(k))) : null;
  const cluster = map.size;
  const phoneKey = (k: number) => (k < 0 ? k : (map.get(k) ?? -2));
  const phones: RPhone[] = s.phones.map((p) => ({ ...p, itl: p.itl ? (p.itl.map((k, j) => (j === ITL.forged ? k : phoneKey(k))) as RItl) : null }));
  const codes = phones.map((p) => String.fromCharCode(p.added ? 1 : 0, p.online ? 1 : 0, p.tftp + 1, p.pending + 2, p.trust + 1, ...(p.itl ? p.itl.map((k) => k + 3) : [0])));
  const perm = new Array<number>(s.phones.length);
  for (const group of groups) {
    const sorted = group.slice().sort((a, b) => (codes[a]! < codes[b]! ? -1 : codes[a]! > codes[b]! ? 1 : 0));
    group.forEach((slot, j) => (perm[slot] = sorted[j]!));
  }
  const head = [s.pre10 ? 1 : 0, pubItlr + 3, backup + 3, s.backupOpens ? 1 : 0, ...nodes.flatMap((n) => [n.cm + 3, n.tvs + 3, n.loaded + 3, n.reset, n.forged + 3, n.hold]), ...(resetItl ? resetItl.map((k) => k + 3) : [0])];
  const key = String.fromCharCode(...head) + perm.map((i) => codes[i]).join('|');
  const rep: RState = { pre10: s.pre10, pubItlr, resetItl, backup, backupOpens: s.backupOpens, nodes, phones: perm.map((i) => phones[i]!), next: cluster };
  return { key, rep, perm };
}
