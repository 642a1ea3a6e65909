import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { CONTROL, files, mutate, mutation, paths } from '../test-support/folderFuzz.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';

/*
 * Fuzzing the folder reader: a valid folder (a 2-node 10.5 cluster, the subscriber known from its
 * listing, one file in history/) with one of its files mutated: bytes set, the file cut, text
 * inserted (control characters, CR, quotes, a byte order mark, bytes that are not UTF-8). Whatever
 * the bytes, `snapshot` ends with 0, 1 or 2, never throws, writes nothing, and a refusal is one
 * located line per problem under the folder.
 */

describe('snapshot under fuzzing', () => {
  it('should end with 0, 1 or 2 (located lines), never throw, print no control character and write nothing', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(paths.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (which, edits, json) => {
          const path = paths[which]!;
          const io = memoryIo(
            Object.fromEntries([...files].map(([p, bytes]) => [`c/${p}`, p === path ? mutate(bytes, edits) : bytes])),
          );
          const before = new Map(io.files);
          const code = await run(['snapshot', 'c', ...(json ? ['--json'] : [])], io);
          seen.add(code);
          expect([0, 1, 2]).toContain(code);
          expect(io.files).toEqual(before);
          for (const line of [...io.stdout, ...io.stderr]) expect(line).not.toMatch(CONTROL);
          if (code === 2) {
            expect(io.stderr.length).toBeGreaterThan(0);
            for (const line of io.stderr) expect(line).toMatch(/^c\/\S+?(:\d+: | offset \d+: |: )\S/);
            if (json) expect(Object.keys(JSON.parse(io.stdout.join('\n')))).toEqual(['error']);
          } else if (json) expect(JSON.parse(io.stdout.join('\n')).format).toBe('itl-model snapshot 1');
        },
      ),
      { numRuns: 150, seed: seedFromEnv() },
    );
    expect(seen.has(2)).toBe(true);
    expect(seen.has(0) || seen.has(1)).toBe(true);
  });
});
