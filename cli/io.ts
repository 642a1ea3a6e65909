import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Everything a command may do to the outside world: print lines, read and write files. */
export interface Io {
  /** Prints one line on standard output. */
  out(line: string): void;
  /** Prints one line on standard error. */
  err(line: string): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Creates a directory and its parents; succeeds if it exists. */
  mkdir(path: string): Promise<void>;
}

/** The real world: process.stdout/stderr and the file system. */
export const nodeIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path),
  writeFile: (path, data) => writeFile(path, data),
  mkdir: async (path) => void (await mkdir(path, { recursive: true })),
};

/** A test double of Io that records what was printed and written, with its files in memory. */
export interface MemoryIo extends Io {
  stdout: string[];
  stderr: string[];
  /** Files by path: the initial ones and whatever was written. */
  files: Map<string, Uint8Array>;
  dirs: Set<string>;
}

// Shaped like Node's own fs errors so commands report both the same way.
function fsError(code: string, description: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${description}, ${syscall} '${path}'`), { code, syscall, path });
}

/** An in-memory Io seeded with files (bytes or UTF-8 text); writing into a directory that was not made fails like Node. */
export function memoryIo(initial: Record<string, Uint8Array | string> = {}): MemoryIo {
  const toBytes = (data: Uint8Array | string) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);
  const files = new Map(Object.entries(initial).map(([path, data]) => [path, toBytes(data)]));
  const dirs = new Set<string>(['.', '/']);
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    files,
    dirs,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    readFile: async (path) => {
      const data = files.get(path);
      if (!data) throw fsError('ENOENT', 'no such file or directory', 'open', path);
      return data;
    },
    writeFile: async (path, data) => {
      if (!dirs.has(dirname(path))) throw fsError('ENOENT', 'no such file or directory', 'open', path);
      files.set(path, toBytes(data));
    },
    mkdir: async (path) => {
      for (let dir = path; !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
    },
  };
}
