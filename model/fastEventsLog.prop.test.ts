import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { clean, FIRST, lineOf, noisy, pairsArb, params } from '../test-support/eventLines.ts';
import type * as FastPath from './fastEvents.ts';
import { LogError } from './logError.ts';
import { parseLog } from './parseLog.ts';

/*
 * The fast path of the field checks (fastEvents.ts) over whole logs:
 *  - LOG: a log parses to the same events and lines, or is refused with the same text, with the
 *    fast path on and off (off: every line through zod, as before it existed).
 * Each line against its schema (LINE) is in fastEvents.prop.test.ts; the lines are drawn, valid and
 * broken, by test-support/eventLines.ts. Runs use FC_SEED (a fixed default; `random` draws one).
 * Reproduce a failure with FC_SEED=<seed printed by fast-check>.
 */

/** Switches the parser's fast path off (LOG compares the two). */
const fastPath = vi.hoisted(() => ({ off: false, taken: 0 }));

vi.mock('./fastEvents.ts', async (importOriginal) => {
  const real = await importOriginal<typeof FastPath>();
  class Switchable extends real.FastEvents {
    override read(...args: Parameters<InstanceType<typeof real.FastEvents>['read']>) {
      const event = fastPath.off ? undefined : super.read(...args);
      if (event !== undefined) fastPath.taken++;
      return event;
    }
  }
  return { ...real, FastEvents: Switchable };
});

describe('the fast path of the field checks', () => {
  it('should parse a log to the same events, or refuse it with the same text, with the fast path on and off', () => {
    const install = JSON.stringify({
      type: 'cluster.install',
      at: '2024-01-01T00:00:00Z',
      version: '12.5(1)SU3',
      domain: 'lab.example',
      securityPassword: 'secret',
      nodes: [
        { name: 'n1', role: 'publisher', tftp: true },
        { name: 'n2', role: 'subscriber', tftp: true },
        { name: 'n3', role: 'subscriber', tftp: false },
      ],
    });
    /** Phones every log adds after the install (lines 2-4), the ones later lines name. */
    const PHONES = ['SEP00000000000A', 'sep00000000000b', 'CSFalice'];
    const added = PHONES.map((phone, i) =>
      JSON.stringify({ type: 'phone.add', at: `2024-01-01T00:00:0${i}Z`, phone, tftp: 'n1' }),
    );
    /**
     * A line as written in a log: mostly in time order; a phone.add adds a phone of its own, other
     * lines name a phone added before (in any case).
     */
    const logLine = fc
      .tuple(
        fc.oneof({ arbitrary: pairsArb(clean), weight: 4 }, pairsArb(noisy)),
        fc.constantFrom(...PHONES, ...PHONES.map((p) => p.toUpperCase())),
        fc.nat({ max: 9 }),
      )
      .map(([pairs, phone, outOfOrder]) => (index: number) => {
        const add = pairs[0]![1] === 'phone.add';
        const at = new Date(FIRST + (index + 10) * 1000).toISOString();
        const out = pairs.map(([k, v]): [string, unknown] => {
          if (k === 'phone' && typeof v === 'string' && /^(SEP|ata|CSF)/.test(v))
            return [k, add ? `SEP${index.toString(16).padStart(12, '0')}` : phone];
          return [k, k === 'at' && outOfOrder > 0 ? at : v];
        });
        return lineOf(out);
      });
    const outcomes = { parsed: 0, refused: 0 };
    const parse = (text: string, off: boolean): unknown => {
      fastPath.off = off;
      try {
        return parseLog(text, 'fast.jsonl');
      } catch (error) {
        if (!(error instanceof LogError)) throw error;
        return error.message;
      } finally {
        fastPath.off = false;
      }
    };
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 40 }), (lines) => {
        const text = [install, ...added, ...lines.map((line, i) => line(i))].join('\n');
        const fast = parse(text, false);
        const slow = parse(text, true);
        expect(fast).toStrictEqual(slow);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
        outcomes[typeof fast === 'string' ? 'refused' : 'parsed']++;
      }),
      params(300),
    );
    // Both outcomes, and lines the fast path took, or the comparison says little.
    expect(outcomes.parsed).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
    expect(fastPath.taken).toBeGreaterThan(1000);
  });
});
