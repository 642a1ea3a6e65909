/** Worker side of properties/explorer/parallel.ts: explores the part it is sent, posts progress and the result, and closes when sent null. */
import { parentPort } from 'node:worker_threads';
import { explorePart, type RunSpec } from './checkRuns.ts';
import { toMessage, type PartJob } from './parallel.ts';
import { PROPERTIES } from '../registry.ts';

const port = parentPort!;
port.on('message', (job: PartJob | null) => {
  if (!job) return void port.close();
  const spec: RunSpec = {
    properties: job.properties.map((i) => PROPERTIES[i]!),
    maxDepth: job.maxDepth,
    ...(job.counterexamples ? { counterexamples: job.counterexamples } : {}),
    budgetBytes: job.budgetBytes,
    ...(job.alphabet ? { alphabet: new Set(job.alphabet) as RunSpec['alphabet'] } : {}),
    onProgress: (part, depth, distinct, explored) =>
      port.postMessage({ type: 'progress', part, depth, distinct, explored }),
  };
  port.postMessage(toMessage(job.index, explorePart(job.scope, job.label, spec)));
});
