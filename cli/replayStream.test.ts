import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogError } from '../model/logError.ts';
import { linesOfChunks } from '../model/logLines.ts';
import { parseLogBytes, parseLogStream } from '../model/parseLog.ts';
import { memoryIo } from './memoryIo.ts';
import { nodeIo } from './nodeIo.ts';
import { replayCommand } from './replayCommand.ts';

const EXAMPLES = new URL('../examples/', import.meta.url);
const seedLog = readFileSync(new URL('seed-incident.jsonl', EXAMPLES));
const dir = mkdtempSync(join(tmpdir(), 'itl-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A memory Io that reads files from disk through the real streaming reader (nodeIo.readChunks). */
function diskIo() {
  return { ...memoryIo(), readChunks: nodeIo.readChunks! };
}

async function* chunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('replay reads its log as a stream', () => {
  it('should parse every example the same streamed in small chunks as read whole', async () => {
    const names = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonl'));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const bytes = readFileSync(new URL(name, EXAMPLES));
      expect(await parseLogStream(linesOfChunks(chunks(bytes, 5)), name)).toEqual(parseLogBytes(bytes, name));
    }
  });

  it('should name the file and line of a bad line far down a file of blank lines, exit 2 and print nothing', async () => {
    const path = join(dir, 'blanks.jsonl');
    const lines = seedLog.toString('utf8').trimEnd().split('\n');
    const text = [...lines.slice(0, 3), '\r\n'.repeat(200_000), '{"type":"phone.reset"'].join('\n');
    writeFileSync(path, text);
    const line = text.split('\n').length;
    expect(line).toBe(200_005);
    const io = { ...diskIo(), stdout: [] as string[], stderr: [] as string[] };
    io.err = (l: string) => void io.stderr.push(l);
    io.out = (l: string) => void io.stdout.push(l);
    expect(await replayCommand(path, {}, io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([`${path}:${line}: invalid JSON: expected ',' or '}' at column 22`]);
  });

  it('should refuse bad UTF-8 and an over-long line at their own lines, read from disk', async () => {
    const path = join(dir, 'bad.jsonl');
    const head = Buffer.from(seedLog.toString('utf8').split('\n').slice(0, 2).join('\n') + '\n');
    const long = Buffer.from(`{"type":"phone.add","x":"${'a'.repeat(1024 * 1024)}"}\n`);
    writeFileSync(path, Buffer.concat([head, Buffer.from('\n'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), long]));
    const io = { ...diskIo(), stdout: [] as string[], stderr: [] as string[] };
    io.err = (line: string) => void io.stderr.push(line);
    io.out = (line: string) => void io.stdout.push(line);
    expect(await replayCommand(path, {}, io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([
      `${path}:4: not UTF-8 text (byte 2 of the line)`,
      `${path}:5: line longer than 1048576 bytes`,
    ]);
  });

  it('should refuse a missing file and a folder in one line with exit 2', async () => {
    for (const [path, why] of [
      [join(dir, 'nope.jsonl'), 'cannot read: no such file or folder'],
      [dir, 'cannot read: not a regular file'],
    ] as const) {
      const io = { ...diskIo(), stderr: [] as string[] };
      io.err = (line: string) => void io.stderr.push(line);
      expect(await replayCommand(path, {}, io)).toBe(2);
      expect(io.stderr).toEqual([`${path}: ${why}`]);
    }
  });

  it('should refuse a log with more events than a replay holds at the first one too many', async () => {
    const bytes = seedLog;
    const error = await parseLogStream(linesOfChunks(chunks(bytes, 64)), 'big.jsonl', { maxEvents: 3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).problems).toEqual([
      { file: 'big.jsonl', line: 4, reason: 'more than 3 events (the most a replay holds)' },
    ]);
    await expect(parseLogStream(linesOfChunks(chunks(bytes, 64)), 'big.jsonl', { maxEvents: 1000 })).resolves.toEqual(
      parseLogBytes(bytes, 'big.jsonl'),
    );
  });
});
