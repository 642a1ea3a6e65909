import type { AnyStateMachine } from 'xstate';
import { clusterMachine } from './clusterMachine.ts';
import { mermaidOf } from './diagramMermaid.ts';
import { nodeMachine } from './nodeMachine.ts';
import { phoneMachine } from './phoneMachine.ts';

/** The machines `itl-model diagram` draws, by the name `--machine` takes, with the file each is defined in. */
export const DIAGRAM_MACHINES: Record<string, { machine: AnyStateMachine; file: string }> = {
  phone: { machine: phoneMachine, file: 'machines/phoneMachine.ts' },
  node: { machine: nodeMachine, file: 'machines/nodeMachine.ts' },
  cluster: { machine: clusterMachine, file: 'machines/clusterMachine.ts' },
};

/** The Mermaid diagram of one machine by name, with its heading comment. Pure. */
export function diagramOf(name: string): string {
  const entry = DIAGRAM_MACHINES[name]!;
  return mermaidOf(
    entry.machine,
    `${name} machine, generated from ${entry.file} by \`itl-model diagram --machine ${name}\``,
  );
}

/** The committed diagram docs: `docs/diagrams/<machine>.mmd` file name → content, as the machines generate them today. Pure. */
export function renderDiagrams(): Record<string, string> {
  return Object.fromEntries(Object.keys(DIAGRAM_MACHINES).map((name) => [`${name}.mmd`, diagramOf(name)]));
}

/** The machine config as JSON (what Stately's inspector receives as an actor's `definition`); functions are dropped. Pure. */
export function definitionOf(name: string): unknown {
  return JSON.parse(JSON.stringify(DIAGRAM_MACHINES[name]!.machine.config));
}
