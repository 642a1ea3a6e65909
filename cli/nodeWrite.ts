/**
 * Outputs written whole or not at all on the real file system: each under a temporary name, then
 * renamed into place, what they replace kept until every one is in place and put back if one fails;
 * an interrupt while writing removes what is half-written. cli/nodeIo.ts's `writeOutputs`.
 */
import { rmSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { insideTree, IoError, unwritable, type Io, type Output } from './io.ts';

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
export function because(error: unknown): string {
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

/** Writes every output whole or not at all (what `Io.writeOutputs` promises, on the real file system). */
export async function writeOutputs(outputs: Output[], io: Io): Promise<void> {
  const where = (o: Output) => (o.kind === 'file' ? o.path : o.dir);
  const refused = await unwritable(outputs, io);
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
