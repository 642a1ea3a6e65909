import type { Snapshot, SnapshotFile, SnapshotIssue, SnapshotRecord } from '../model/folder/snapshot.ts';
import { issueText } from './snapshotIssueText.ts';

/** The name and version of the `snapshot --json` document's shape (docs/cluster-folder.md). */
export const SNAPSHOT_FORMAT = 'itl-model snapshot 1';

/** A record in `--json`: the snapshot's record without the base64 DER (the file has it). */
export type SnapshotRecordJson = Omit<SnapshotRecord, 'cert'>;

/** What `snapshot --json` prints: the snapshot as data, records without DER, and each issue with the CLI's words. */
export interface SnapshotJson extends Omit<Snapshot, 'files' | 'issues'> {
  format: typeof SNAPSHOT_FORMAT;
  /** The folder as given on the command line; every `file` and `path` below is relative to it. */
  folder: string;
  files: Array<Omit<SnapshotFile, 'records'> & { records: SnapshotRecordJson[] }>;
  issues: Array<SnapshotIssue & { text: string }>;
}

/** The JSON document of a snapshot. Pure. */
export function snapshotJson(folder: string, snap: Snapshot): SnapshotJson {
  return {
    format: SNAPSHOT_FORMAT,
    folder,
    cluster: snap.cluster,
    nodes: snap.nodes,
    files: snap.files.map((f) => ({ ...f, records: f.records.map(({ cert: _cert, ...r }) => r) })),
    capf: snap.capf,
    itlRecovery: snap.itlRecovery,
    phones: snap.phones,
    issues: snap.issues.map((issue) => ({ ...issue, text: issueText(issue) })),
    summary: snap.summary,
  };
}
