import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore, type CheckRun } from '../explorer/explore.ts';
import type { PinnedScope } from '../explorer/stateCounts.ts';
import { holdTimer, PROPERTIES, WEAKNESSES } from '../registry.ts';
import type { Alphabet } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import type { SpecState } from '../spec/state.ts';
import { packedExplore } from './packedExplore.ts';

const MANIFEST = new URL('../manifest.json', import.meta.url);
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { scopes: PinnedScope[] };

/** The scope and alphabet a manifest entry pins (as properties/explorer/stateCounts.ts `countStates` builds them). */
function pinned(pin: PinnedScope): { scope: SpecScope; alphabet?: Alphabet } {
  const full = scopeOf(pin.nodes, pin.phones, {
    ...(pin.release ? { release: pin.release } : {}),
    pre10: pin.pre10 ?? false,
    pre12: pin.pre12 ?? false,
    mixed: pin.mixed ?? false,
    holdTimer: pin.holdTimer ?? true,
  });
  const scope = pin.config === undefined ? full : { ...full, phones: 1, configs: [full.configs[pin.config]!] };
  return { scope, ...(pin.alphabet ? { alphabet: new Set(pin.alphabet) as Alphabet } : {}) };
}

/** Both explorers on one run, every distinct state's representative recorded in order. */
function both(run: CheckRun) {
  const reps: SpecState[] = [];
  const packedReps: SpecState[] = [];
  const old = explore({ ...run, onState: (s) => reps.push(s) });
  const packed = packedExplore({ ...run, onState: (s) => packedReps.push(s) });
  return { old, packed, reps, packedReps };
}

describe('the packed explorer (properties/packed/)', () => {
  for (const pin of manifest.scopes) {
    it(`should give the explorer's counts on the manifest's scope ${pin.name}`, () => {
      const run: CheckRun = { ...pinned(pin), properties: [], maxDepth: pin.maxDepth };
      const r = packedExplore(run);
      // The explorer itself, not the pinned numbers: the manifest may be re-pinned after a change of the spec.
      const old = explore(run);
      expect({
        distinctStates: r.distinctStates,
        statesExplored: r.statesExplored,
        depth: r.depth,
        complete: r.complete,
      }).toEqual({
        distinctStates: old.distinctStates,
        statesExplored: old.statesExplored,
        depth: old.depth,
        complete: old.complete,
      });
      expect(r.outOfBudget).toBe(false);
    });
  }

  const samples: Array<{ name: string; scope: SpecScope; maxDepth: number }> = [
    { name: 'phone C, 10.x, every event, depth 4', scope: oneConfig(scopeOf(2, 3), 2), maxDepth: 4 },
    { name: 'phones A and B, 10.x, every event, depth 3', scope: { ...scopeOf(2, 2) }, maxDepth: 3 },
    {
      name: 'phone A, 12.5 mixed mode installed at 11.5, every event, depth 4',
      scope: oneConfig(scopeOf(2, 3, { release: '12.5', mixed: true, pre12: true }), 0),
      maxDepth: 4,
    },
    { name: 'three phones of two configurations (symmetry), depth 3', scope: threeOfTwo(), maxDepth: 3 },
    // Stored keys longer than the first buffers (3 nodes, 5 phones: up to 67 codes once three phones hold an ITL).
    { name: '3 nodes, 5 phones, 10.x, every event, depth 4', scope: scopeOf(3, 5), maxDepth: 4 },
    // A cluster part longer than 255 codes (12 + 9 a node with a served reset ITL and a CTL of 11.5,
    // which has a CCM+TFTP record a node: 282 codes at 30 nodes).
    {
      name: '30 nodes, 1 phone, 12.5 mixed mode installed at 11.5, every event, depth 2',
      scope: scopeOf(30, 1, { release: '12.5', mixed: true, pre12: true }),
      maxDepth: 2,
    },
  ];
  for (const { name, scope, maxDepth } of samples) {
    it(`should decode every state to the explorer's representative, in the same order: ${name}`, () => {
      const { old, packed, reps, packedReps } = both({ scope, properties: [], maxDepth });
      expect(packedReps.length).toBe(old.distinctStates);
      expect(packedReps).toEqual(reps);
      expect(packed.coverage).toEqual(old.coverage);
      expect([packed.depth, packed.statesExplored, packed.complete]).toEqual([
        old.depth,
        old.statesExplored,
        old.complete,
      ]);
    });
  }

  // Every weakness but f, whose scope takes ten times as long (its property is a state check, as a's to c's are).
  for (const w of WEAKNESSES.filter((x) => x.id !== 'f-callmanager-tvs-itlrecovery-together')) {
    it(`should find the explorer's shortest counterexamples of known weakness ${w.id}`, () => {
      const scope = scopeOf(2, 3, (({ phoneConfig: _, ...o }) => o)(w.options));
      const run: CheckRun = { scope, alphabet: w.alphabet, properties: [w.property], maxDepth: 60, counterexamples: 2 };
      const old = explore(run);
      const packed = packedExplore(run);
      expect(old.violations.get(w.property)?.length).toBeGreaterThan(0);
      expect(packed.violations.get(w.property)).toEqual(old.violations.get(w.property));
    });
  }

  it("should find the explorer's violations of every step check, skipping them only on steps of clusterOnly actions", () => {
    // The hold timer off: the hold-timer check fails on the steps that regenerate twice; the other step
    // checks run on every step but those of clusterOnly actions (spec/action.ts), which pass them all.
    const scope = { ...scopeOf(2, 2), holdTimer: false };
    const properties = PROPERTIES.filter((p) => p.abstract?.step);
    const run: CheckRun = { scope, properties, maxDepth: 4, counterexamples: 3 };
    const old = explore(run);
    const packed = packedExplore(run);
    expect(old.violations.get(holdTimer)?.length).toBe(3);
    expect([...packed.violations.keys()].map((p) => p.name)).toEqual([...old.violations.keys()].map((p) => p.name));
    for (const [p, found] of old.violations) expect(packed.violations.get(p), p.name).toEqual(found);
    expect(packed.coverage).toEqual(old.coverage);
    // Not vacuous: the scope takes clusterOnly actions on many steps.
    const quiet = ['tftpRestart', 'forge', 'corrupt', 'itlReset', 'backup', 'itlResetRemote', 'upgrade', 'password'];
    expect(quiet.reduce((n, label) => n + (old.coverage.events.get(label) ?? 0), 0)).toBeGreaterThan(1000);
  });

  it('should stop with "out of budget" and the states explored so far when the store would pass its budget', () => {
    const scope = oneConfig(scopeOf(2, 3), 2);
    const full = packedExplore({ scope, properties: [], maxDepth: 6 });
    const small = packedExplore({ scope, properties: [], maxDepth: 6, budgetBytes: 256 * 1024 });
    expect(full.outOfBudget).toBe(false);
    expect(small.outOfBudget).toBe(true);
    expect(small.complete).toBe(false);
    expect(small.distinctStates).toBeGreaterThan(0);
    expect(small.distinctStates).toBeLessThan(full.distinctStates);
    expect(small.storeBytes).toBeLessThanOrEqual(256 * 1024);
  });
});

function oneConfig(scope: SpecScope, config: number): SpecScope {
  return { ...scope, phones: 1, configs: [scope.configs[config]!] };
}

/** Three phones, two of them of one configuration: the representative sorts them. */
function threeOfTwo(): SpecScope {
  const scope = scopeOf(2, 3);
  return { ...scope, configs: [scope.configs[0]!, scope.configs[2]!, scope.configs[0]!] };
}
