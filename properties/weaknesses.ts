import type { ModelOptions } from '../model/cluster/clusterState.ts';
import { scopeSwitches } from './checkScopes.ts';
import type { Coverage } from './coverage.ts';
import type { FoundLog } from './explorer/checkRuns.ts';
import { explore } from './explorer/explore.ts';
import { WEAKNESSES, type Weakness, type WeaknessOptions } from './registry.ts';
import { concretize } from './schedule.ts';
import { phoneConfigs, scopeOf, type SpecScope } from './spec/scope.ts';

/** What the search for one known weakness found: its shortest counterexamples (none when the weakness is gone). */
export interface WeaknessResult {
  weakness: Weakness;
  found: FoundLog[];
  /** The scope it was explored in, in words. */
  scope: string;
  /** The scope it was explored in. */
  specScope: SpecScope;
  coverage: Coverage;
}

/** A scope in words: its sizes, release, mode and the options off their defaults. Pure. */
export function scopeWords(scope: SpecScope): string {
  const words = [`${scope.nodes} nodes`, `${scope.phones} phone${scope.phones === 1 ? '' : 's'}`];
  if (scope.release === '12.5') words.push(scope.mixed ? '12.5 mixed mode' : '12.5 non-secure');
  if (scope.pre10) words.push('installed before 10.0');
  if (scope.pre12) words.push('installed at 11.5 (upgrade: 12.5(1)SU2)');
  if (!scope.holdTimer) words.push('hold timer off');
  if (!scope.tvsVouchesOwnItlRecovery) words.push('TVS does not vouch for its own ITLRecovery');
  if (!scope.sharedSastPool) words.push('no shared SAST pool');
  if (scope.itlViaTvsWithCtl) words.push('ITL through TVS with a CTL');
  if (scope.ctlTvsRescueOwn) words.push("TVS rescues a CTL signed by the cluster's own keys");
  return words.join(', ');
}

/**
 * Each known weakness explored in its own scope (its options and the alphabet of its cause; the
 * model options given, the command line's switches, apply too, the weakness's own winning): the
 * shortest counterexamples, as logs.
 */
export function exploreWeaknesses(
  nodes: number,
  phones: number,
  maxDepth: number,
  counterexamples = 1,
  options: Partial<ModelOptions> = {},
): WeaknessResult[] {
  return WEAKNESSES.map((weakness) => {
    const scope = weaknessScope(nodes, phones, { ...scopeSwitches(options), ...weakness.options });
    const result = explore({
      scope,
      alphabet: weakness.alphabet,
      properties: [weakness.property],
      maxDepth,
      counterexamples,
    });
    const found = (result.violations.get(weakness.property) ?? []).map((v) => ({
      reason: v.reason,
      counterexample: concretize(scope, [...v.trace, ...v.witness]),
    }));
    return { weakness, found, coverage: result.coverage, scope: scopeWords(scope), specScope: scope };
  });
}

/** The scope of a known weakness: the check's nodes and phones (or the one phone of its cause), with its options. Pure. */
export function weaknessScope(nodes: number, phones: number, options: WeaknessOptions): SpecScope {
  const { phoneConfig, ...rest } = options;
  const scope = scopeOf(nodes, phones, rest);
  return phoneConfig === undefined ? scope : { ...scope, phones: 1, configs: [phoneConfigs(nodes)[phoneConfig]!] };
}
