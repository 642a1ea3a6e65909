import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { memoryIo } from './memoryIo.ts';
import { showItl } from './showItl.ts';

/*
 * Fuzzing show-itl: random bytes and the tlvfile fixtures (an ITL and a CTL) mutated (bytes
 * flipped, cut, spliced, length fields set to extremes). Whatever the bytes, show-itl ends with 0
 * (verified), 1 (not verified) or 2 (malformed: one line with the byte offset), never throws,
 * prints no control character from the file, and names the file one way throughout (ITL or CTL).
 */

const fixture = new Uint8Array(readFileSync(new URL('../test-support/fixtures/tlvfile/ITLFile.tlv', import.meta.url)));
const ctlFixture = new Uint8Array(
  readFileSync(new URL('../test-support/fixtures/tlvfile/ctl/CTLFile.tlv', import.meta.url)),
);
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A fixture with edits applied: each sets a byte, cuts the file, or writes a 16-bit value (a TLV length) at an offset. */
const mutated = (original: Uint8Array) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
        fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7fff, 0xffff) }),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((edits) =>
      edits.reduce((bytes, e) => {
        const at = e.at % Math.max(bytes.length, 1);
        if (e.kind === 'cut') return bytes.subarray(0, at);
        const copy = Uint8Array.from(bytes);
        if (e.kind === 'byte') copy[at] = e.value;
        else if (at + 1 < copy.length) [copy[at], copy[at + 1]] = [e.value >> 8, e.value & 0xff];
        return copy;
      }, original),
    );

/** The words a listing uses for its file, one per sentence that names it. */
const NAMING =
  /^(?:The checksum value of the (\w+) file:|Length of (\w+) file: |Parse (\w+) File$|(\w+) Record #:|The (\w+) file (?:was verified|could not be verified))/;

describe('show-itl under fuzzing', () => {
  it('should end with 0, 1 or 2 (one located line), never throw, print no control character, and name the file one way', async () => {
    const seen = new Set<number>();
    const kinds = new Set<string>();
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 3000 }), mutated(fixture), mutated(fixture), mutated(ctlFixture));
    await fc.assert(
      fc.asyncProperty(bytes, fc.boolean(), async (data, json) => {
        const io = memoryIo({ 'f.tlv': data });
        const code = await showItl('f.tlv', { json }, io);
        seen.add(code);
        expect([0, 1, 2]).toContain(code);
        for (const line of [...io.stdout, ...io.stderr]) expect(line).not.toMatch(CONTROL);
        if (code === 2) {
          expect(io.stderr).toHaveLength(1);
          expect(io.stderr[0]).toMatch(/^f\.tlv: offset \d+: \S/);
          if (!json) expect(io.stdout).toEqual([]);
        } else expect(io.stderr).toEqual([]);
        if (code !== 2 && !json) {
          const words = new Set(io.stdout.flatMap((line) => NAMING.exec(line)?.slice(1).filter(Boolean) ?? []));
          expect(words.size).toBe(1);
          kinds.add([...words][0]!);
        }
      }),
      { numRuns: 400, seed: seedFromEnv(), endOnFailure: true },
    );
    // Both a malformed and a parsed-but-unverified file must have been met, or the property says little.
    expect(seen).toContain(1);
    expect(seen).toContain(2);
    // Both listings must have been printed: a mutated CTL keeps its FILENAME often enough.
    expect(kinds).toEqual(new Set(['ITL', 'CTL']));
  });
});
