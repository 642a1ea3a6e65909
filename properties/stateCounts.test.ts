import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countStates, pinnedScopes, type PinnedScope } from './explorer/stateCounts.ts';

const MANIFEST = new URL('./manifest.json', import.meta.url);
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { scopes: PinnedScope[] };

describe('the state-count manifest (properties/manifest.json)', () => {
  it('should pin exactly the scopes of stateCounts.ts', () => {
    expect(manifest.scopes.map((s) => s.name)).toEqual(pinnedScopes().map((s) => s.name));
  });

  for (const pin of pinnedScopes()) {
    it(`should explore ${pin.name} to the pinned counts`, () => {
      const counted = countStates(pin);
      // A change of the state space must be deliberate: update properties/manifest.json with these counts and say why in the commit.
      expect(counted, `new counts for the manifest: ${JSON.stringify(counted)}`).toEqual(
        manifest.scopes.find((s) => s.name === pin.name),
      );
    });
  }
});
