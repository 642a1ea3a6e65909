import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as abstractChecks from './spec/invariants.ts';
import * as concreteChecks from './invariants.ts';
import { exampleOf, PROPERTIES, WEAKNESSES } from './registry.ts';

const readme = new URL('../README.md', import.meta.url);

/** Names of the bullets "- `name`" under the README heading "## Invariants" (up to the next "## "). */
function readmeInvariants(text: string): string[] | null {
  const start = text.search(/^## Invariants\s*$/m);
  if (start < 0) return null;
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  return (end < 0 ? rest : rest.slice(0, end)).flatMap((line) => /^- `([A-Za-z0-9]+)`/.exec(line)?.[1] ?? []);
}

describe('the property registry', () => {
  it('should give every property a unique name, a concrete check and what it forbids', () => {
    const names = PROPERTIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PROPERTIES) {
      expect(typeof p.concrete, p.name).toBe('function');
      expect(p.forbids.length, p.name).toBeGreaterThan(20);
    }
  });

  it('should reference every abstract check of spec/invariants.ts from exactly one registry entry', () => {
    const used = PROPERTIES.map((p) => p.abstract).filter((a) => a !== undefined);
    for (const [name, check] of Object.entries(abstractChecks))
      expect(
        used.filter((a) => a === check),
        `abstract check ${name} has no registry entry`,
      ).toHaveLength(1);
  });

  it('should reference every concrete check of invariants.ts from the registry', () => {
    const used = new Set(PROPERTIES.map((p) => p.concrete));
    const checks = Object.entries(concreteChecks).filter(([name]) => name !== 'safeAdvice');
    for (const [name, check] of checks)
      expect(used.has(check as never), `concrete check ${name} has no registry entry`).toBe(true);
  });

  it('should give every property not expected to hold a known weakness with a saved counterexample', () => {
    for (const p of PROPERTIES.filter((x) => !x.expectedToHold))
      expect(
        WEAKNESSES.some((w) => w.property === p),
        p.name,
      ).toBe(true);
    for (const w of WEAKNESSES)
      expect(() => readFileSync(new URL(`../${exampleOf(w)}`, import.meta.url)), w.id).not.toThrow();
  });

  it('should list exactly the registry under "## Invariants" in the README', () => {
    const listed = readmeInvariants(readFileSync(readme, 'utf8'));
    expect(listed, 'README.md has no "## Invariants" section').not.toBeNull();
    expect(listed!.sort()).toEqual(PROPERTIES.map((p) => p.name).sort());
  });

  it('should read the bullet names of the Invariants section and stop at the next heading', () => {
    const text = '# x\n## Invariants\n- `a`: one\n- `b` two\n## Next\n- `c`\n';
    expect(readmeInvariants(text)).toEqual(['a', 'b']);
    expect(readmeInvariants('# x\n')).toBeNull();
  });
});
