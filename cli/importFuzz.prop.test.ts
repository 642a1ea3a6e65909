import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { CONTROL, files, mutate, mutation, paths } from '../test-support/folderFuzz.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';

/*
 * Fuzzing the commands that import a folder (fleet, preflight, replay --from), as
 * cli/snapshotFuzz.prop.test.ts fuzzes snapshot: a valid folder (a 2-node 10.5 cluster, the subscriber known from its
 * listing, one file in history/) with one of its files mutated: bytes set, the file cut, text
 * inserted (control characters, CR, quotes, a byte order mark, bytes that are not UTF-8). Whatever
 * the bytes, each command ends with 0, 1 or 2, never throws, writes nothing, and a refusal is one
 * located line per problem under the folder.
 */

const COMMANDS: Array<{ args: string[]; format?: string }> = [
  { args: ['fleet', 'c'], format: 'itl-model fleet 1' },
  { args: ['fleet', 'c', '--csv'] },
  { args: ['preflight', 'c'], format: 'itl-model preflight 1' },
  { args: ['replay', '--from', 'c', 'next.jsonl'] },
];
const NEXT = JSON.stringify({ type: 'devices.reset', at: '2024-03-05T09:00:00Z' });

describe('fleet, preflight and replay --from under fuzzing', () => {
  it('should end with 0, 1 or 2 (located lines), never throw, print no control character and write nothing', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(paths.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.nat(COMMANDS.length - 1),
        fc.boolean(),
        async (which, edits, command, json) => {
          const path = paths[which]!;
          const io = memoryIo({
            ...Object.fromEntries(
              [...files].map(([p, bytes]) => [`c/${p}`, p === path ? mutate(bytes, edits) : bytes]),
            ),
            'next.jsonl': NEXT,
          });
          const before = new Map(io.files);
          const { args, format } = COMMANDS[command]!;
          const withJson = json && !args.includes('--csv');
          const code = await run([...args, ...(withJson ? ['--json'] : [])], io);
          seen.add(code);
          expect([0, 1, 2]).toContain(code);
          expect(io.files).toEqual(before);
          for (const line of [...io.stdout, ...io.stderr]) expect(line).not.toMatch(CONTROL);
          if (code === 2) {
            expect(io.stderr.length).toBeGreaterThan(0);
            for (const line of io.stderr) expect(line).toMatch(/^(c\/\S+?|next\.jsonl)(:\d+: | offset \d+: |: )\S/);
            if (withJson) expect(Object.keys(JSON.parse(io.stdout.join('\n')))).toEqual(['error']);
          } else if (withJson && format) expect(JSON.parse(io.stdout.join('\n')).format).toBe(format);
        },
      ),
      { numRuns: 60, seed: seedFromEnv() },
    );
    expect(seen.has(2)).toBe(true);
    expect(seen.has(0) || seen.has(1)).toBe(true);
  });
});
