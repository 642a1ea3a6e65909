import { isAbsolute, join, normalize, sep } from 'node:path';
import type { Terminal } from './colour.ts';

/** A file to write whole or not at all. */
export type FileOutput = { kind: 'file'; path: string; data: Uint8Array | string };

/** A folder to replace by exactly these files (paths relative to it, `/`-separated). */
export type TreeOutput = { kind: 'tree'; dir: string; files: ReadonlyMap<string, Uint8Array> };

/** What a command writes: every output of one run is committed together. */
export type Output = FileOutput | TreeOutput;

/** One entry of a folder as `listDir` sees it: a symbolic link is reported as one, never followed. */
export interface DirEntry {
  name: string;
  type: 'file' | 'folder' | 'symlink' | 'other';
}

/** Everything a command may do to the outside world: print lines, read and write files. */
export interface Io {
  /**
   * Prints one line on standard output; `painter` colours it (after it is made terminal-safe) when
   * `terminal.colour` says so (cli/colour.ts).
   */
  out(line: string, painter?: (safeLine: string) => string): void;
  /** Where standard output goes: its width for text tables, and whether it takes colour (none: a fixed width, no colour). */
  readonly terminal?: Terminal;
  /** Prints one line on standard error. */
  err(line: string): void;
  /** Reads a regular file (standard input for `-`) of at most `maxBytes`, refused before reading when larger; throws IoError. */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  /**
   * Reads a regular file (standard input for `-`) as a stream of chunks, of any size: what is held
   * is the caller's (a log read line by line). Throws IoError, when opening or while reading.
   */
  readChunks?(path: string): AsyncIterable<Uint8Array>;
  /** The entries of a folder, sorted by name (symbolic links not followed); throws IoError when it is not a readable folder. */
  listDir(path: string): Promise<DirEntry[]>;
  /** Why an output cannot be written (missing folder, a folder in the way, a folder that is not ours to replace), or undefined. */
  outputProblem(
    target: Pick<FileOutput, 'kind' | 'path'> | Pick<TreeOutput, 'kind' | 'dir'>,
  ): Promise<string | undefined>;
  /**
   * Where a path leads, so that two spellings of one file (`./x` and `x`, a symbolic link and its
   * target) compare equal: its real path when it exists, else its folder's real path joined with its name.
   */
  whereIs(path: string): Promise<string>;
  /**
   * Writes every output under a temporary name, then renames them all into place; on failure puts back
   * what was there before and removes the rest, so that nothing is written; throws IoError.
   */
  writeOutputs(outputs: Output[]): Promise<void>;
  /** Writes one file whole or not at all (`writeOutputs` of one file). */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Creates a directory and its parents; succeeds if it exists. */
  mkdir(path: string): Promise<void>;
}

/** A file that cannot be read or written: printed as `PATH: reason` on one line, exit status 2. */
export class IoError extends Error {
  /** The path as the user gave it. */
  readonly path: string;
  /** Why, in words (no error code, no stack). */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'IoError';
    this.path = path;
    this.reason = reason;
  }
}

/** A path a command reads or writes, named as its usage names it (`the log`, `--html`). */
export interface NamedPath {
  /** How the line that refuses it names it: an option (`--out`) or an argument (`the log`). */
  name: string;
  path: string;
  /** `tree`: a folder replaced whole (anything inside it is lost); `input`: read, never written. */
  kind: 'input' | 'file' | 'tree';
}

/** A folder as a refusal names it: `the --out folder`, `the cluster folder`. Pure. */
const folder = (p: NamedPath): string => (p.name.startsWith('--') ? `the ${p.name} folder` : p.name);

/** Why two paths cannot both be used, or undefined. Pure. */
function clash(a: NamedPath, whereA: string, b: NamedPath, whereB: string): string | undefined {
  if (whereA === whereB) return `${a.name} and ${b.name} name the same file`;
  const inside = (tree: string, path: string) => path.startsWith(tree.endsWith(sep) ? tree : tree + sep);
  // A folder an output replaces, or a folder read (a cluster folder: evidence, nothing is written in
  // it); a file has nothing inside it.
  if ((a.kind === 'tree' || a.kind === 'input') && inside(whereA, whereB)) return `${b.name} is inside ${folder(a)}`;
  if (b.kind === 'tree' && inside(whereB, whereA)) return `${a.name} is inside ${folder(b)}`;
  return undefined;
}

/**
 * Why a run's inputs cannot be read, when two of them are standard input (it holds one file: read
 * for the first, it would be empty for the second), or undefined. Pure.
 */
export function stdinTwice(paths: NamedPath[]): string | undefined {
  const stdin = paths.filter((p) => p.kind === 'input' && p.path === '-');
  return stdin.length > 1 ? `${stdin[0]!.name} is standard input already: ${stdin[1]!.name} must be a file` : undefined;
}

/**
 * The outputs of one run that would overwrite one of its inputs or another of its outputs (the same
 * file under any spelling, or a path inside a folder that an output replaces), each once, as
 * `{ file, reason }` naming both: found before anything is read or written. `-` (standard input or
 * output) is no path. Paths are listed inputs first, then outputs in the order of the options.
 */
export async function outputClashes(paths: NamedPath[], io: Io): Promise<{ file: string; reason: string }[]> {
  const twice = stdinTwice(paths);
  if (twice) return [{ file: '-', reason: twice }];
  const named = paths.filter((p) => p.path !== '-');
  const where = await Promise.all(named.map((p) => io.whereIs(p.path)));
  const problems: { file: string; reason: string }[] = [];
  named.forEach((b, j) => {
    if (b.kind === 'input') return;
    for (let i = 0; i < j; i++) {
      const reason = clash(named[i]!, where[i]!, b, where[j]!);
      if (reason) {
        problems.push({ file: b.path, reason });
        return;
      }
    }
  });
  return problems;
}

/**
 * Everything wrong with a run's paths, found before anything is read or written: each output that
 * names an input or another output (`outputClashes`), then each other output that cannot be written
 * (`outputProblem`), with its option after the reason.
 */
export async function pathProblems(paths: NamedPath[], io: Io): Promise<{ file: string; reason: string }[]> {
  const problems = await outputClashes(paths, io);
  const clashing = new Set(problems.map((p) => p.file));
  for (const p of paths) {
    if (p.kind === 'input' || clashing.has(p.path)) continue;
    const why = await io.outputProblem(
      p.kind === 'file' ? { kind: 'file', path: p.path } : { kind: 'tree', dir: p.path },
    );
    if (why) problems.push({ file: p.path, reason: `${why} (${p.name})` });
  }
  return problems;
}

/** Whether a path is a folder that can be listed. */
export function isFolder(path: string, io: Io): Promise<boolean> {
  return io.listDir(path).then(
    () => true,
    () => false,
  );
}

/** Why `writeOutputs` must refuse these outputs before writing any (two name one path, or one cannot be written), or undefined. */
export async function unwritable(outputs: Output[], io: Io): Promise<IoError | undefined> {
  const clashes = await outputClashes(
    outputs.map((o, i) => ({ name: `output ${i + 1}`, ...target(o) })),
    io,
  );
  if (clashes[0]) return new IoError(clashes[0].file, `cannot write: ${clashes[0].reason}`);
  for (const o of outputs) {
    const why = await io.outputProblem(o.kind === 'file' ? o : { kind: 'tree', dir: o.dir });
    if (why) return new IoError(o.kind === 'file' ? o.path : o.dir, why);
  }
  return undefined;
}

/** Default read cap: no input of this tool is legitimately larger. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Top-level entries of a `replay --out` folder: a folder holding only these (or nothing) may be replaced. */
export const OUT_ENTRIES: ReadonlySet<string> = new Set(['tftp', 'phones']);

/**
 * The path of a tree file inside its folder, refusing any relative path that could leave it (an
 * absolute path, a `..` segment, an empty segment): names are validated where they are read, and
 * this is the second check, at the point of writing. Throws Error (a bug, not bad input). Pure.
 */
export function insideTree(dir: string, relative: string): string {
  const segments = relative.split('/');
  const bad =
    isAbsolute(relative) || relative.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..');
  const path = join(dir, ...segments);
  if (bad || !normalize(path).startsWith(normalize(dir) + sep))
    throw new Error(`bug: refusing to write ${JSON.stringify(relative)} outside ${dir}`);
  return path;
}

/**
 * Text made safe for a terminal: every control character but tab and line feed shown as a `\uXXXX`
 * escape, so no escape sequence from a file reaches the terminal (and JSON text stays valid JSON). Pure.
 */
export function terminalSafe(line: string): string {
  return line.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An output as a `NamedPath` without its name. Pure. */
export function target(output: Output): Omit<NamedPath, 'name'> {
  return output.kind === 'file' ? { kind: 'file', path: output.path } : { kind: 'tree', path: output.dir };
}
