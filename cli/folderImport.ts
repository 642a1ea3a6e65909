/**
 * A cluster folder read through Io and imported as a starting state of the model
 * (model/folder/importCluster.ts): what `replay --from`, `fleet`, `preflight` and `plan` run on.
 */
import { join } from 'node:path';
import { FolderError, type FolderProblem } from '../model/folder/folderError.ts';
import { importCluster, type ImportedCluster } from '../model/folder/importCluster.ts';
import type { FolderContents } from '../model/folder/readFolder.ts';
import { snapshot } from '../model/folder/snapshot.ts';
import { readClusterFolder } from './folderIo.ts';
import type { Io } from './io.ts';
import { refuse } from './refusal.ts';

export type { ImportedCluster } from '../model/folder/importCluster.ts';

/** A folder imported, with the contents it was read from (the files' bytes and parsed rows). */
export interface LoadedCluster extends ImportedCluster {
  contents: FolderContents;
}

/**
 * Reads and imports a cluster folder: the model's `ClusterState` (`.state`), the snapshot it was made
 * from, and what the import assumed. Throws the FolderError the `snapshot` command reports (problems
 * named by folder-relative path) when the folder cannot be read.
 */
export async function loadClusterState(dir: string, io: Io): Promise<LoadedCluster> {
  const contents = await readClusterFolder(dir, io);
  if (Array.isArray(contents)) throw new FolderError(contents);
  return { ...importCluster(contents, snapshot(contents)), contents };
}

/** The problems of a refused folder with their paths under DIR, as `snapshot` prints them. Pure. */
export function folderProblems(dir: string, problems: readonly FolderProblem[]): FolderProblem[] {
  return problems.map((p) => ({ ...p, file: p.file === '' ? dir : join(dir, ...p.file.split('/')) }));
}

/** Refuses a folder that cannot be read (exit 2), one line per problem (and the JSON error document). */
export function refuseFolder(io: Io, json: boolean | undefined, dir: string, error: FolderError): 2 {
  return refuse(io, json, folderProblems(dir, error.problems));
}
