import { FolderError } from '../model/folder/folderError.ts';
import { preflight } from '../model/folder/preflight.ts';
import { parseTimestamp } from '../model/timestamps.ts';
import { loadClusterState, refuseFolder } from './folderImport.ts';
import type { Io } from './io.ts';
import { refuse } from './refusal.ts';
import { HAZARD_WORDS, preflightText } from './preflightText.ts';

/** Options of `preflight`. */
export interface PreflightOptions {
  json?: boolean;
  /** The time to judge validity at (ISO 8601); default: the newest TIMESTAMP of the folder's files. */
  at?: string;
}

/** The name and version of the `preflight --json` document's shape. */
export const PREFLIGHT_FORMAT = 'itl-model preflight 1';

/**
 * `itl-model preflight DIR`: the hazards a cluster folder shows. 0: none of high severity; 1: some
 * (a change should wait); 2: the folder cannot be read.
 */
export async function preflightCommand(dir: string, options: PreflightOptions, io: Io): Promise<number> {
  if (options.at !== undefined && parseTimestamp(options.at) === undefined)
    return refuse(io, options.json, [
      {
        file: '',
        reason: `--at: expected an ISO 8601 time like 2024-03-04T09:00:00Z, got ${JSON.stringify(options.at)}`,
      },
    ]);
  let loaded;
  try {
    loaded = await loadClusterState(dir, io);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    return refuseFolder(io, options.json, dir, error);
  }
  const at = options.at === undefined ? loaded.at : new Date(options.at).toISOString();
  const result = preflight(loaded, at);
  if (options.json)
    io.out(
      JSON.stringify(
        {
          format: PREFLIGHT_FORMAT,
          folder: dir,
          ...result,
          hazards: result.hazards.map((h) => ({ ...h, text: HAZARD_WORDS[h.kind] })),
        },
        null,
        2,
      ),
    );
  else preflightText(dir, result).forEach((line) => io.out(line));
  return result.counts.high > 0 ? 1 : 0;
}
