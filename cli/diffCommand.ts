import { DiffInputError, diffItl, readDiffSide, type DiffSide } from '../model/itl/diffItl.ts';
import { FOLDER_CAPS } from '../model/folder/folderLayout.ts';
import { diffText, verdictText } from './diffText.ts';
import { IoError, stdinTwice, type Io } from './io.ts';
import { refuse, type Problem } from './refusal.ts';
import { displayName } from './showItl.ts';

/** Options of `diff`. */
export interface DiffOptions {
  json?: boolean;
}

/** The name and version of the `diff --json` document's shape. */
export const DIFF_FORMAT = 'itl-model diff 1';

async function side(path: string, io: Io): Promise<DiffSide | Problem> {
  const name = displayName(path);
  try {
    return readDiffSide(await io.readFile(path, FOLDER_CAPS.tlv));
  } catch (error) {
    if (error instanceof IoError) return { file: name, reason: error.reason };
    if (error instanceof DiffInputError) return { file: name, ...error.where, reason: error.reason };
    throw error;
  }
}

/**
 * `itl-model diff A B`: two ITL or CTL files (or `show itl` listings) compared record by record, and
 * the verdict for a phone holding A offered B. 0: both read; 2: either cannot be read.
 */
export async function diffCommand(a: string, b: string, options: DiffOptions, io: Io): Promise<number> {
  const twice = stdinTwice([
    { name: 'A', path: a, kind: 'input' },
    { name: 'B', path: b, kind: 'input' },
  ]);
  if (twice) return refuse(io, options.json, [{ file: displayName(b), reason: twice }]);
  const sides = [await side(a, io), await side(b, io)];
  const problems = sides.filter((s): s is Problem => 'reason' in s);
  if (problems.length > 0) return refuse(io, options.json, problems);
  const diff = diffItl(sides[0] as DiffSide, sides[1] as DiffSide);
  if (options.json)
    io.out(
      JSON.stringify(
        {
          format: DIFF_FORMAT,
          files: { a: displayName(a), b: displayName(b) },
          ...diff,
          verdictText: verdictText(diff),
        },
        null,
        2,
      ),
    );
  else diffText(displayName(a), displayName(b), diff).forEach((line) => io.out(line));
  return 0;
}
