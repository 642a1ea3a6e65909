import { describe, expect, it } from 'vitest';
import { logArb } from './arbitraries.ts';
import { assertReproducible } from './assertReproducible.ts';
import { invariants, traceOf, violations } from './invariants.ts';

const expectedToHold = invariants.filter((i) => i.expectedToHold).map((i) => i.name);

describe('invariants on random logs', () => {
  it('should hold every invariant expected to hold after every prefix when random logs are replayed', () => {
    assertReproducible(logArb(12), (log) => {
      const found = violations(traceOf(log.events), expectedToHold);
      return found.length ? found.map((v) => `${v.name} after event ${v.at + 1}: ${v.reason}`).join('; ') : null;
    }, 60);
  });

  it('should report the seed and the shrunk log as JSON Lines when a property fails', () => {
    const failing = () => assertReproducible(logArb(3), (log) => (log.events.length > 0 ? 'always fails' : null), 5);
    expect(failing).toThrow(/FC_SEED=\d+[\s\S]*shrunk log \(JSON Lines\):\n\{"type":"cluster\.install","at":/);
  });
});
