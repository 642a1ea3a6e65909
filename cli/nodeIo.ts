import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { terminalOf } from './colour.ts';
import { DEFAULT_MAX_BYTES, IoError, OUT_ENTRIES, terminalSafe, type DirEntry, type Io } from './io.ts';
import { because, writeOutputs } from './nodeWrite.ts';

/** Reads at most `maxBytes` from standard input, refusing more. */
async function readStdin(maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw new IoError('-', `cannot read: more than the ${maxBytes}-byte cap arrived on standard input`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a regular file of at most `maxBytes`: the size is checked before reading, and the read stops past the cap. */
async function readRegular(path: string, maxBytes: number): Promise<Uint8Array> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw new IoError(path, `cannot read: ${because(error)}`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new IoError(path, 'cannot read: not a regular file');
    if (info.size > maxBytes)
      throw new IoError(path, `cannot read: ${info.size} bytes, more than the ${maxBytes}-byte cap`);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let size = 0;
    while (size < buffer.length) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size);
      if (bytesRead === 0) break;
      size += bytesRead;
    }
    if (size > maxBytes)
      throw new IoError(path, `cannot read: more than the ${maxBytes}-byte cap (the file grew while read)`);
    return buffer.subarray(0, size);
  } catch (error) {
    throw error instanceof IoError ? error : new IoError(path, `cannot read: ${because(error)}`);
  } finally {
    await handle.close();
  }
}

/** The size of the chunks a file is streamed in. */
const CHUNK_BYTES = 1024 * 1024;

/** Streams a regular file (standard input for `-`) in chunks: nothing but the chunk is held here. */
async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  if (path === '-') {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) yield chunk;
    return;
  }
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw new IoError(path, `cannot read: ${because(error)}`);
  });
  try {
    const info = await handle.stat().catch((error: unknown) => {
      throw new IoError(path, `cannot read: ${because(error)}`);
    });
    if (!info.isFile()) throw new IoError(path, 'cannot read: not a regular file');
    for (;;) {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES).catch((error: unknown) => {
        throw new IoError(path, `cannot read: ${because(error)}`);
      });
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Why a folder may not be replaced by a tree of outputs: it holds something this tool did not write. */
async function foreignEntry(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir);
  return entries.sort().find((name) => !OUT_ENTRIES.has(name));
}

/** The first reason an output cannot be written, or undefined. */
async function outputProblem(target: Parameters<Io['outputProblem']>[0]): Promise<string | undefined> {
  const path = target.kind === 'file' ? target.path : target.dir;
  const parent = dirname(resolve(path));
  const folder = await stat(parent).catch(() => undefined);
  if (!folder) return `cannot write: no such folder ${dirname(path)}`;
  if (!folder.isDirectory()) return `cannot write: ${dirname(path)} is not a folder`;
  if (
    await access(parent, constants.W_OK).then(
      () => false,
      () => true,
    )
  )
    return 'cannot write: permission denied';
  const existing = await lstat(path).catch(() => undefined);
  if (!existing) return undefined;
  if (target.kind === 'file')
    return existing.isDirectory()
      ? 'cannot write: it is a folder'
      : existing.isFile()
        ? undefined
        : 'cannot write: it exists and is not a regular file';
  if (!existing.isDirectory()) return 'cannot write: it exists and is not a folder';
  const foreign = await foreignEntry(path).catch(() => '(unreadable)');
  return foreign === undefined
    ? undefined
    : `cannot write: the folder holds ${JSON.stringify(foreign)}, which itl-model did not write (give an empty or new folder)`;
}

/** Where a path leads: its real path, or its folder's real path and its name when it does not exist (yet). */
async function whereIs(path: string): Promise<string> {
  const full = resolve(path);
  const real = await realpath(full).catch(() => undefined);
  if (real !== undefined) return real;
  const folder = await realpath(dirname(full)).catch(() => dirname(full));
  return join(folder, basename(full));
}

/** A folder's entries, sorted by name, each typed by lstat semantics (a symbolic link is a symlink, never its target). */
async function listDir(path: string): Promise<DirEntry[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
    throw new IoError(
      path,
      `cannot list: ${(error as { code?: string }).code === 'ENOTDIR' ? 'not a folder' : because(error)}`,
    );
  });
  return entries
    .map((e): DirEntry => ({
      name: e.name,
      type: e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : e.isDirectory() ? 'folder' : 'other',
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The real world: process.stdout/stderr and the file system. */
export const nodeIo: Io = {
  out: (line, painter) => {
    const safe = terminalSafe(line);
    // typeof: callers that pass `out` to forEach hand it an index as a second argument.
    process.stdout.write(`${typeof painter === 'function' && nodeIo.terminal?.colour ? painter(safe) : safe}\n`);
  },
  get terminal() {
    return terminalOf(process.stdout, process.env);
  },
  err: (line) => void process.stderr.write(`${terminalSafe(line)}\n`),
  readFile: (path, maxBytes = DEFAULT_MAX_BYTES) => (path === '-' ? readStdin(maxBytes) : readRegular(path, maxBytes)),
  readChunks,
  listDir,
  outputProblem,
  whereIs,
  writeOutputs: (outputs) => writeOutputs(outputs, nodeIo),
  writeFile: (path, data) => writeOutputs([{ kind: 'file', path, data }], nodeIo),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true }).catch((error: unknown) => {
      throw new IoError(path, `cannot create the folder: ${because(error)}`);
    });
  },
};
