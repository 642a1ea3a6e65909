import { join } from 'node:path';
import { snapshot } from '../model/folder/snapshot.ts';
import { readClusterFolder } from './folderIo.ts';
import type { Io } from './io.ts';
import { refuse } from './refusal.ts';
import { snapshotJson } from './snapshotJson.ts';
import { snapshotText } from './snapshotText.ts';

/** Options of `snapshot`. */
export interface SnapshotOptions {
  json?: boolean;
}

/**
 * Reads a cluster folder (docs/cluster-folder.md) and prints what it says: nodes, files, phones and
 * every inconsistency. 0: no inconsistency; 1: inconsistencies found; 2: the folder cannot be read
 * (one line per problem, nothing printed on standard output but the `--json` error document).
 */
export async function snapshotCommand(dir: string, options: SnapshotOptions, io: Io): Promise<number> {
  const contents = await readClusterFolder(dir, io);
  if (Array.isArray(contents))
    return refuse(
      io,
      options.json,
      contents.map((p) => ({ ...p, file: p.file === '' ? dir : join(dir, ...p.file.split('/')) })),
    );
  const snap = snapshot(contents);
  if (options.json) io.out(JSON.stringify(snapshotJson(dir, snap), null, 2));
  else snapshotText(dir, snap).forEach((line) => io.out(line));
  return snap.issues.length === 0 ? 0 : 1;
}
