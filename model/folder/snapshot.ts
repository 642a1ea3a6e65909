/**
 * `snapshot`: what a cluster folder says, and everything in it that does not fit together
 * (docs/cluster-folder.md). The ITL and CTL files are decoded and their signatures verified, the
 * nodes' certificates recovered from the records, the phones' hashes placed among the files. The
 * result is data (`Snapshot`, model/folder/snapshotTypes.ts); cli/ puts it into words. Pure.
 */
import { hasItlRecovery, itlSigner, singleItlRecovery } from '../releases.ts';
import type { FolderContents } from './readFolder.ts';
import { snapshotFiles } from './snapshotFiles.ts';
import { snapshotNodes } from './snapshotNodes.ts';
import { hashIndex, snapshotPhones } from './snapshotPhones.ts';
import { MATCH_CLASSES, type HashMatch, type Snapshot, type SnapshotPhone } from './snapshotTypes.ts';

export type * from './snapshotTypes.ts';
export { MATCH_CLASSES } from './snapshotTypes.ts';

function counts(phones: SnapshotPhone[], pick: (p: SnapshotPhone) => HashMatch): Record<HashMatch['match'], number> {
  const result = Object.fromEntries(MATCH_CLASSES.map((c) => [c, 0])) as Record<HashMatch['match'], number>;
  for (const phone of phones) result[pick(phone).match]++;
  return result;
}

/** The snapshot of a folder that `parseFolder` read. Pure. */
export function snapshot(contents: FolderContents): Snapshot {
  const { cluster } = contents;
  const files = snapshotFiles(cluster, contents.files);
  const nodes = snapshotNodes(cluster, files.files, files.used);
  const phones = snapshotPhones(cluster, contents.phones, hashIndex(files.files));
  const issues = [...files.issues, ...nodes.issues, ...phones.issues];
  return {
    cluster: {
      version: cluster.version,
      securityMode: cluster.securityMode,
      parameters: cluster.parameters,
      release: {
        itlSigner: itlSigner(cluster.version),
        itlRecovery: !hasItlRecovery(cluster.version)
          ? 'none'
          : singleItlRecovery(cluster.version)
            ? 'per-cluster'
            : 'per-node',
      },
    },
    nodes: nodes.nodes,
    files: files.files,
    capf: nodes.capf,
    itlRecovery: nodes.itlRecovery,
    phones: phones.phones,
    issues,
    summary: {
      phones: phones.phones.length,
      unregistered: phones.phones.filter((p) => p.status === 'Unregistered').length,
      itl: counts(phones.phones, (p) => p.itl),
      ctl: counts(phones.phones, (p) => p.ctl),
      issues: issues.length,
    },
  };
}
