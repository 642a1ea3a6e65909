import { decodeItl } from '../model/itl/decodeItl.ts';
import { formatShowItl } from '../model/itl/formatShowItl.ts';
import { ItlFormatError, type ItlFile } from '../model/itl/itlTypes.ts';
import { showItlJson } from '../model/itl/showItlJson.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import type { Io } from './io.ts';

/** Options of `show-itl`. */
export interface ShowItlOptions {
  json?: boolean;
}

/** A file-system error's description without Node's code prefix and path suffix ("no such file or directory"). */
export function readErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z]+: (.+?), \w+(?: '.*')?$/.exec(message)?.[1] ?? message;
}

async function readBytes(file: string, io: Io): Promise<Uint8Array | undefined> {
  try {
    return await io.readFile(file);
  } catch (error) {
    io.err(`${file}: cannot read: ${readErrorReason(error)}`);
    return undefined;
  }
}

function decode(file: string, bytes: Uint8Array, io: Io): ItlFile | undefined {
  try {
    return decodeItl(bytes);
  } catch (error) {
    // decodeItl throws nothing else for any input; anything else is a bug and must surface.
    if (!(error instanceof ItlFormatError)) throw error;
    io.err(`${file}: offset ${error.offset}: ${error.reason}`);
    return undefined;
  }
}

/**
 * Prints a TLV file the way CUCM's `show itl` does (or as JSON) and verifies its signature:
 * 0 verified, 1 not verified, 2 unreadable or malformed (one line on stderr).
 */
export async function showItl(file: string, options: ShowItlOptions, io: Io): Promise<number> {
  const bytes = await readBytes(file, io);
  if (!bytes) return 2;
  const itl = decode(file, bytes, io);
  if (!itl) return 2;
  const verdict = verifyItl(bytes, itl);
  if (options.json) io.out(JSON.stringify(showItlJson(bytes, itl, verdict), null, 2));
  else formatShowItl(bytes, itl, verdict).forEach((line) => io.out(line));
  return verdict.status === 'verified' ? 0 : 1;
}
