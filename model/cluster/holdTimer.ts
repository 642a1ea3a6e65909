/**
 * The 5-minute hold timer (docs/rules.md §7; SEED, A6, A13): after an accepted `set cert regen` on a
 * node, every further regeneration on that node is refused for 300 s. The node machine
 * (machines/nodeMachine.ts) decides it with its `holdTimer` region; these are its rule and the
 * model's own decision of the same.
 */
import type { CertRegenerateEvent } from '../events.ts';
import type { ClusterState, ModelOptions, NodeState } from './clusterState.ts';
import type { Refusal } from './refusals.ts';
import { singleItlRecovery } from '../releases.ts';
import { addSeconds, secondsBetween } from './step.ts';

/** Seconds a regeneration blocks the next one on the same node (SEED: five minutes). */
export const HOLD_SECONDS = 300;

/** Whether a node's hold timer has run out by `at` (or was never started, or the model runs without it). Pure. */
export function holdExpired(node: NodeState, at: string, options: ModelOptions): boolean {
  return !options.holdTimer || !node.lastRegen || secondsBetween(node.lastRegen.at, at) >= HOLD_SECONDS;
}

/** Time passes to `at`: a running hold timer that has run out stops (the model's decision of the node machine's TICK). Pure. */
export function tickHold(node: NodeState, at: string, options: ModelOptions): NodeState {
  return node.holdTimer === 'running' && holdExpired(node, at, options) ? { ...node, holdTimer: 'idle' } : node;
}

/**
 * Why `set cert regen` is refused for want of the certificate (docs/rules.md §15): CAPF exists on
 * every node before 14 and on the publisher only from 14; ITLRecovery exists from 10.0(1), and from
 * 12.5 the cluster's one is regenerated on the publisher (the subscribers hold its copy). Pure.
 */
export function missingCert(version: string, node: NodeState, cert: CertRegenerateEvent['cert']): Refusal | undefined {
  if (cert === 'CAPF' && !node.certs.CAPF) return { kind: 'capfNotOnNode', node: node.id };
  if (cert === 'ITLRecovery' && !node.certs.ITLRecovery) return { kind: 'noItlRecovery', node: node.id, version };
  if (cert === 'ITLRecovery' && singleItlRecovery(version) && node.role !== 'publisher')
    return { kind: 'itlRecoveryOnPublisher', node: node.id };
  return undefined;
}

/** The refusal of a regeneration while the hold timer runs (A6: the seed's message for any two certificates). Pure. */
export function holdRefusal(node: NodeState, cert: CertRegenerateEvent['cert']): Refusal {
  const last = node.lastRegen!;
  return { kind: 'holdTimer', node: node.id, lastCert: last.cert, cert, until: addSeconds(last.at, HOLD_SECONDS) };
}

/**
 * Why `set cert regen` is refused on a node whose hold timer is as `node.holdTimer` says (after time
 * passed to the event), if it is: the certificate missing, then the hold timer (A13). Pure.
 */
export function regenRefusal(
  state: Pick<ClusterState, 'version'>,
  node: NodeState,
  cert: CertRegenerateEvent['cert'],
): Refusal | undefined {
  return missingCert(state.version, node, cert) ?? (node.holdTimer === 'running' ? holdRefusal(node, cert) : undefined);
}
