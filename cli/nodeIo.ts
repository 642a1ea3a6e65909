import { constants, rmSync } from 'node:fs';
import {
  access,
  copyFile,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { terminalOf } from './colour.ts';
import {
  DEFAULT_MAX_BYTES,
  insideTree,
  IoError,
  OUT_ENTRIES,
  unwritable,
  terminalSafe,
  type DirEntry,
  type Io,
  type Output,
} from './io.ts';

/** Temporary files and folders being written: removed if the process is interrupted. */
const pending = new Set<string>();
let counter = 0;

/** Removes every temporary output still being written (what an interrupted run leaves: nothing). */
export function removePendingOutputs(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

/** Exit codes of an interrupted process (128 + signal number). */
const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

/**
 * An interrupt while outputs are being written removes them, then ends the process. The handlers are
 * installed only while writing: a JavaScript signal handler runs only when the event loop is free, so
 * one installed during a long replay would keep Ctrl-C from stopping it (and there is nothing to
 * clean up then). A command that waits for Ctrl-C itself (--inspect-wait) keeps its own handler.
 */
const onSignal = SIGNALS.map(
  ([signal, code]) =>
    [
      signal,
      () => {
        removePendingOutputs();
        if (process.listenerCount(signal) === 1) process.exit(code);
      },
    ] as const,
);

function writing(active: boolean): void {
  for (const [signal, handler] of onSignal) {
    if (active) process.on(signal, handler);
    else process.off(signal, handler);
  }
}

/** An fs error in words, without Node's code prefix or the path. */
function because(error: unknown): string {
  const code = (error as { code?: string }).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the name is too long',
  };
  return (code && words[code]) ?? (code ? `error ${code}` : 'unknown error');
}

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

/** A temporary name beside a path, hidden, unique to this process. */
function temporary(path: string): string {
  return join(dirname(path), `.${basename(path)}.itl-model-${process.pid}-${++counter}.tmp`);
}

/** Writes one output under its temporary name. */
async function stage(output: Output, temp: string): Promise<void> {
  pending.add(temp);
  if (output.kind === 'file') return writeFile(temp, output.data, { flag: 'wx' });
  await mkdir(temp);
  for (const [relative, data] of output.files) {
    const file = insideTree(temp, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data, { flag: 'wx' });
  }
}

/** An output moved into place, and how to take it back: the path, and where what it replaced was kept. */
interface Committed {
  path: string;
  /** What was at the path before (a hard link to a replaced file, a replaced folder moved aside). */
  kept?: string;
}

/**
 * Moves a staged output into place, keeping what it replaces until every output is in place: a file
 * keeps a hard link to the old one (a copy where links cannot be made) and is replaced in one rename;
 * a folder is moved aside, then replaced.
 */
async function commit(output: Output, temp: string, done: Committed[]): Promise<void> {
  const path = output.kind === 'file' ? output.path : output.dir;
  const old = (await lstat(path).catch(() => undefined)) ? temporary(path) : undefined;
  if (old) {
    pending.add(old);
    if (output.kind === 'tree') await rename(path, old);
    else await link(path, old).catch(() => copyFile(path, old));
  }
  try {
    await rename(temp, path);
  } catch (error) {
    // Nothing moved into place: a folder moved aside goes back, a kept link goes.
    if (old && output.kind === 'tree') await rename(old, path);
    else if (old) await rm(old, { force: true });
    if (old) pending.delete(old);
    throw error;
  }
  pending.delete(temp);
  done.push({ path, kept: old });
}

/** Puts back what the committed outputs replaced (newest first) and removes the rest; throws when it cannot. */
async function undo(done: Committed[]): Promise<void> {
  for (const { path, kept } of done.reverse()) {
    // A replaced file is put back in one rename; a folder's new tree is removed before the old one returns.
    if (!kept || (await lstat(kept)).isDirectory()) await rm(path, { recursive: true, force: true });
    if (kept) await rename(kept, path);
    if (kept) pending.delete(kept);
  }
}

/** Writes every output whole or not at all. */
async function writeOutputs(outputs: Output[]): Promise<void> {
  const where = (o: Output) => (o.kind === 'file' ? o.path : o.dir);
  const refused = await unwritable(outputs, nodeIo);
  if (refused) throw refused;
  const temps = outputs.map((o) => temporary(where(o)));
  const done: Committed[] = [];
  let current = outputs[0];
  writing(true);
  try {
    for (const [i, o] of outputs.entries()) await stage((current = o), temps[i]!);
    for (const [i, o] of outputs.entries()) await commit((current = o), temps[i]!, done);
  } catch (error) {
    await undo(done).catch(() => undefined);
    await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
    temps.forEach((t) => pending.delete(t));
    throw error instanceof IoError
      ? error
      : new IoError(current ? where(current) : '', `cannot write: ${because(error)}`);
  } finally {
    writing(false);
  }
  for (const { kept } of done)
    if (kept) {
      await rm(kept, { recursive: true, force: true });
      pending.delete(kept);
    }
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
  writeOutputs,
  writeFile: (path, data) => writeOutputs([{ kind: 'file', path, data }]),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true }).catch((error: unknown) => {
      throw new IoError(path, `cannot create the folder: ${because(error)}`);
    });
  },
};
