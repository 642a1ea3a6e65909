import { decodeItl } from '../model/itl/decodeItl.ts';
import { formatShowItl } from '../model/itl/formatShowItl.ts';
import { ItlFormatError, type ItlFile } from '../model/itl/itlTypes.ts';
import { showItlJson } from '../model/itl/showItlJson.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { IoError, type Io } from './io.ts';
import { refuse, type Problem } from './refusal.ts';

/** Options of `show-itl`. */
export interface ShowItlOptions {
  json?: boolean;
}

/** The largest ITL or CTL file `show-itl` reads: a phone cannot load more than 64 KB, so 1 MiB is far past any real one. */
export const MAX_TLV_BYTES = 1024 * 1024;

/** How a path is named in messages: standard input as `<stdin>`. */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

async function readBytes(file: string, io: Io): Promise<Uint8Array | Problem> {
  try {
    return await io.readFile(file, MAX_TLV_BYTES);
  } catch (error) {
    if (!(error instanceof IoError)) throw error;
    return { file: displayName(file), reason: error.reason };
  }
}

function decode(file: string, bytes: Uint8Array): ItlFile | Problem {
  try {
    return decodeItl(bytes);
  } catch (error) {
    // decodeItl throws nothing else for any input; anything else is a bug and must surface.
    if (!(error instanceof ItlFormatError)) throw error;
    return { file: displayName(file), offset: error.offset, reason: error.reason };
  }
}

/**
 * Prints a TLV file the way CUCM's `show itl` does, or `show ctl` when its header FILENAME is
 * `CTLFile.tlv` (or as JSON, with `kind` saying which), and verifies its signature:
 * 0 verified, 1 not verified, 2 unreadable or malformed (one line on stderr).
 */
export async function showItl(file: string, options: ShowItlOptions, io: Io): Promise<number> {
  const bytes = await readBytes(file, io);
  if (!(bytes instanceof Uint8Array)) return refuse(io, options.json, [bytes]);
  const itl = decode(file, bytes);
  if ('reason' in itl) return refuse(io, options.json, [itl]);
  const verdict = verifyItl(bytes, itl);
  if (options.json) io.out(JSON.stringify(showItlJson(bytes, itl, verdict), null, 2));
  else formatShowItl(bytes, itl, verdict).forEach((line) => io.out(line));
  return verdict.status === 'verified' ? 0 : 1;
}
