/**
 * The spec (properties/spec/) is independent of the model it is held against: it imports nothing
 * outside its folder, and its vocabulary (refusal kinds, rules, R2's failures, trust states) is the
 * model's, checked here so the two cannot drift (at compile time by `npm run typecheck`, and the
 * refusal kinds' order at run time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PhoneTrust, Rule } from '../model/cluster/clusterState.ts';
import { REFUSAL_KINDS, type RefusalKind } from '../model/cluster/refusals.ts';
import type { RuleFailure } from '../model/trust/ruleFailures.ts';
import { SPEC_REFUSAL_KINDS, type SpecRefusalKind } from './spec/refusals.ts';
import type { R2Failure, SpecRule, SpecTrust } from './spec/state.ts';

/** True when A and B are the same type (each assignable to the other, unions compared as wholes). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Compile-time proofs that the spec speaks the model's words: a word added to or removed from either side fails typecheck.
const sameKinds: Equal<SpecRefusalKind, RefusalKind> = true;
const sameRules: Equal<SpecRule, Rule> = true;
const sameR2Failures: Equal<R2Failure, Extract<RuleFailure, { rule: 'R2' }>['why']> = true;
const sameTrust: Equal<SpecTrust, PhoneTrust> = true;

const SPEC = new URL('./spec/', import.meta.url);

/** The module specifiers a source file imports or re-exports. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('the spec is independent of the model', () => {
  it('should import nothing outside properties/spec/ (not even types) but Node built-ins', () => {
    const files = readdirSync(SPEC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const outside = importsOf(readFileSync(new URL(file, SPEC), 'utf8')).filter(
        (m) => !/^\.\/[A-Za-z]+\.ts$/.test(m) && !m.startsWith('node:'),
      );
      expect(outside, file).toEqual([]);
    }
  });

  it('should find the imports of a module, type-only and re-exports included', () => {
    const source = "import { a } from './a.ts';\nimport type { B } from '../../model/b.ts';\nexport * from './c.ts';\n";
    expect(importsOf(source)).toEqual(['./a.ts', '../../model/b.ts', './c.ts']);
  });

  it('should name every refusal kind of the model, in the same order', () => {
    expect([sameKinds, sameRules, sameR2Failures, sameTrust]).toEqual([true, true, true, true]);
    expect([...SPEC_REFUSAL_KINDS]).toEqual([...REFUSAL_KINDS]);
  });
});
