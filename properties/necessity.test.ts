import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLog } from '../model/parseLog.ts';
import { toJsonLines } from './formatLog.ts';
import { exampleOf, replayOptionsOf, violations, WEAKNESSES } from './registry.ts';
import { traceOf } from './trace.ts';
import { exploreWeaknesses } from './weaknesses.ts';

const found = exploreWeaknesses(2, 3, 12);
const saved = (path: string) => parseLog(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'), path).events;

describe('known weaknesses (expected failures)', () => {
  for (const weakness of WEAKNESSES) {
    it(`should find the shortest counterexample and match ${exampleOf(weakness)} when the cause is ${weakness.id}`, () => {
      const result = found.find((f) => f.weakness === weakness)!;
      // If this fails with no counterexample, the weakness is gone: update the README and the example.
      expect(result.found.length).toBeGreaterThan(0);
      expect(toJsonLines(result.found[0]!.counterexample)).toBe(toJsonLines(saved(exampleOf(weakness))));
    });

    it(`should violate its property on the real model when the saved log ${weakness.id} is replayed with the options it carries`, () => {
      const options = replayOptionsOf(weakness);
      const log = saved(exampleOf(weakness));
      const trace = traceOf(log, Object.keys(options).length > 0 ? options : undefined);
      expect(violations(trace, [weakness.property]).map((v) => v.property)).toEqual([weakness.property]);
      // The switches matter: without them the saved log replays clean (when it carries any).
      if (Object.keys(options).length > 0) expect(violations(traceOf(log), [weakness.property])).toEqual([]);
    });
  }
});
