/**
 * The files of a snapshot: each ITL and CTL of the folder checked (its signature, or that it is
 * known only from a listing) and each record told whose certificate it is. Pure.
 */
import { storeItl, type RecordSummary } from '../cluster/itlStore.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { fileKind, type FileKind } from '../itl/showItlFields.ts';
import { Role } from '../itl/tags.ts';
import { verifyItl } from '../itl/verifyItl.ts';
import { hasItlRecovery } from '../releases.ts';
import { commonName, isItlRecoveryName, nodeOfName } from './certNames.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import { NODE_FILES } from './folderLayout.ts';
import type { FolderFile } from './readFolder.ts';
import type { Location, RecordIdentity, SnapshotFile, SnapshotIssue, SnapshotRecord } from './snapshotTypes.ts';

const CALLMANAGER_ROLES: ReadonlySet<number> = new Set([Role.CCM, Role.CCM_TFTP, Role.TFTP]);

/** Whose certificate each record of one file holds (RecordIdentity). Pure. */
export function identities(
  config: Pick<ClusterConfig, 'nodes'>,
  records: ReadonlyArray<RecordSummary & { dnsName?: string }>,
): RecordIdentity[] {
  const nodeOf = (r: RecordSummary & { dnsName?: string }) =>
    (nodeOfName(config, commonName(r.subject)) ?? (r.dnsName ? nodeOfName(config, r.dnsName) : undefined))?.name;
  const named = (kind: 'callManager' | 'tvs', node: string | undefined): RecordIdentity =>
    node === undefined ? { kind } : { kind, node };
  const callManagers = new Map<string, string | undefined>();
  for (const r of records) if (CALLMANAGER_ROLES.has(r.role) && r.certSha1) callManagers.set(r.certSha1, nodeOf(r));
  return records.map((r): RecordIdentity => {
    if (CALLMANAGER_ROLES.has(r.role)) return named('callManager', nodeOf(r));
    if (r.role === Role.TVS) return named('tvs', nodeOf(r));
    if (r.role === Role.CAPF) return { kind: 'capf' };
    if (r.role !== Role.SAST) return { kind: 'other' };
    if (isItlRecoveryName(commonName(r.subject))) return { kind: 'itlRecovery' };
    if (r.certSha1 && callManagers.has(r.certSha1)) return named('callManager', callManagers.get(r.certSha1));
    const node = nodeOf(r);
    return node === undefined ? { kind: 'other' } : { kind: 'callManager', node };
  });
}

/** A file of the folder as the snapshot lists it (before `servedBy` is known). Pure. */
function snapshotFile(config: ClusterConfig, file: FolderFile): SnapshotFile {
  const place: SnapshotFile['place'] =
    file.place.kind === 'node' ? { kind: 'served', node: file.place.node } : { kind: 'history' };
  if (file.form === 'binary') {
    const stored = storeItl(file.bytes, 'normal', place.kind === 'served' ? place.node : '');
    const ids = identities(
      config,
      stored.records.map((r, i) => ({ ...r, dnsName: file.file.records[i]!.dnsName })),
    );
    const verdict = verifyItl(file.bytes, file.file);
    const records = stored.records.map((r, i): SnapshotRecord => ({
      ...r,
      number: i + 1,
      at: { file: file.path, offset: file.file.records[i]!.offset },
      identity: ids[i]!,
    }));
    return {
      path: file.path,
      kind: fileKind(file.file),
      source: 'binary',
      place,
      sha1: stored.sha1,
      md5: stored.md5,
      length: stored.length,
      ...(file.file.timestamp !== undefined
        ? { modified: new Date(file.file.timestamp * 1000).toISOString().replace('.000Z', 'Z') }
        : {}),
      signature: verdict.status === 'verified' ? { status: 'verified' } : { status: 'failed', verdict },
      signer: { ...stored.signer, identity: ids[stored.signer.recordIndex] ?? { kind: 'other' } },
      records,
      servedBy: [],
    };
  }
  const { listing } = file;
  const ids = identities(config, listing.records);
  const records = listing.records.map(
    ({ role, subject, issuer, serial, certSha1, number, line }, i): SnapshotRecord => ({
      role,
      subject,
      issuer,
      serial,
      certSha1,
      number,
      at: { file: file.path, line },
      identity: ids[i]!,
    }),
  );
  return {
    path: file.path,
    kind: listing.kind,
    source: 'text',
    place,
    ...(listing.sha1 !== undefined ? { sha1: listing.sha1 } : {}),
    ...(listing.md5 !== undefined ? { md5: listing.md5 } : {}),
    ...(listing.length !== undefined ? { length: listing.length } : {}),
    ...(listing.modified !== undefined ? { modified: listing.modified } : {}),
    signature: { status: 'unverifiable', ...(listing.verified !== undefined ? { listingSays: listing.verified } : {}) },
    signer: { ...listing.signer, identity: ids[listing.signer.recordIndex] ?? { kind: 'other' } },
    records,
    servedBy: [],
  };
}

/** The kind a node file's name promises. */
function slotKind(file: FolderFile): FileKind | undefined {
  return file.place.kind === 'node' ? NODE_FILES[file.place.name].kind : undefined;
}

/** Which files of a node folder the snapshot uses: the file itself over its listing; the listing when the file is absent. */
function chosenFiles(files: FolderFile[], issues: SnapshotIssue[]): FolderFile[] {
  const chosen: FolderFile[] = [];
  for (const file of files) {
    if (file.form === 'binary' || file.place.kind !== 'node') {
      chosen.push(file);
      continue;
    }
    const { node } = file.place;
    const binary = files.find(
      (f) => f.form === 'binary' && f.place.kind === 'node' && f.place.node === node && slotKind(f) === slotKind(file),
    );
    if (!binary) {
      chosen.push(file);
      continue;
    }
    const fileSha1 = hashHex('sha1', binary.form === 'binary' ? binary.bytes : new Uint8Array());
    const listingSha1 = file.listing.sha1;
    if (listingSha1 !== undefined && listingSha1 !== fileSha1)
      issues.push({
        kind: 'listing-differs',
        at: { file: file.path },
        file: binary.path,
        listing: file.path,
        fileSha1,
        listingSha1,
      });
  }
  return chosen;
}

/** Where a file's signature shows: its SIGNATURE element (a file) or its verdict line (a listing). */
function signatureAt(file: FolderFile): Location {
  if (file.form === 'binary') return { file: file.path, offset: file.file.signatureOffset };
  return file.listing.verdictLine !== undefined
    ? { file: file.path, line: file.listing.verdictLine }
    : { file: file.path };
}

/** The issues of one file on its own: its signature, its kind, its TVS records, its ITLRecovery record. */
function fileIssues(config: ClusterConfig, file: FolderFile, snap: SnapshotFile): SnapshotIssue[] {
  const issues: SnapshotIssue[] = [];
  if (snap.signature.status === 'failed')
    issues.push({ kind: 'signature-failed', at: signatureAt(file), file: snap.path, verdict: snap.signature.verdict });
  if (snap.signature.status === 'unverifiable' && snap.signature.listingSays === false)
    issues.push({ kind: 'listing-not-verified', at: signatureAt(file), file: snap.path });
  const expected = slotKind(file);
  if (expected !== undefined && expected !== snap.kind)
    issues.push({ kind: 'wrong-kind', at: { file: snap.path }, file: snap.path, expected, found: snap.kind });
  if (snap.place.kind !== 'served') return issues;
  for (const r of snap.records)
    if (r.identity.kind === 'tvs' && r.identity.node === undefined)
      issues.push({ kind: 'tvs-unknown-node', at: r.at, file: snap.path, subject: r.subject });
  const rollback = config.parameters.prepareRollbackPre80 === true;
  if (
    snap.kind === 'itl' &&
    hasItlRecovery(config.version) &&
    !rollback &&
    !snap.records.some((r) => r.identity.kind === 'itlRecovery')
  )
    issues.push({ kind: 'no-itl-recovery', at: { file: snap.path }, file: snap.path });
  return issues;
}

/**
 * The snapshot's files, in the folder's order, with `servedBy` filled, and the issues each file
 * has on its own (and the node folders': files of a node that runs no TFTP, a TFTP node without an
 * ITL). Pure.
 */
export function snapshotFiles(
  config: ClusterConfig,
  files: FolderFile[],
): { files: SnapshotFile[]; issues: SnapshotIssue[]; used: FolderFile[] } {
  const issues: SnapshotIssue[] = [];
  const used = chosenFiles(files, issues);
  const snaps = used.map((file) => snapshotFile(config, file));
  used.forEach((file, i) => issues.push(...fileIssues(config, file, snaps[i]!)));
  const servers = new Map<string, string[]>();
  for (const node of config.nodes)
    for (const snap of snaps)
      if (snap.place.kind === 'served' && snap.place.node === node.name && snap.sha1 !== undefined)
        servers.set(snap.sha1, [...(servers.get(snap.sha1) ?? []), node.name]);
  for (const snap of snaps) if (snap.sha1 !== undefined) snap.servedBy = [...new Set(servers.get(snap.sha1) ?? [])];
  for (const node of config.nodes) {
    const own = files.filter((f) => f.place.kind === 'node' && f.place.node === node.name);
    if (!node.tftp && own.length > 0)
      issues.push({ kind: 'files-on-non-tftp-node', at: { file: own[0]!.path }, node: node.name });
    if (node.tftp && !own.some((f) => slotKind(f) === 'itl'))
      issues.push({ kind: 'no-itl', at: { file: 'cluster.json', line: node.line }, node: node.name });
  }
  return { files: snaps, issues, used };
}
