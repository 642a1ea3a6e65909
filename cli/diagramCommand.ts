import { join } from 'node:path';
import {
  DIAGRAM_NAMES,
  definitionOf,
  diagramFile,
  diagramOf,
  type DiagramFormat,
  type DiagramMachine,
} from '../machines/diagramMachines.ts';
import type { Io } from './io.ts';

/** Options of `itl-model diagram` (commander's `choices` has already refused anything else). */
export interface DiagramOptions {
  machine?: DiagramMachine;
  format?: DiagramFormat;
  /** Write one file per selected machine into this directory (how docs/diagrams is regenerated). */
  out?: string;
}

/** `itl-model diagram`: each machine as a Mermaid stateDiagram-v2 or as its JSON definition, generated from the machines themselves. */
export async function diagram(options: DiagramOptions, io: Io): Promise<number> {
  const names = options.machine ? [options.machine] : DIAGRAM_NAMES;
  const format = options.format ?? 'mermaid';
  if (options.out) {
    const files = names.map((name) => diagramFile(name, format));
    await io.mkdir(options.out);
    await io.writeOutputs(
      files.map((f) => ({ kind: 'file' as const, path: join(options.out!, f.file), data: f.text })),
    );
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
