/**
 * Running `itl-model diff` in tests (cli/diffCommand.test.ts, cli/diffCtl.test.ts): the command on
 * real files with its output captured, and the files a replayed cluster serves.
 */
import { expect } from 'vitest';
import { servedItl } from '../model/cluster/buildItls.ts';
import type { ItlDiff } from '../model/itl/diffItl.ts';
import { replayModel } from '../model/replay/fold.ts';
import type { Io } from '../cli/io.ts';
import { run } from '../cli/main.ts';
import { nodeIo } from '../cli/nodeIo.ts';
import { logOf, type Line } from './scenario.ts';

/** The real file system, with what the command prints kept. */
export function capturingIo(): Io & { stdout: string[]; stderr: string[] } {
  const io = { ...nodeIo, stdout: [] as string[], stderr: [] as string[] };
  io.out = (line) => void io.stdout.push(line);
  io.err = (line) => void io.stderr.push(line);
  return io;
}

/** `itl-model diff A B --json`, which must exit 0, as the document it prints. */
export async function diffJson(a: string, b: string, io: Io = capturingIo()) {
  const out = io as Io & { stdout: string[] };
  expect(await run(['diff', a, b, '--json'], io)).toBe(0);
  return JSON.parse(out.stdout.join('\n')) as ItlDiff & { format: string; verdictText: string };
}

/** The ITLs each TFTP node serves after a replay of `lines`, by node id. */
export function served(lines: Line[]): Record<string, Uint8Array> {
  return replayed(lines).itls;
}

/** What the cluster serves after a replay of `lines`: each TFTP node's ITL, by node id, and its one CTL (if any). */
export function replayed(lines: Line[]): { itls: Record<string, Uint8Array>; ctl?: Uint8Array } {
  const state = replayModel(logOf(lines)).settled.cluster!;
  const bytes = (key: string) => Buffer.from(state.itls[key]!.bytes, 'base64');
  return {
    itls: Object.fromEntries(state.nodes.filter((n) => n.tftp).map((n) => [n.id, bytes(servedItl(n)!)])),
    ...(state.ctl ? { ctl: bytes(state.ctl) } : {}),
  };
}
