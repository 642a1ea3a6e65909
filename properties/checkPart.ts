/** Worker side of properties/parallel.ts: explores the part it is sent, posts progress and the result, and closes when sent null. */
import { parentPort } from 'node:worker_threads';
import { explorePart, type RunSpec } from './checkRuns.ts';
import { PROPERTIES, type PartJob } from './parallel.ts';

const port = parentPort!;
port.on('message', (job: PartJob | null) => {
  if (!job) return void port.close();
  const spec: RunSpec = {
    properties: job.properties.map((name) => PROPERTIES[name]!),
    maxDepth: job.maxDepth,
    ...(job.alphabet ? { alphabet: new Set(job.alphabet) as RunSpec['alphabet'] } : {}),
    onProgress: (part, depth, distinct, explored) => port.postMessage({ type: 'progress', part, depth, distinct, explored }),
  };
  const result = explorePart(job.scope, job.label, spec);
  port.postMessage({ type: 'done', index: job.index, part: result.part, logs: [...result.logs] });
});
