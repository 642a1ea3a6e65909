import { IoError, type Io, type Output } from './io.ts';

/** One reason an input or output was refused: a file and, where known, the line or byte offset in it. */
export interface Problem {
  file: string;
  line?: number;
  offset?: number;
  reason: string;
}

/** `FILE:LINE: reason`, `FILE: offset N: reason` or `FILE: reason`. Pure. */
export function problemLine(p: Problem): string {
  if (p.line !== undefined) return `${p.file}:${p.line}: ${p.reason}`;
  if (p.offset !== undefined) return `${p.file}: offset ${p.offset}: ${p.reason}`;
  return p.file === '' ? p.reason : `${p.file}: ${p.reason}`;
}

/**
 * Refuses bad input: one line per problem on stderr and, with `--json`, the document
 * `{ "error": [{ "file", "line"?, "offset"?, "reason" }] }` on stdout, so a script reading JSON
 * always gets JSON. Returns exit status 2.
 */
export function refuse(io: Io, json: boolean | undefined, problems: Problem[]): 2 {
  for (const p of problems) io.err(problemLine(p));
  if (json) io.out(JSON.stringify({ error: problems }, null, 2));
  return 2;
}

/**
 * Writes a run's outputs whole or not at all (`io.writeOutputs`). When they cannot be written, refuses
 * with the file and reason of the IoError (the option that named it after the reason, when given) and
 * returns exit status 2; returns undefined once they are written.
 */
export async function writeOrRefuse(
  io: Io,
  outputs: Output[],
  json: boolean | undefined,
  option?: string,
): Promise<2 | undefined> {
  try {
    await io.writeOutputs(outputs);
    return undefined;
  } catch (error) {
    if (!(error instanceof IoError)) throw error;
    return refuse(io, json, [{ file: error.path, reason: option ? `${error.reason} (${option})` : error.reason }]);
  }
}
