/**
 * The phones of a snapshot: each phone's TFTP node and TVS list checked against cluster.json, and
 * each hash it reports placed among the folder's files. Pure.
 */
import type { FileKind } from '../itl/showItlFields.ts';
import { nodeNamed, type ClusterConfig } from './clusterConfig.ts';
import { PHONES_CSV, type PhoneRow } from './phonesCsv.ts';
import type { HashMatch, SnapshotFile, SnapshotIssue, SnapshotPhone } from './snapshotTypes.ts';

/** The files of the folder by hash (SHA-1 and MD5) and kind, served ones first. */
export type HashIndex = ReadonlyMap<string, SnapshotFile[]>;

/** Indexes files by `kind:hash` for both their SHA-1 and their MD5. Pure. */
export function hashIndex(files: SnapshotFile[]): HashIndex {
  const index = new Map<string, SnapshotFile[]>();
  const ordered = [
    ...files.filter((f) => f.place.kind === 'served'),
    ...files.filter((f) => f.place.kind !== 'served'),
  ];
  for (const file of ordered)
    for (const hash of [file.sha1, file.md5])
      if (hash !== undefined) index.set(`${file.kind}:${hash}`, [...(index.get(`${file.kind}:${hash}`) ?? []), file]);
  return index;
}

/**
 * Where a reported hash is in the folder: a file the phone's TFTP node serves (`current`), a file
 * other nodes serve (`other-node`), a history file (`history`), or none (`unexplained`). A 32-digit
 * hash is compared with the files' MD5, a 40-digit one with their SHA-1. Pure.
 */
export function matchHash(
  index: HashIndex,
  kind: FileKind,
  hash: string | undefined,
  tftpNode: string | undefined,
): HashMatch {
  if (hash === undefined) return { match: 'unknown' };
  const files = index.get(`${kind}:${hash}`) ?? [];
  const own = files.find((f) => tftpNode !== undefined && f.servedBy.includes(tftpNode));
  if (own) return { match: 'current', hash, file: own.path };
  const other = files.find((f) => f.servedBy.length > 0);
  if (other) return { match: 'other-node', hash, file: other.path, nodes: other.servedBy };
  const history = files.find((f) => f.place.kind === 'history');
  if (history) return { match: 'history', hash, file: history.path };
  // A file known only from a listing that is served by no node cannot happen: listings live in node folders.
  return { match: 'unexplained', hash };
}

/** Each phone placed, and the issues of phones.csv (unknown nodes, unexplained hashes), in the file's order. Pure. */
export function snapshotPhones(
  config: ClusterConfig,
  phones: PhoneRow[],
  index: HashIndex,
): { phones: SnapshotPhone[]; issues: SnapshotIssue[] } {
  const issues: SnapshotIssue[] = [];
  const result = phones.map((row): SnapshotPhone => {
    const at = { file: PHONES_CSV, line: row.line };
    const node = nodeNamed(config, row.tftp);
    if (!node) issues.push({ kind: 'phone-tftp-unknown', at, device: row.device, tftp: row.tftp });
    else if (!node.tftp) issues.push({ kind: 'phone-tftp-not-tftp', at, device: row.device, node: node.name });
    for (const tvs of row.tvs)
      if (!nodeNamed(config, tvs)) issues.push({ kind: 'phone-tvs-unknown', at, device: row.device, tvs });
    const itl = matchHash(index, 'itl', row.itlHash, node?.name);
    const ctl = matchHash(index, 'ctl', row.ctlHash, node?.name);
    for (const [fileKind, match] of [
      ['itl', itl],
      ['ctl', ctl],
    ] as const)
      if (match.match === 'unexplained')
        issues.push({ kind: 'phone-hash-unexplained', at, device: row.device, fileKind, hash: match.hash });
    return {
      device: row.device,
      line: row.line,
      tftp: row.tftp,
      ...(node ? { tftpNode: node.name } : {}),
      tvs: row.tvs,
      status: row.status,
      ...(row.model !== undefined ? { model: row.model } : {}),
      ...(row.firmware !== undefined ? { firmware: row.firmware } : {}),
      itl,
      ctl,
    };
  });
  return { phones: result, issues };
}
