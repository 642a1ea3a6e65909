import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOOD, lineOf, noisy, pairsArb, params } from '../test-support/eventLines.ts';
import { EVENT_SCHEMAS } from './eventSchemas.ts';
import { isEventType, type EventType, type LogEvent } from './events.ts';
import { FastEvents } from './fastEvents.ts';

/*
 * The fast path of the field checks (fastEvents.ts) against the zod schemas it stands in for:
 *  - LINE: on any JSON object line, it answers "not sure" or exactly the event the schema makes
 *    (deep-equal, same keys in the same order), and never an event the schema refuses; whatever
 *    it learned from the lines before.
 * The same comparison over whole logs (LOG) is in fastEventsLog.prop.test.ts. Lines are drawn valid
 * and broken (test-support/eventLines.ts): wrong types, extra, missing and repeated keys, `__proto__`
 * and other prototype names, numbers and lengths just past a limit, control and non-ASCII characters.
 * Runs use FC_SEED (a fixed default; `random` draws one). Reproduce a failure with
 * FC_SEED=<seed printed by fast-check>.
 */

/** A valid line of each type in GOOD, to try its good values in. */
const BASE: Record<string, Record<string, unknown>> = {
  'phone.add': { phone: 'SEP000000000000', tftp: 'n1' },
  'phone.power': { phone: 'SEP000000000000', on: true },
  'cert.regenerate': { node: 'n1', cert: 'TVS' },
  'ctl.setCluster': { node: 'n1', mode: 'mixed' },
};

/** A fast path that has learned every good value (each tried in a valid line; learned when zod accepts it, as the parser does). */
function warmed(): FastEvents {
  const fast = new FastEvents();
  for (const [type, fields] of Object.entries(GOOD)) {
    for (const [name, values] of Object.entries(fields)) {
      for (const value of values) {
        const input = { type, at: '2024-01-01T00:00:00Z', ...BASE[type], [name]: value };
        if (zodEvent(input, type as EventType) !== undefined) fast.learn(input, type as EventType);
      }
    }
  }
  return fast;
}

/** The schema's answer for a JSON object: its event, or undefined when it refuses it. */
function zodEvent(input: Record<string, unknown>, type: EventType): LogEvent | undefined {
  const result = (EVENT_SCHEMAS[type] as { safeParse(x: unknown): { success: boolean; data?: unknown } }).safeParse(
    input,
  );
  return result.success ? (result.data as LogEvent) : undefined;
}

describe('the fast path of the field checks', () => {
  it('should give exactly the schema event or no answer, never an event the schema refuses, whatever it learned', () => {
    const seen = { fast: 0, zodOnly: 0, refused: 0 };
    fc.assert(
      fc.property(fc.boolean(), fc.array(pairsArb(noisy), { minLength: 1, maxLength: 30 }), (warm, lines) => {
        const fast = warm ? warmed() : new FastEvents();
        // Twice through: as it starts, then with every value the first pass learned.
        for (const pairs of [...lines, ...lines]) {
          const input = JSON.parse(lineOf(pairs)) as Record<string, unknown>;
          const type = input.type;
          if (typeof type !== 'string' || !isEventType(type)) continue;
          const expected = zodEvent(input, type);
          const got = fast.read(input, type);
          if (got !== undefined) {
            expect(expected).toBeDefined();
            expect(got).toStrictEqual(expected);
            expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
            seen.fast++;
          } else if (expected !== undefined) {
            fast.learn(input, type); // as the parser does after zod accepts a line
            seen.zodOnly++;
          } else seen.refused++;
        }
      }),
      params(600),
    );
    // The comparison must be exercised both ways: many lines taken fast, many refused.
    expect(seen.fast).toBeGreaterThan(800);
    expect(seen.refused).toBeGreaterThan(800);
  });
});
