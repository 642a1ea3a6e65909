import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, linesOfBytes, linesOfChunks, type LogLine } from './logLines.ts';

/** The lines a splitter gives for some bytes cut at the given places. */
function streamed(bytes: Uint8Array, cuts: number[], max: number): LogLine[] {
  const splitter = new LineSplitter(max);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: LogLine[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(at, point)));
    at = point;
  }
  return [...out, ...splitter.end()];
}

const te = new TextEncoder();

/** Bytes a log's reader meets: text, blanks, CR, LF, a byte order mark, bytes that break UTF-8. */
const logBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', '{"a":1}', 'é', '\u{1F600}', '\ufeff'),
      fc.string({ maxLength: 12 }),
      fc.constant(null),
    ),
    { maxLength: 40 },
  )
  .map((parts) => {
    const chunks = parts.map((p) => (p === null ? Uint8Array.of(0xff) : te.encode(p)));
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  });

describe('LineSplitter (a log read as a stream)', () => {
  it('should give the same lines as reading the whole file, however the file is cut into chunks', () => {
    fc.assert(
      fc.property(
        logBytes,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 16 }),
        (bytes, cuts, max) => {
          expect(streamed(bytes, cuts, max)).toEqual([...linesOfBytes(bytes, max)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should report an over-long line once, at its own line, and read the next line', () => {
    const bytes = te.encode('{"a":1}\n' + 'x'.repeat(40) + '\r\n{"b":2}');
    const lines = streamed(bytes, [3, 12, 20, 30], 10);
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, problem: 'line longer than 10 bytes' },
      { line: 3, text: '{"b":2}' },
    ]);
  });

  it('should skip a byte order mark cut across chunks, and only at the start', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x31, 0x0a, 0xef, 0xbb, 0xbf, 0x32);
    const lines = streamed(bytes, [1, 2], 100);
    expect(lines[0]).toEqual({ line: 1, text: '1' });
    expect(lines[1]).toEqual({ line: 2, text: '\ufeff2' });
  });

  it('should hold no more than a line: a million blank lines cost no memory and are counted', async () => {
    const block = te.encode(' \n'.repeat(50_000));
    async function* chunks() {
      for (let i = 0; i < 20; i++) yield block;
      yield te.encode('{"last":true}');
    }
    const lines: LogLine[] = [];
    for await (const line of linesOfChunks(chunks())) lines.push(line);
    expect(lines).toEqual([{ line: 1_000_001, text: '{"last":true}' }]);
  });
});
