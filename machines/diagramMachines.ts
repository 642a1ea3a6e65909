import type { AnyStateMachine } from 'xstate';
import { clusterMachine } from './clusterMachine.ts';
import { mermaidOf } from './diagramMermaid.ts';
import { nodeMachine } from './nodeMachine.ts';
import { phoneCtlMachine } from './phoneCtlMachine.ts';
import { phoneMachine } from './phoneMachine.ts';
import { signerMachine } from './signerMachine.ts';

/** The machines `itl-model diagram` draws, by the name `--machine` takes, with the file each is defined in. */
export const DIAGRAM_MACHINES = {
  phone: { machine: phoneMachine as AnyStateMachine, file: 'machines/phoneMachine.ts' },
  phoneCtl: { machine: phoneCtlMachine as AnyStateMachine, file: 'machines/phoneCtlMachine.ts' },
  node: { machine: nodeMachine as AnyStateMachine, file: 'machines/nodeMachine.ts' },
  signer: { machine: signerMachine as AnyStateMachine, file: 'machines/signerMachine.ts' },
  cluster: { machine: clusterMachine as AnyStateMachine, file: 'machines/clusterMachine.ts' },
} as const;

/** A machine `itl-model diagram` draws. */
export type DiagramMachine = keyof typeof DIAGRAM_MACHINES;

/** The names `--machine` accepts, in drawing order. */
export const DIAGRAM_NAMES = Object.keys(DIAGRAM_MACHINES) as DiagramMachine[];

/** The formats `--format` accepts, with the file extension `--out` writes. */
export const DIAGRAM_FORMATS = { mermaid: 'mmd', json: 'json' } as const;

/** A format `itl-model diagram` writes. */
export type DiagramFormat = keyof typeof DIAGRAM_FORMATS;

/** The Mermaid diagram of one machine by name, with its heading comment. Pure. */
export function diagramOf(name: DiagramMachine): string {
  const entry = DIAGRAM_MACHINES[name];
  return mermaidOf(
    entry.machine,
    `${name} machine, generated from ${entry.file} by \`itl-model diagram --machine ${name}\``,
  );
}

/** The machine config as JSON (what Stately's inspector receives as an actor's `definition`); functions are dropped. Pure. */
export function definitionOf(name: DiagramMachine): unknown {
  return JSON.parse(JSON.stringify(DIAGRAM_MACHINES[name].machine.config));
}

/** One machine in one format, as the file `--out` writes: `<machine>.mmd` or `<machine>.json`. Pure. */
export function diagramFile(name: DiagramMachine, format: DiagramFormat): { file: string; text: string } {
  return {
    file: `${name}.${DIAGRAM_FORMATS[format]}`,
    text: format === 'json' ? `${JSON.stringify(definitionOf(name), null, 2)}\n` : diagramOf(name),
  };
}

/** The committed diagram docs: `docs/diagrams/<machine>.mmd` file name → content, as the machines generate them today. Pure. */
export function renderDiagrams(): Record<string, string> {
  return Object.fromEntries(DIAGRAM_NAMES.map((name) => diagramFile(name, 'mermaid')).map((d) => [d.file, d.text]));
}
