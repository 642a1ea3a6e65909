import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invariants } from './invariants.ts';

const readme = new URL('../README.md', import.meta.url);

/** Names of the bullets "- `name`" under the README heading "## Invariants" (up to the next "## "). */
function readmeInvariants(text: string): string[] | null {
  const start = text.search(/^## Invariants\s*$/m);
  if (start < 0) return null;
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  return (end < 0 ? rest : rest.slice(0, end)).flatMap((line) => /^- `([A-Za-z0-9]+)`/.exec(line)?.[1] ?? []);
}

describe('invariants', () => {
  it('should give every invariant a unique name', () => {
    const names = invariants.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('should list exactly the registry under "## Invariants" in the README', () => {
    const listed = readmeInvariants(readFileSync(readme, 'utf8'));
    expect(listed, 'README.md has no "## Invariants" section').not.toBeNull();
    expect(listed!.sort()).toEqual(invariants.map((i) => i.name).sort());
  });

  it('should read the bullet names of the Invariants section and stop at the next heading', () => {
    const text = '# x\n## Invariants\n- `a`: one\n- `b` two\n## Next\n- `c`\n';
    expect(readmeInvariants(text)).toEqual(['a', 'b']);
    expect(readmeInvariants('# x\n')).toBeNull();
  });
});
