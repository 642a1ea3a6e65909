import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Coverage } from '../coverage.ts';
import { DEFAULT_BUDGET_BYTES } from '../packed/packedExplore.ts';
import { PROPERTIES } from '../registry.ts';
import type { SpecScope } from '../spec/scope.ts';
import {
  combine,
  explorePart,
  phoneParts,
  type Exhaustive,
  type FoundLog,
  type PartResult,
  type RunSpec,
} from './checkRuns.ts';

/**
 * The worker's module: the built `checkPart.js` beside this one, or, when this module runs as
 * TypeScript source (the tests), a bootstrap that registers tsx first (workers do not inherit the
 * parent's loader).
 */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './checkWorker.mjs' : './checkPart.js', import.meta.url);

/** One part sent to a worker: properties go by their index in the registry (functions do not cross threads). */
export interface PartJob {
  index: number;
  scope: SpecScope;
  label: string;
  properties: number[];
  maxDepth: number;
  counterexamples?: number;
  alphabet?: string[];
  /** This part's share of the memory budget. */
  budgetBytes: number;
}

/** Coverage as plain data (Maps do not cross threads as one). */
export type PlainCoverage = {
  events: Array<[string, number]>;
  rules: Coverage['rules'];
  refusals: Array<[string, number]>;
};

/** What a worker posts: progress, or a finished part. */
export type PartMessage =
  | { type: 'progress'; part: string; depth: number; distinct: number; explored: number }
  | {
      type: 'done';
      index: number;
      part: PartResult['part'];
      logs: Array<[number, FoundLog[]]>;
      coverage: PlainCoverage;
    };

/** A part's result as a worker posts it. Pure. */
export function toMessage(index: number, result: PartResult): PartMessage {
  const { events, rules, refusals } = result.coverage;
  return {
    type: 'done',
    index,
    part: result.part,
    logs: [...result.logs].map(([p, found]) => [PROPERTIES.indexOf(p), found]),
    coverage: { events: [...events], rules, refusals: [...refusals] },
  };
}

function fromMessage(m: Extract<PartMessage, { type: 'done' }>): PartResult {
  const coverage = {
    events: new Map(m.coverage.events),
    rules: m.coverage.rules,
    refusals: new Map(m.coverage.refusals),
  } as Coverage;
  return { part: m.part, logs: new Map(m.logs.map(([i, found]) => [PROPERTIES[i]!, found])), coverage };
}

/**
 * The per-phone decomposition with the parts on worker threads, at most `threads` at once, each
 * with an equal share of the memory budget (`spec.budgetBytes`, so that the state stores of the
 * parts running together stay within it). The parts are independent explorations, so the result is
 * the same as `exhaustivePerPhone`, in the same order; `seconds` is the wall time. With `threads` 1
 * (one core) or one part it runs in this thread, with the whole budget.
 */
export async function exhaustivePerPhoneParallel(
  scope: SpecScope,
  spec: RunSpec,
  threads = availableParallelism(),
): Promise<Exhaustive> {
  const parts = phoneParts(scope);
  const start = performance.now();
  const wanted = spec.counterexamples;
  if (threads <= 1 || parts.length <= 1)
    return combine(
      parts.map(({ scope: one, label }) => explorePart(one, label, spec)),
      (performance.now() - start) / 1000,
      wanted,
    );
  const properties = spec.properties.map((p) => PROPERTIES.indexOf(p));
  if (properties.includes(-1)) throw new Error('bug: a property outside the registry was sent to the check workers');
  const workers = Math.min(threads, parts.length);
  const budgetBytes = Math.floor((spec.budgetBytes ?? DEFAULT_BUDGET_BYTES) / workers);
  const jobs: PartJob[] = parts.map(({ scope: one, label }, index) => ({
    index,
    budgetBytes,
    scope: one,
    label,
    properties,
    maxDepth: spec.maxDepth,
    ...(wanted ? { counterexamples: wanted } : {}),
    ...(spec.alphabet ? { alphabet: [...spec.alphabet] } : {}),
  }));
  const results = new Array<PartResult>(jobs.length);
  const run = (job: PartJob) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      worker.on('message', (m: PartMessage) => {
        if (m.type === 'progress') return spec.onProgress?.(m.part, m.depth, m.distinct, m.explored);
        results[m.index] = fromMessage(m);
        worker.postMessage(null);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`check worker exited with ${code}`))));
      worker.postMessage(job);
    });
  // A pool of `workers` threads, each taking the next part when it is done.
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) await run(jobs[next++]!);
  };
  await Promise.all(Array.from({ length: workers }, lane));
  return combine(results, (performance.now() - start) / 1000, wanted);
}
