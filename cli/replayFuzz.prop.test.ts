import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logArb, seedFromEnv } from '../properties/arbitraries.ts';
import { toJsonLines } from '../properties/formatLog.ts';
import { memoryIo } from './memoryIo.ts';
import { replayCommand } from './replayCommand.ts';

/*
 * Fuzzing replay: valid logs from the property generators, mutated the ways a log gets broken
 * (lines dropped, doubled, swapped or cut; fields retyped; huge and odd values; control characters;
 * CRLF and byte-order marks; `__proto__` keys; bytes that are not UTF-8). Whatever the input, replay
 * ends with 0 (replayed) or 2 (refused, one located line per problem), never throws, and a refused
 * log writes nothing.
 */

const LOG = 'fuzz.jsonl';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Odd values a field might be given. */
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    '\u0000',
    '\u001b[31mred',
    'é',
    '💥',
    '\u202eevil',
    '__proto__',
    '../../etc',
    '<script>x</script>',
    ' ',
    'a'.repeat(70_000),
  ),
  fc.constantFrom(0, -1, 1e308, -0, 2 ** 53, Number.MAX_SAFE_INTEGER, 0.5),
  fc.constantFrom(null, true, [], {}, [[[[[[]]]]]], { __proto__: 1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const FIELDS = [
  'type',
  'at',
  'version',
  'domain',
  'securityPassword',
  'nodes',
  'keyBits',
  'subject',
  'phone',
  'tftp',
  'tvs',
  'firmware',
  'node',
  'cert',
  'hostname',
  'key',
  'host',
  'user',
  'path',
  'on',
  '__proto__',
  'constructor',
];

/** One way to break a log, applied to its lines (JSON text). */
type Mutation =
  | { kind: 'drop' | 'duplicate' | 'cut'; at: number; n: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'set'; at: number; field: string; value: unknown }
  | { kind: 'control'; at: number; n: number; char: string }
  | { kind: 'crlf' | 'bom' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop', 'duplicate', 'cut'), at: fc.nat(), n: fc.nat() }),
  fc.record({ kind: fc.constant('swap'), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('set'), at: fc.nat(), field: fc.constantFrom(...FIELDS), value: oddValue }),
  fc.record({
    kind: fc.constant('control'),
    at: fc.nat(),
    n: fc.nat(),
    char: fc.constantFrom('\u0000', '\u0007', '\u001b', '\r', '\u007f', '\u0085', '\u2028', '\ufeff'),
  }),
  fc.record({ kind: fc.constantFrom('crlf', 'bom') }),
) as fc.Arbitrary<Mutation>;

/** Applies a mutation to the lines of a log. Pure. */
function mutate(lines: string[], m: Mutation): string[] {
  const out = [...lines];
  const i = 'at' in m ? m.at % Math.max(out.length, 1) : 0;
  switch (m.kind) {
    case 'drop':
      out.splice(i, 1);
      return out;
    case 'duplicate':
      out.splice(i, 0, out[i] ?? '');
      return out;
    case 'cut':
      out[i] = (out[i] ?? '').slice(0, m.n % ((out[i] ?? '').length + 1));
      return out;
    case 'swap': {
      const j = m.with % Math.max(out.length, 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }
    case 'set': {
      // Object.defineProperty writes a real own "__proto__" key, as JSON.parse would read one.
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(out[i] ?? '{}') as Record<string, unknown>;
      } catch {
        return out; // an earlier mutation already broke this line
      }
      if (typeof event !== 'object' || event === null) return out;
      Object.defineProperty(event, m.field, { value: m.value, enumerable: true, configurable: true, writable: true });
      out[i] = JSON.stringify(event);
      return out;
    }
    case 'control': {
      const line = out[i] ?? '';
      const k = m.n % (line.length + 1);
      out[i] = line.slice(0, k) + m.char + line.slice(k);
      return out;
    }
    case 'crlf':
      return out.map((l) => `${l}\r`);
    case 'bom':
      return out.length ? [`\ufeff${out[0]}`, ...out.slice(1)] : out;
    default: {
      const never: never = m;
      return never;
    }
  }
}

/** The log's bytes, with one byte replaced by a byte that is not UTF-8 when asked. */
function bytesOf(lines: string[], badByte: number | null): Uint8Array {
  const bytes = new TextEncoder().encode(lines.join('\n'));
  if (badByte !== null && bytes.length > 0) bytes[badByte % bytes.length] = 0xff;
  return bytes;
}

describe('replay under fuzzing', () => {
  it('should replay (0) or refuse with located one-line reasons (2), never throw, and write nothing when it refuses', async () => {
    const input = fc.record({
      log: logArb(8),
      mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }),
      badByte: fc.oneof({ arbitrary: fc.constant(null), weight: 8 }, { arbitrary: fc.nat(), weight: 1 }),
      json: fc.boolean(),
    });
    const seen = { replayed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(input, async ({ log, mutations, badByte, json }) => {
        const lines = mutations.reduce(mutate, toJsonLines(log.events).split('\n'));
        const io = memoryIo({ [LOG]: bytesOf(lines, badByte) });
        await io.mkdir('dir');
        const code = await replayCommand(LOG, { out: 'dir/out', html: 'dir/report.html', json }, io);
        expect([0, 2]).toContain(code);
        seen[code === 0 ? 'replayed' : 'refused']++;
        for (const line of [...io.stdout, ...io.stderr]) expect(line).not.toMatch(CONTROL);
        if (code === 0) {
          expect(io.files.has('dir/report.html')).toBe(true);
          for (const path of io.files.keys()) expect(path === LOG || path.startsWith('dir/')).toBe(true);
          return;
        }
        expect([...io.files.keys()]).toEqual([LOG]);
        expect(io.stderr.length).toBeGreaterThan(0);
        expect(io.stderr.length).toBeLessThanOrEqual(21);
        for (const line of io.stderr) expect(line).toMatch(/^fuzz\.jsonl:\d+: \S/);
        if (json) expect(JSON.parse(io.stdout.join('\n'))).toEqual({ error: expect.any(Array) });
        else expect(io.stdout).toEqual([]);
      }),
      { numRuns: 150, seed: seedFromEnv(), endOnFailure: true },
    );
    // Both outcomes must be exercised, or the property says little.
    expect(seen.replayed).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  });
});
