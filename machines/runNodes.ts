import type { CertRegenerateEvent } from '../model/events.ts';
import { afterRegeneration, regenRefusal } from '../model/cluster/certEvents.ts';
import type { ClusterState, NodeState } from '../model/cluster/clusterState.ts';
import { stepOf, type Step } from '../model/cluster/step.ts';
import { tftpMode } from '../model/cluster/nodeStatus.ts';
import { inertScope } from './inertScope.ts';
import { nodeMachine, type NodeEvent, type RegenEnv } from './nodeMachine.ts';

const scope = inertScope(nodeMachine);

/** The cluster facts a node machine reads. Pure. */
export function regenEnv(state: ClusterState): RegenEnv {
  return {
    seed: state.seed,
    domain: state.domain,
    subject: state.subject,
    version: state.version,
    options: state.options,
  };
}

/** A node's snapshot at a moment: its hold timer runs if it regenerated less than 5 minutes before `at`. Pure. */
export function nodeSnapshotAt(node: NodeState, at: string, env: RegenEnv) {
  const snapshot = nodeMachine.resolveState({
    value: { holdTimer: node.lastRegen ? 'running' : 'idle', tftp: tftpMode(node) },
    context: node,
  });
  return nodeMachine.transition(snapshot, { type: 'TICK', at, env }, scope);
}

/** Runs one event through a node's machine at the time of a log event. Pure. */
export function stepNode(node: NodeState, event: NodeEvent, at: string, env: RegenEnv) {
  return nodeMachine.transition(nodeSnapshotAt(node, at, env), event, scope);
}

/** `set cert regen`: the node machine decides (hold timer, certificate present), the model applies the consequences. Pure. */
export function regenerateThroughNode(state: ClusterState, event: CertRegenerateEvent): Step {
  const index = state.nodes.findIndex((n) => n.id === event.node);
  const node = state.nodes[index]!;
  const env = regenEnv(state);
  const next = stepNode(node, { type: 'REGENERATE', cert: event.cert, at: event.at, env }, event.at, env);
  if (next.context === node) return stepOf(state, { refusals: [regenRefusal(env, node, event)!] });
  const nodes = state.nodes.slice();
  nodes[index] = next.context;
  return afterRegeneration({ ...state, nodes }, event);
}
