import { createActor } from 'xstate';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from '../model/replay/evolve.ts';
import { clusterMachineWith } from './clusterMachine.ts';
import { createMachineEngine, type MachineStep } from './machineEngine.ts';
import { nodeMachine } from './nodeMachine.ts';
import { phoneCtlMachine } from './phoneCtlMachine.ts';
import { phoneMachine } from './phoneMachine.ts';
import { signerMachine } from './signerMachine.ts';
import {
  clusterView,
  logEventView,
  machineEventView,
  nodeContextView,
  phoneContextView,
  signerContextView,
  type MachineEvent,
} from './liveViews.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';

/** The ids of the live actors: `cluster`, `node:<id>`, `signer:<id>`, `phone:<id>`, `ctl:<phone id>`. */
export const liveId = {
  cluster: 'cluster',
  node: (id: string) => `node:${id}`,
  signer: (id: string) => `signer:${id}`,
  phone: (id: string) => `phone:${id}`,
  phoneCtl: (id: string) => `ctl:${id}`,
};

/** How a live replay reports to an inspector: actors appear, receive events, change snapshot. */
export interface LiveSink {
  actor(id: string, snapshot: { value: unknown; context: unknown; status: 'active' }, definition: string): void;
  event(id: string, event: object, source: string): void;
  snapshot(id: string, snapshot: { value: unknown; context: unknown; status: 'active' }, event: object): void;
}

const MACHINES = { phone: phoneMachine, phoneCtl: phoneCtlMachine, node: nodeMachine, signer: signerMachine } as const;
const VIEWS = {
  phone: phoneContextView,
  phoneCtl: phoneContextView,
  node: nodeContextView,
  signer: signerContextView,
} as const;

/**
 * Replays a log with the real machines for an inspector: the cluster machine runs as a real actor,
 * and every transition the phone, node and signer machines take inside it is reported with those
 * machines' own snapshots. What reaches `sink` is their state values, their contexts and the events
 * they receive, each through its view (machines/liveViews.ts): without keys, seeds, ITL or CTL bytes,
 * certificates' DER or passwords; nothing is replayed from a copy.
 */
export function runLive(events: LogEvent[], options: Partial<ModelOptions>, sink: LiveSink): void {
  const known = new Set<string>();
  const observe = (step: MachineStep) => {
    const id = liveId[step.machine](step.id);
    const view = VIEWS[step.machine];
    if (!known.has(id)) {
      known.add(id);
      sink.actor(
        id,
        { value: step.before.value, context: view(step.before.context as never), status: 'active' },
        JSON.stringify(MACHINES[step.machine].definition),
      );
    }
    const event = machineEventView(step.event as MachineEvent);
    sink.event(id, event, liveId.cluster);
    sink.snapshot(id, { value: step.after.value, context: view(step.after.context as never), status: 'active' }, event);
  };
  const machine = clusterMachineWith(createMachineEngine(observe));
  const actor = createActor(machine, { id: liveId.cluster, input: { options } }).start();
  const shown = () => ({
    value: actor.getSnapshot().value,
    context: clusterView(actor.getSnapshot().context),
    status: 'active' as const,
  });
  sink.actor(liveId.cluster, shown(), JSON.stringify(machine.definition));
  // Nodes and their signers are there from the install: their actors appear with the state their machines are in.
  const appear = () => {
    for (const node of actor.getSnapshot().context.cluster?.nodes ?? []) {
      const nodeStep = { value: node.holdTimer, context: node };
      if (!known.has(liveId.node(node.id)))
        observe({ machine: 'node', id: node.id, event: { type: 'INSTALLED' }, before: nodeStep, after: nodeStep });
      const signer = { value: node.tftp?.signer, context: node.tftp };
      if (node.tftp && !known.has(liveId.signer(node.id)))
        observe({ machine: 'signer', id: node.id, event: { type: 'INSTALLED' }, before: signer, after: signer });
    }
  };
  const send = (event: LogEvent | { type: 'clock'; at: string }) => {
    const view = event.type === 'clock' ? event : logEventView(event);
    sink.event(liveId.cluster, view, 'log');
    actor.send(event);
    sink.snapshot(liveId.cluster, shown(), view);
    appear();
  };
  for (const event of events) send(event);
  const end = lastRestart(actor.getSnapshot().context);
  if (end) send({ type: 'clock', at: end });
  actor.stop();
}

/** When the automatic restarts under way end (A14), so the live replay lets time pass to it, as the reports do. */
function lastRestart(context: ClusterContext): string | undefined {
  const ends = (context.cluster?.phones ?? [])
    .map((p) => p.restartingUntil)
    .filter((t): t is string => t !== undefined);
  return ends.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}
