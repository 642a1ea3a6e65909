/**
 * The registry's scopes cannot shrink silently: an alphabet that names an event the spec does not
 * have, or a release list that matches no scope of `check`, would make a property's exhaustive run
 * explore less than it says (or nothing) and still print `holds`.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_SCOPES, scopeGroups } from './checkScopes.ts';
import { PROPERTIES, REGEN_ONLY, UPGRADE_ONLY, WEAKNESSES } from './registry.ts';
import { CERTS } from './spec/constants.ts';
import { allEvents, eventLabel, type Alphabet } from './spec/events.ts';
import { scopeOf } from './spec/scope.ts';

/** Every event label of the spec: a mixed-mode scope has every kind of event. */
const SPEC_LABELS = new Set(allEvents(scopeOf(2, 1, { release: '12.5', mixed: true })).map(eventLabel));

describe('the property registry’s scopes', () => {
  it('should name only events the spec has in every alphabet of a property or a known weakness', () => {
    const alphabets: Array<[string, Alphabet]> = [
      ...PROPERTIES.flatMap((p): Array<[string, Alphabet]> => (p.alphabet ? [[p.name, p.alphabet]] : [])),
      ...WEAKNESSES.map((w): [string, Alphabet] => [w.id, w.alphabet]),
      ['UPGRADE_ONLY', UPGRADE_ONLY],
    ];
    for (const [who, alphabet] of alphabets) {
      expect(alphabet.size, who).toBeGreaterThan(0);
      for (const label of alphabet) expect(SPEC_LABELS.has(label), `${who}: ${label}`).toBe(true);
    }
  });

  it('should let regenerationsKeepTrust take phones plugged in, every `set cert regen` and time passing (restarts ending)', () => {
    expect(new Set(REGEN_ONLY)).toEqual(new Set(['add', ...CERTS.map((c) => `regen:${c}`), 'wait', 'back']));
  });

  it('should explore every property expected to hold with an abstract check in some scope of `check`, and only in its releases', () => {
    for (const p of PROPERTIES.filter((x) => x.abstract && x.expectedToHold)) {
      const scopes = CHECK_SCOPES.filter((c) => scopeGroups(c).some((g) => g.properties.includes(p)));
      expect(scopes.length, p.name).toBeGreaterThan(0);
      for (const c of scopes)
        expect(p.releases ?? [c.options.release ?? '10.x'], p.name).toContain(c.options.release ?? '10.x');
    }
  });

  it('should say in words the cause of each known weakness (what its counterexample shows)', () => {
    for (const w of WEAKNESSES) expect(w.cause.length, w.id).toBeGreaterThan(20);
  });
});
