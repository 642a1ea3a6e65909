import { availableParallelism } from 'node:os';
import { seedFromEnv } from '../properties/arbitraries.ts';
import { regenerationsKeepTrust } from '../properties/abstractProperties.ts';
import { EXHAUSTIVE, exhaustivePerPhone, exhaustiveProduct, necessity, randomized, REGEN_ONLY, type Verdict } from '../properties/checkRuns.ts';
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

function int(value: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new RangeError(`itl-model check: --${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/**
 * `itl-model check`: exhaustive breadth-first exploration of the abstract model in the scope (per
 * phone configuration, or the whole product with --product), `regenerationsKeepTrust` over its own
 * alphabet, the known weaknesses each in its own scope, then randomized runs with real crypto. Exit 0
 * when every property expected to hold holds and every expected failure was found, 1 otherwise, 2 for bad options.
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  let depth: number, phones: number, nodes: number, runs: number;
  try {
    nodes = int(options.nodes, 2, 2, 3, 'nodes');
    phones = int(options.phones, 3, 1, 4, 'phones');
    depth = int(options.depth, MAX_DEPTH, 0, MAX_DEPTH, 'depth');
    runs = int(options.runs, 20, 0, 10_000, 'runs');
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const onProgress = tty ? (part: string, d: number, distinct: number, explored: number) => process.stderr.write(`\r${part}: depth ${d}, ${distinct} distinct, ${explored} explored   `) : undefined;
  const scope = scopeOf(nodes, phones);
  const spec = { properties: EXHAUSTIVE, maxDepth: depth, ...(onProgress ? { onProgress } : {}) };
  const result = options.product ? exhaustiveProduct(scope, spec) : await exhaustivePerPhoneParallel(scope, spec);
  const regen = exhaustivePerPhone(scope, { properties: [regenerationsKeepTrust], alphabet: REGEN_ONLY, maxDepth: depth });
  if (tty) process.stderr.write('\n');
  // Each weakness has its own scope: 2 nodes and 3 phones (phone C, whose TVS list holds only the publisher, is the one they lock).
  const weaknesses = necessity(2, 3, 12);
  const seed = seedFromEnv();
  const random = randomized(runs, seed);
  const verdicts: Verdict[] = invariants.filter((i) => i.expectedToHold).map((inv) => {
    const abstract = result.violations.get(inv.name) ?? regen.violations.get(inv.name);
    const counterexample = abstract?.counterexample ?? random.get(inv.name);
    return { name: inv.name, holds: !counterexample, expectedToHold: true, ...(counterexample ? { counterexample } : {}) };
  });
  verdicts.push(...weaknesses);
  const ok = verdicts.every((v) => v.holds === v.expectedToHold);
  if (options.json) {
    io.out(JSON.stringify({ properties: verdicts, statesExplored: result.statesExplored, distinctStates: result.distinctStates, depth: result.depth, complete: result.complete, seconds: result.seconds, parts: result.parts }));
    return ok ? 0 : 1;
  }
  const rate = (r: { statesExplored: number; seconds: number }) => Math.round(r.statesExplored / Math.max(r.seconds, 1e-9));
  const reach = (r: { complete: boolean }) => (r.complete ? ' (every reachable state)' : ' (bounded: frontier not empty)');
  io.out(`scope: ${nodes} nodes, ${phones} phones; states explored ${result.statesExplored}, distinct states ${result.distinctStates}, depth ${result.depth}${reach(result)}, time ${result.seconds.toFixed(2)} s, ${rate(result)} states/s`);
  io.out(options.product ? 'explored as one product state space (--product)' : `explored per phone configuration (exact decomposition, README "Per-phone decomposition"), on ${Math.min(availableParallelism(), result.parts.length)} thread(s); time is wall time:`);
  if (!options.product) for (const p of result.parts) io.out(`  ${p.part}: ${p.distinctStates} distinct, ${p.statesExplored} explored, depth ${p.depth}${reach(p)}, ${p.seconds.toFixed(2)} s`);
  io.out(`regenerationsKeepTrust over plug-in, set cert regen and time only: ${regen.distinctStates} distinct, ${regen.statesExplored} explored, depth ${regen.depth}${reach(regen)}`);
  io.out(`randomized: ${runs} logs with real crypto, FC_SEED=${seed}`);
  for (const v of verdicts) {
    const status = v.holds ? (v.expectedToHold ? 'holds' : 'HOLDS (expected to fail: the weakness is gone)') : v.expectedToHold ? 'VIOLATED' : 'violated (expected)';
    io.out(`${v.name}: ${status}`);
    if (v.counterexample) for (const line of toJsonLines(v.counterexample).split('\n')) io.out(`  ${line}`);
  }
  return ok ? 0 : 1;
}
