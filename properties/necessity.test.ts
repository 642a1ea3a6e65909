import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLog } from '../model/parseLog.ts';
import { NECESSITY, necessity } from './checkRuns.ts';
import { toJsonLines } from './formatLog.ts';
import { traceOf, violations } from './invariants.ts';

const found = necessity(2, 3, 12);
const saved = (id: string) => parseLog(readFileSync(new URL(`../examples/counterexample-${id}.jsonl`, import.meta.url), 'utf8'), id).events;

describe('known weaknesses (expected failures)', () => {
  for (const { id, holdTimer, property } of NECESSITY) {
    it(`should find the shortest counterexample and match examples/counterexample-${id}.jsonl when the cause is ${id}`, () => {
      const verdict = found.find((v) => v.name.endsWith(`[${id}]`))!;
      // If this fails with holds=true, the weakness is gone: update the README and the example.
      expect(verdict.holds).toBe(false);
      expect(toJsonLines(verdict.counterexample!)).toBe(toJsonLines(saved(id)));
    });

    it(`should violate the property on the real model when the saved log ${id} is replayed`, () => {
      const name = property.name;
      const trace = traceOf(saved(id), holdTimer === false ? { holdTimer: false } : undefined);
      expect(violations(trace, [name]).map((v) => v.name)).toEqual([name]);
    });
  }
});
