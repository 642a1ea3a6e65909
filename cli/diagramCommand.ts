import { join } from 'node:path';
import {
  DIAGRAM_NAMES,
  definitionOf,
  diagramFile,
  diagramOf,
  type DiagramFormat,
  type DiagramMachine,
} from '../machines/diagramMachines.ts';
import { isFolder, type Io, type Output } from './io.ts';
import { refuse, type Problem, writeOrRefuse } from './refusal.ts';

/** Options of `itl-model diagram` (commander's `choices` has already refused anything else). */
export interface DiagramOptions {
  machine?: DiagramMachine;
  format?: DiagramFormat;
  /** Write one file per selected machine into this directory (how docs/diagrams is regenerated). */
  out?: string;
}

/**
 * What `--out DIR` writes: into an existing folder, one file per diagram beside what it holds; else
 * a new folder (its parent must exist, as for every output) made whole with the diagrams, so that
 * a refused run leaves none behind. Returns why it cannot be written, checked before writing.
 * (Its parent is not made: like every output, a missing folder is refused, not created.)
 */
async function diagramOutputs(
  dir: string,
  files: { file: string; text: string }[],
  io: Io,
): Promise<Output[] | Problem> {
  if (!(await isFolder(dir, io))) {
    const why = await io.outputProblem({ kind: 'tree', dir });
    if (why) return { file: dir, reason: `${why} (--out)` };
    const tree = new Map(files.map((f) => [f.file, new TextEncoder().encode(f.text)]));
    return [{ kind: 'tree', dir, files: tree }];
  }
  const outputs = files.map((f) => ({ kind: 'file' as const, path: join(dir, f.file), data: f.text }));
  for (const o of outputs) {
    const why = await io.outputProblem(o);
    if (why) return { file: o.path, reason: `${why} (--out)` };
  }
  return outputs;
}

/** `itl-model diagram`: each machine as a Mermaid stateDiagram-v2 or as its JSON definition, generated from the machines themselves. */
export async function diagram(options: DiagramOptions, io: Io): Promise<number> {
  const names = options.machine ? [options.machine] : DIAGRAM_NAMES;
  const format = options.format ?? 'mermaid';
  if (options.out) {
    const files = names.map((name) => diagramFile(name, format));
    const outputs = await diagramOutputs(options.out, files, io);
    if (!Array.isArray(outputs)) return refuse(io, false, [outputs]);
    const refused = await writeOrRefuse(io, outputs, false, '--out');
    if (refused) return refused;
    io.out(`wrote ${files.map((f) => f.file).join(', ')} to ${options.out}`);
    return 0;
  }
  if (format === 'json') {
    const doc = options.machine
      ? definitionOf(options.machine)
      : Object.fromEntries(names.map((n) => [n, definitionOf(n)]));
    io.out(JSON.stringify(doc, null, 2));
    return 0;
  }
  names.forEach((name, i) => {
    if (i > 0) io.out('');
    for (const line of diagramOf(name).replace(/\n$/, '').split('\n')) io.out(line);
  });
  return 0;
}
