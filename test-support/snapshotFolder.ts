import { memoryIo, type MemoryIo } from '../cli/memoryIo.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { replayModel } from '../model/replay/fold.ts';
import { logOf, type Line } from './scenario.ts';

/**
 * The folders the snapshot command tests (cli/snapshotCommand.test.ts, cli/snapshotRefusals.test.ts)
 * read: written from a replay into memory, then edited to hold what a test needs.
 */

/** A memory Io holding a folder `c/` written from a replay of `lines`, changed by `edit`. */
export function folderIo(lines: Line[], edit: (files: Map<string, Uint8Array>) => void = () => {}): MemoryIo {
  const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: true });
  edit(files);
  return memoryIo(Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])));
}

export const PHONES: Line[] = [
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
];
export const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
