import { FolderError } from '../model/folder/folderError.ts';
import { fleet } from '../model/folder/fleet.ts';
import { fleetCsv } from './fleetCsv.ts';
import { fleetText } from './fleetText.ts';
import { loadClusterState, refuseFolder } from './folderImport.ts';
import type { Io } from './io.ts';
import { refuse } from './refusal.ts';

/** Options of `fleet`. */
export interface FleetOptions {
  json?: boolean;
  csv?: boolean;
}

/** The name and version of the `fleet --json` document's shape (docs/cluster-folder.md). */
export const FLEET_FORMAT = 'itl-model fleet 1';

/**
 * `itl-model fleet DIR`: what each phone of a cluster folder trusts and what its next boot would do
 * (its class), totals first. 0: the folder was read; 2: it cannot be (one line per problem).
 */
export async function fleetCommand(dir: string, options: FleetOptions, io: Io): Promise<number> {
  if (options.json && options.csv) return refuse(io, true, [{ file: '', reason: '--json and --csv: choose one' }]);
  let loaded;
  try {
    loaded = await loadClusterState(dir, io);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    return refuseFolder(io, options.json, dir, error);
  }
  const result = fleet(loaded);
  if (options.json) io.out(JSON.stringify({ format: FLEET_FORMAT, folder: dir, ...result }, null, 2));
  else if (options.csv) fleetCsv(result).forEach((line) => io.out(line));
  else fleetText(dir, result).forEach((line) => io.out(line));
  return 0;
}
