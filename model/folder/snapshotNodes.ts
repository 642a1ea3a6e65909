/**
 * The nodes of a snapshot: which files each serves, and its certificates as the served files show
 * them; and what should be one across the cluster and is not (ITLRecovery, a node's TVS, CAPF, the
 * CTL). Only files whose signature did not fail are read for certificates. Pure.
 */
import { Role } from '../itl/tags.ts';
import { hasItlRecovery, singleItlRecovery } from '../releases.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import { NODE_FILES } from './folderLayout.ts';
import type { FolderFile } from './readFolder.ts';
import type { CertRef, SnapshotFile, SnapshotIssue, SnapshotNode, SnapshotRecord, Variant } from './snapshotTypes.ts';

function certRef(r: SnapshotRecord): CertRef {
  return { subject: r.subject, serial: r.serial, issuer: r.issuer, certSha1: r.certSha1, at: r.at };
}

/** Records grouped by certificate, in the order first found, each with the files that hold it. */
function variants(found: Array<{ record: SnapshotRecord; file: string }>): Variant[] {
  const byCert = new Map<string, Variant>();
  for (const { record, file } of found) {
    const v = byCert.get(record.certSha1);
    if (v) {
      if (!v.files.includes(file)) v.files.push(file);
    } else
      byCert.set(record.certSha1, {
        certSha1: record.certSha1,
        subject: record.subject,
        serial: record.serial,
        files: [file],
      });
  }
  return [...byCert.values()];
}

function recordsWhere(files: SnapshotFile[], keep: (r: SnapshotRecord) => boolean) {
  return files.flatMap((f) => f.records.filter(keep).map((record) => ({ record, file: f.path })));
}

const NODE_ROLES: ReadonlySet<number> = new Set([Role.TFTP, Role.CCM_TFTP]);
const CTL_NODE_ROLES: ReadonlySet<number> = new Set([Role.CCM, Role.CCM_TFTP]);

/**
 * Each node of cluster.json with the files it serves and its certificates, the cluster's distinct
 * CAPF and ITLRecovery certificates, and the issues between files. `used` are the folder files the
 * snapshot files were made from, at the same index. Pure.
 */
export function snapshotNodes(
  config: ClusterConfig,
  files: SnapshotFile[],
  used: FolderFile[],
): { nodes: SnapshotNode[]; capf: CertRef[]; itlRecovery: CertRef[]; issues: SnapshotIssue[] } {
  const issues: SnapshotIssue[] = [];
  const served = files.filter((f) => f.place.kind === 'served');
  const trusted = served.filter((f) => f.signature.status !== 'failed');
  const slotOf = (f: SnapshotFile) => {
    const place = used[files.indexOf(f)]!.place;
    return place.kind === 'node' ? NODE_FILES[place.name].kind : undefined;
  };
  const servedBy = (node: string, kind: 'itl' | 'ctl') =>
    served.find((f) => f.place.kind === 'served' && f.place.node === node && slotOf(f) === kind);

  const tvsFound = new Map<string, ReturnType<typeof variants>>();
  const nodes = config.nodes.map((node): SnapshotNode => {
    const { line: _line, ...rest } = node;
    const itl = servedBy(node.name, 'itl');
    const ctl = servedBy(node.name, 'ctl');
    let callManager: CertRef | undefined;
    let itlRecovery: CertRef | undefined;
    const ownItl = itl && itl.signature.status !== 'failed' ? itl : undefined;
    if (ownItl) {
      const nodeRecords = ownItl.records.filter((r) => NODE_ROLES.has(r.role));
      const mine = nodeRecords.find((r) => r.identity.kind === 'callManager' && r.identity.node === node.name);
      if (mine) callManager = certRef(mine);
      else if (nodeRecords[0]) {
        const names = nodeRecords[0].identity.kind === 'callManager' ? nodeRecords[0].identity.node : undefined;
        issues.push({
          kind: 'itl-names-other-node',
          at: nodeRecords[0].at,
          node: node.name,
          file: ownItl.path,
          subject: nodeRecords[0].subject,
          ...(names !== undefined ? { names } : {}),
        });
      }
      const recovery = ownItl.records.find((r) => r.identity.kind === 'itlRecovery');
      if (recovery) itlRecovery = certRef(recovery);
    }
    if (!callManager) {
      const fromCtl = recordsWhere(
        trusted.filter((f) => f.kind === 'ctl'),
        (r) =>
          CTL_NODE_ROLES.has(r.role) &&
          r.certSha1 !== '' &&
          r.identity.kind === 'callManager' &&
          r.identity.node === node.name,
      )[0];
      if (fromCtl) callManager = certRef(fromCtl.record);
    }
    const tvs = recordsWhere(
      trusted.filter((f) => f.kind === 'itl'),
      (r) => r.identity.kind === 'tvs' && r.identity.node === node.name,
    );
    const result: SnapshotNode = {
      ...rest,
      serves: { ...(itl ? { itl: itl.path } : {}), ...(ctl ? { ctl: ctl.path } : {}) },
      ...(callManager ? { callManager } : {}),
      ...(tvs[0] ? { tvs: certRef(tvs[0].record) } : {}),
      ...(itlRecovery ? { itlRecovery } : {}),
    };
    tvsFound.set(node.name, variants(tvs));
    return result;
  });

  for (const [node, found] of tvsFound)
    if (found.length > 1)
      issues.push({ kind: 'tvs-differs', at: { file: found[1]!.files[0]! }, node, variants: found });

  const recoveries = recordsWhere(trusted, (r) => r.identity.kind === 'itlRecovery');
  const recoveryVariants = variants(recoveries);
  if (recoveryVariants.length > 1 && hasItlRecovery(config.version))
    issues.push({
      kind: 'itl-recovery-differs',
      at: { file: recoveryVariants[1]!.files[0]! },
      rule: singleItlRecovery(config.version) ? 'one-per-cluster' : 'publisher-in-every-itl',
      variants: recoveryVariants,
    });
  const capfs = recordsWhere(trusted, (r) => r.identity.kind === 'capf');
  const capfVariants = variants(capfs);
  if (capfVariants.length > 1)
    issues.push({ kind: 'capf-differs', at: { file: capfVariants[1]!.files[0]! }, variants: capfVariants });

  const ctls = served.filter((f) => slotOf(f) === 'ctl' && f.sha1 !== undefined);
  const ctlVariants = [...new Set(ctls.map((f) => f.sha1!))].map((sha1) => {
    const holders = ctls.filter((f) => f.sha1 === sha1);
    return { sha1, nodes: holders.map((f) => (f.place.kind === 'served' ? f.place.node : '')), file: holders[0]!.path };
  });
  if (ctlVariants.length > 1)
    issues.push({ kind: 'ctl-differs', at: { file: ctlVariants[1]!.file }, variants: ctlVariants });
  if (config.securityMode === 'mixed' && !served.some((f) => slotOf(f) === 'ctl'))
    issues.push({ kind: 'ctl-missing', at: { file: 'cluster.json' } });

  const distinct = (found: Array<{ record: SnapshotRecord }>) => {
    const byCert = new Map<string, CertRef>();
    for (const { record } of found) if (!byCert.has(record.certSha1)) byCert.set(record.certSha1, certRef(record));
    return [...byCert.values()];
  };
  return { nodes, capf: distinct(capfs), itlRecovery: distinct(recoveries), issues };
}
