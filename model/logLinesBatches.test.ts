import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { linesOfBytes, linesOfChunks, type LogLine } from './logLines.ts';
import { LogError } from './logError.ts';
import { parseLogStream } from './parseLog.ts';

/*
 * A stream's lines read a chunk at a time (`ChunkLines.batches`, the lines wholly inside a chunk
 * decoded at once) are the lines of the whole file (`linesOfBytes`), line numbers, blank lines,
 * over-long lines and bad bytes included; lines close to the length cap are drawn on purpose, in
 * ASCII and in characters of several bytes. Runs use FC_SEED (a fixed default; `random` draws one).
 */

const te = new TextEncoder();

/** Chunks of some bytes, cut at the given places. */
async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const point of [...points, bytes.length]) {
    yield bytes.subarray(at, point);
    at = point;
  }
}

/** One line of a log: ASCII or 2- and 3-byte characters, a character around the cap in bytes, blank, or with a bad byte. */
const lineArb = (max: number) =>
  fc.oneof(
    fc.integer({ min: 1, max: max + 2 }).map((n) => te.encode('{'.padEnd(n, 'x'))),
    fc.integer({ min: 1, max: max + 2 }).map((n) => te.encode('é'.repeat(Math.ceil(n / 2)))),
    fc.integer({ min: 1, max: max + 2 }).map((n) => te.encode('€'.repeat(Math.ceil(n / 3)))),
    fc.constantFrom(te.encode(''), te.encode(' \t'), te.encode('\ufeff{}'), Uint8Array.of(0x7b, 0xff, 0x7d)),
  );

/** A log's bytes: lines ended by LF or CRLF, the last one maybe unended. */
const logArb = fc.integer({ min: 2, max: 12 }).chain((max) =>
  fc.tuple(fc.array(fc.tuple(lineArb(max), fc.boolean()), { maxLength: 12 }), fc.boolean()).map(([lines, ended]) => {
    const parts = lines.flatMap(([line, crlf], i) =>
      i < lines.length - 1 || ended ? [line, te.encode(crlf ? '\r\n' : '\n')] : [line],
    );
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { bytes, max };
  }),
);

describe('ChunkLines (a stream read a chunk at a time)', () => {
  it('should give, chunk by chunk, the lines of the whole file, near the length cap too', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.array(fc.nat(), { maxLength: 3 }), async ({ bytes, max }, cuts) => {
        const batched: LogLine[] = [];
        for await (const batch of linesOfChunks(chunksOf(bytes, cuts), max).batches()) batched.push(...batch);
        const single: LogLine[] = [];
        for await (const line of linesOfChunks(chunksOf(bytes, cuts), max)) single.push(line);
        const whole = [...linesOfBytes(bytes, max)];
        expect(batched).toEqual(whole);
        expect(single).toEqual(whole);
      }),
      { numRuns: 400, seed: seedFromEnv() },
    );
  });

  it('should stop reading the chunks when the parser stops at its limit of events', async () => {
    const line = (i: number) =>
      JSON.stringify({ type: 'devices.reset', at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() });
    const install = JSON.stringify({
      type: 'cluster.install',
      at: '2024-01-01T00:00:00Z',
      version: '12.5(1)',
      domain: 'lab.example',
      securityPassword: 'secret',
      nodes: [{ name: 'n1', role: 'publisher', tftp: true }],
    });
    const read = { chunks: 0, closed: false };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 1; i <= 100; i++) {
          read.chunks++;
          yield te.encode(`${i === 1 ? `${install}\n` : ''}${line(i)}\n`);
        }
      } finally {
        read.closed = true;
      }
    }
    const error = await parseLogStream(linesOfChunks(chunks()), 'big.jsonl', { maxEvents: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).message).toBe('big.jsonl:4: more than 3 events (the most a replay holds)');
    expect(read).toEqual({ chunks: 3, closed: true });
  });
});
