import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { holdTimer, noUnverifiedItl, recoveryForEveryPhone, recoveryWithItlRecovery, regenerationsKeepTrust, type AbstractProperty } from './abstractProperties.ts';
import { combine, explorePart, phoneParts, type Exhaustive, type PartResult, type RunSpec } from './checkRuns.ts';
import type { LogEvent } from '../model/events.ts';
import type { RScope } from './referenceModel.ts';

/** The abstract properties a worker can check, by name (functions do not cross threads). */
export const PROPERTIES: Record<string, AbstractProperty> = Object.fromEntries([recoveryWithItlRecovery, noUnverifiedItl, holdTimer, regenerationsKeepTrust, recoveryForEveryPhone].map((p) => [p.name, p]));

/**
 * The worker's module: the built `checkPart.js` beside this one, or, when this module runs as
 * TypeScript source (the tests), a bootstrap that registers tsx first (workers do not inherit the
 * parent's loader).
 */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './checkWorker.mjs' : './checkPart.js', import.meta.url);

/** One part sent to a worker. */
export interface PartJob {
  index: number;
  scope: RScope;
  label: string;
  properties: string[];
  maxDepth: number;
  alphabet?: string[];
}

/** What a worker posts: progress, or a finished part (its violations as entries: a Map does not cross threads as one). */
type Message = { type: 'progress'; part: string; depth: number; distinct: number; explored: number } | { type: 'done'; index: number; part: PartResult['part']; logs: Array<[string, { reason: string; counterexample: LogEvent[] }]> };

/**
 * The per-phone decomposition with each part on its own worker thread. The parts are independent
 * explorations, so the result is the same as `exhaustivePerPhone`, in the same order; `seconds` is
 * the wall time. There is one worker per part even when parts outnumber cores: the parts differ in
 * size (3 parts on 2 cores would leave a core idle for the last one), and the OS shares the cores
 * among the workers. With `threads` 1 (one core) or one part it runs in this thread.
 */
export async function exhaustivePerPhoneParallel(scope: RScope, spec: RunSpec, threads = availableParallelism()): Promise<Exhaustive> {
  const parts = phoneParts(scope);
  const start = performance.now();
  if (threads <= 1 || parts.length <= 1) return combine(parts.map(({ scope: one, label }) => explorePart(one, label, spec)), (performance.now() - start) / 1000);
  for (const p of spec.properties) if (PROPERTIES[p.name] !== p) throw new Error(`bug: property ${p.name} is not known to the check workers`);
  const jobs: PartJob[] = parts.map(({ scope: one, label }, index) => ({ index, scope: one, label, properties: spec.properties.map((p) => p.name), maxDepth: spec.maxDepth, ...(spec.alphabet ? { alphabet: [...spec.alphabet] } : {}) }));
  const results = new Array<PartResult>(jobs.length);
  const run = (job: PartJob) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      worker.on('message', (m: Message) => {
        if (m.type === 'progress') return spec.onProgress?.(m.part, m.depth, m.distinct, m.explored);
        results[m.index] = { part: m.part, logs: new Map(m.logs) };
        worker.postMessage(null);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`check worker exited with ${code}`))));
      worker.postMessage(job);
    });
  await Promise.all(jobs.map(run));
  return combine(results, (performance.now() - start) / 1000);
}
