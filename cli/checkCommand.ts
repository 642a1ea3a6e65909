import { availableParallelism } from 'node:os';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { regenerationsKeepTrust } from '../properties/abstractProperties.ts';
import { EXHAUSTIVE, exhaustivePerPhone, exhaustiveProduct, necessity, randomized, REGEN_ONLY, type Exhaustive, type Verdict } from '../properties/checkRuns.ts';
import { exhaustivePerPhoneParallel } from '../properties/parallel.ts';
import { toJsonLines } from '../properties/formatLog.ts';
import { invariants } from '../properties/invariants.ts';
import { scopeOf } from '../properties/referenceModel.ts';
import type { Io } from './io.ts';

/** Options of `itl-model check` (strings as commander gives them). */
export interface CheckOptions {
  json?: boolean;
  depth?: string;
  phones?: string;
  nodes?: string;
  runs?: string;
  product?: boolean;
}

/** The default depth bound: deep enough that every scope of `check` empties its frontier first. */
const MAX_DEPTH = 60;

/** The checked options. */
interface Settings {
  nodes: number;
  phones: number;
  depth: number;
  runs: number;
  seed: number;
}

function int(value: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new RangeError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** Options (and FC_SEED) to settings; a RangeError with one line for a bad one. `--runs` is at least 1: some invariants are checked only on random logs. */
function settings(options: CheckOptions): Settings {
  const nodes = int(options.nodes, 2, 2, 3, 'nodes');
  const phones = int(options.phones, 3, 1, 4, 'phones');
  const depth = int(options.depth, MAX_DEPTH, 0, MAX_DEPTH, 'depth');
  const runs = int(options.runs, 20, 1, 10_000, 'runs');
  const seed = seedFromEnv();
  return { nodes, phones, depth, runs, seed };
}

/** "1 phone", "3 phones". */
function phonesText(n: number): string {
  return `${n} phone${n === 1 ? '' : 's'}`;
}

/** What an exhaustive run covered, in words. */
function coverage(r: { complete: boolean; depth: number }): string {
  return r.complete ? 'every reachable state' : `to depth ${r.depth} (bounded: frontier not empty)`;
}

/**
 * `itl-model check`: exhaustive breadth-first exploration of the abstract model in the scope (per
 * phone configuration, or the whole product with --product), `regenerationsKeepTrust` over its own
 * alphabet, the known weaknesses each in its own scope, then randomized runs with real crypto. Exit 0
 * when every property expected to hold holds and every expected failure was found, 1 otherwise, 2 for bad options.
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  let s: Settings;
  try {
    s = settings(options);
  } catch (error) {
    io.err(`itl-model check: ${(error as Error).message}`);
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const onProgress = tty ? (part: string, d: number, distinct: number, explored: number) => process.stderr.write(`\r${part}: depth ${d}, ${distinct} distinct, ${explored} explored   `) : undefined;
  const scope = scopeOf(s.nodes, s.phones);
  const spec = { properties: EXHAUSTIVE, maxDepth: s.depth, ...(onProgress ? { onProgress } : {}) };
  const result = options.product ? exhaustiveProduct(scope, spec) : await exhaustivePerPhoneParallel(scope, spec);
  const regen = exhaustivePerPhone(scope, { properties: [regenerationsKeepTrust], alphabet: REGEN_ONLY, maxDepth: s.depth });
  if (tty) process.stderr.write('\n');
  // Each weakness has its own scope: 2 nodes and 3 phones (phone C, whose TVS list holds only the publisher, is the one they lock).
  const weaknesses = necessity(2, 3, 12);
  const random = randomized(s.runs, s.seed);
  const where = `${s.nodes} nodes, ${phonesText(s.phones)}`;
  const verdicts: Verdict[] = invariants.filter((i) => i.expectedToHold).map((inv) => {
    const checkedBy: string[] = [];
    if (EXHAUSTIVE.some((p) => p.name === inv.name)) checkedBy.push(`exhaustive: ${coverage(result)} of ${where} (abstract model, symbolic keys)`);
    if (inv.name === regenerationsKeepTrust.name) checkedBy.push(`exhaustive: ${coverage(regen)} of ${where} with plug-in, set cert regen and time only (abstract model)`);
    checkedBy.push(`randomized: ${s.runs} logs replayed by the machines with real crypto (FC_SEED=${s.seed})`);
    const abstract = result.violations.get(inv.name) ?? regen.violations.get(inv.name);
    const counterexample = abstract?.counterexample ?? random.get(inv.name);
    return { name: inv.name, holds: !counterexample, expectedToHold: true, checkedBy, ...(counterexample ? { counterexample } : {}) };
  });
  verdicts.push(...weaknesses);
  const ok = verdicts.every((v) => v.holds === v.expectedToHold);
  if (options.json) {
    io.out(JSON.stringify({ properties: verdicts, statesExplored: result.statesExplored, distinctStates: result.distinctStates, depth: result.depth, complete: result.complete, seconds: result.seconds, parts: result.parts, seed: s.seed }));
  } else printText(io, s, options.product === true, result, regen, verdicts);
  return ok ? 0 : 1;
}

/** The text report: counts and rates, the parts, then each property with how it was checked and any counterexample. */
function printText(io: Io, s: Settings, product: boolean, result: Exhaustive, regen: Exhaustive, verdicts: Verdict[]): void {
  const rate = (n: number) => Math.round(n / Math.max(result.seconds, 1e-9));
  const reach = (r: { complete: boolean }) => (r.complete ? ' (every reachable state)' : ' (bounded: frontier not empty)');
  io.out(`scope: ${s.nodes} nodes, ${phonesText(s.phones)}; states explored ${result.statesExplored}, distinct states ${result.distinctStates}, depth ${result.depth}${reach(result)}, time ${result.seconds.toFixed(2)} s, ${rate(result.statesExplored)} states/s (${rate(result.distinctStates)} distinct states/s)`);
  const cores = availableParallelism();
  const threads = cores <= 1 || result.parts.length <= 1 ? 'in one thread' : `on ${result.parts.length} worker threads sharing ${cores} cores`;
  io.out(product ? 'explored as one product state space (--product)' : `explored per phone configuration (exact decomposition, README "Per-phone decomposition"), ${threads}; time is wall time:`);
  if (!product) for (const p of result.parts) io.out(`  ${p.part}: ${p.distinctStates} distinct, ${p.statesExplored} explored, depth ${p.depth}${reach(p)}, ${p.seconds.toFixed(2)} s`);
  io.out(`regenerationsKeepTrust over plug-in, set cert regen and time only: ${regen.distinctStates} distinct, ${regen.statesExplored} explored, depth ${regen.depth}${reach(regen)}`);
  io.out(`randomized: ${s.runs} logs with real crypto, FC_SEED=${s.seed}`);
  for (const v of verdicts) {
    const status = v.holds ? (v.expectedToHold ? 'holds' : 'HOLDS (expected to fail: the weakness is gone)') : v.expectedToHold ? 'VIOLATED' : 'violated (expected)';
    io.out(`${v.name}: ${status}`);
    for (const how of v.checkedBy) io.out(`  - ${how}`);
    if (v.counterexample) for (const line of toJsonLines(v.counterexample).split('\n')) io.out(`  ${line}`);
  }
}
