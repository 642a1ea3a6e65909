import { join } from 'node:path';
import { DIAGRAM_MACHINES, definitionOf, diagramOf, renderDiagrams } from '../machines/diagramMachines.ts';
import type { Io } from './io.ts';

/** Options of `itl-model diagram`. */
export interface DiagramOptions {
  machine?: string;
  format?: string;
  /** Write `<machine>.mmd` for every machine into this directory (how docs/diagrams is regenerated). */
  out?: string;
}

/** Says on one line why the options are bad, or returns the machines to draw. */
function selected(options: DiagramOptions, io: Io): string[] | undefined {
  const names = Object.keys(DIAGRAM_MACHINES);
  if (options.machine !== undefined && !names.includes(options.machine)) {
    io.err(`--machine: unknown machine "${options.machine}" (expected one of ${names.join(', ')})`);
    return undefined;
  }
  if (options.format !== undefined && options.format !== 'mermaid' && options.format !== 'json') {
    io.err(`--format: expected mermaid or json, got "${options.format}"`);
    return undefined;
  }
  return options.machine ? [options.machine] : names;
}

/** `itl-model diagram`: each machine as a Mermaid stateDiagram-v2 or as its JSON definition, generated from the machines themselves. */
export async function diagram(options: DiagramOptions, io: Io): Promise<number> {
  const names = selected(options, io);
  if (!names) return 2;
  if (options.out) {
    await io.mkdir(options.out);
    for (const [file, text] of Object.entries(renderDiagrams())) await io.writeFile(join(options.out, file), text);
    io.out(`wrote ${Object.keys(DIAGRAM_MACHINES).length} diagrams to ${options.out}`);
    return 0;
  }
  if (options.format === 'json') {
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
