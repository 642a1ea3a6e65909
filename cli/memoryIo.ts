/** An in-memory Io for tests and benchmarks: what was printed and written is kept, files live in a map. */
import { dirname, posix } from 'node:path';
import { DEFAULT_MAX_BYTES, insideTree, IoError, terminalSafe, unwritable, type DirEntry, type Io } from './io.ts';

/** A test double of Io that records what was printed and written, with its files in memory. */
export interface MemoryIo extends Io {
  stdout: string[];
  stderr: string[];
  /** Files by path: the initial ones and whatever was written. */
  files: Map<string, Uint8Array>;
  dirs: Set<string>;
  /** What `-` reads. */
  stdin?: Uint8Array;
}

/** The chunk size of `memoryIo().readChunks`. */
const MEMORY_CHUNK = 7;

/** An in-memory Io seeded with files (bytes or UTF-8 text); writing into a directory that was not made fails like the real one. */
export function memoryIo(initial: Record<string, Uint8Array | string> = {}): MemoryIo {
  const toBytes = (data: Uint8Array | string) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);
  const files = new Map(Object.entries(initial).map(([path, data]) => [path, toBytes(data)]));
  const dirs = new Set<string>(['.', '/']);
  const problem = async (target: Parameters<Io['outputProblem']>[0]) => {
    const path = target.kind === 'file' ? target.path : target.dir;
    if (!dirs.has(dirname(path))) return `cannot write: no such folder ${dirname(path)}`;
    if (target.kind === 'file' && dirs.has(path)) return 'cannot write: it is a folder';
    if (target.kind === 'tree' && files.has(path)) return 'cannot write: it is a file, not a folder';
    return undefined;
  };
  const io: MemoryIo = {
    stdout: [],
    stderr: [],
    files,
    dirs,
    out: (line) => void io.stdout.push(terminalSafe(line)),
    err: (line) => void io.stderr.push(terminalSafe(line)),
    readFile: async (path, maxBytes = DEFAULT_MAX_BYTES) => {
      const data = path === '-' ? io.stdin : files.get(path);
      if (!data)
        throw new IoError(
          path,
          dirs.has(path) ? 'cannot read: not a regular file' : 'cannot read: no such file or folder',
        );
      if (data.length > maxBytes)
        throw new IoError(path, `cannot read: ${data.length} bytes, more than the ${maxBytes}-byte cap`);
      return data;
    },
    async *readChunks(path) {
      // Small chunks, so that tests cut lines, CRLFs and UTF-8 sequences across them.
      const data = await io.readFile(path, Infinity);
      for (let at = 0; at < data.length; at += MEMORY_CHUNK) yield data.subarray(at, at + MEMORY_CHUNK);
    },
    listDir: async (path) => {
      const prefix = path === '.' ? '' : `${path.replace(/\/+$/, '')}/`;
      const entries = new Map<string, DirEntry['type']>();
      for (const file of files.keys())
        if (file.startsWith(prefix)) {
          const [name, ...rest] = file.slice(prefix.length).split('/');
          if (name) entries.set(name, rest.length > 0 ? 'folder' : 'file');
        }
      for (const dir of dirs)
        if (
          dir !== '.' &&
          dir.startsWith(prefix) &&
          !dir.slice(prefix.length).includes('/') &&
          dir.length > prefix.length
        )
          entries.set(dir.slice(prefix.length), 'folder');
      if (entries.size === 0 && !dirs.has(path))
        throw new IoError(path, files.has(path) ? 'cannot list: not a folder' : 'cannot list: no such file or folder');
      return [...entries]
        .map(([name, type]) => ({ name, type }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    outputProblem: problem,
    whereIs: async (path) => posix.resolve('/', path),
    writeOutputs: async (outputs) => {
      const refused = await unwritable(outputs, io);
      if (refused) throw refused;
      for (const o of outputs) {
        if (o.kind === 'file') files.set(o.path, toBytes(o.data));
        else {
          for (const path of [...files.keys()]) if (path.startsWith(`${o.dir}/`)) files.delete(path);
          dirs.add(o.dir);
          for (const [rel, data] of o.files) {
            const path = insideTree(o.dir, rel);
            for (let dir = dirname(path); !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
            files.set(path, data);
          }
        }
      }
    },
    writeFile: (path, data) => io.writeOutputs([{ kind: 'file', path, data }]),
    mkdir: async (path) => {
      for (let dir = path; !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
    },
  };
  return io;
}
