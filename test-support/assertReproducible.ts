import fc from 'fast-check';
import type { LogEvent } from '../model/events.ts';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { toJsonLines } from '../properties/formatLog.ts';

/**
 * Runs a property with the seed from `FC_SEED` (style.md convention 8). On failure it throws an
 * error carrying the seed and the shrunk log as JSON Lines, ready to save as an example.
 */
export function assertReproducible<T extends { events: LogEvent[] }>(
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => string | null,
  numRuns: number,
): void {
  const seed = seedFromEnv();
  const result = fc.check(
    fc.property(arb, (value) => predicate(value) === null),
    { seed, numRuns },
  );
  if (!result.failed) return;
  const value = result.counterexample?.[0];
  const reason = value ? predicate(value) : String(result.errorInstance);
  throw new Error(
    [
      `property failed: ${reason}`,
      `reproduce with FC_SEED=${seed} (path ${result.counterexamplePath})`,
      'shrunk log (JSON Lines):',
      value ? toJsonLines(value.events) : '(none)',
    ].join('\n'),
  );
}
