import { initialTransition, transition } from 'xstate';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import { clusterMachine, type ClusterContext, type EventReport } from './clusterMachine.ts';

/** The result of a replay: the final context and the report of every event. */
export interface Replay {
  final: ClusterContext;
  reports: EventReport[];
  /** Every intermediate context, when asked for (timeline views, invariants on every prefix). */
  contexts?: ClusterContext[];
}

/** Options of a replay. */
export interface ReplayOptions {
  until?: number;
  options?: ModelOptions;
  crypto?: TrustCrypto['name'];
  keepContexts?: boolean;
}

/** Replays a log as a fold of the cluster machine's pure transition (style.md convention 2). Pure. */
export function replay(events: LogEvent[], opts: ReplayOptions = {}): Replay {
  let [snapshot] = initialTransition(clusterMachine, { options: opts.options, crypto: opts.crypto });
  const reports: EventReport[] = [];
  const contexts: ClusterContext[] = [];
  const count = Math.min(events.length, opts.until ?? events.length);
  for (const event of events.slice(0, count)) {
    [snapshot] = transition(clusterMachine, snapshot, event);
    reports.push(snapshot.context.last!);
    if (opts.keepContexts) contexts.push(snapshot.context);
  }
  return { final: snapshot.context, reports, ...(opts.keepContexts ? { contexts } : {}) };
}

/** Continues from a context with more events (what-if simulations, resumed replays). Pure. */
export function replayFrom(context: ClusterContext, events: LogEvent[]): Replay {
  let snapshot = clusterMachine.resolveState({ value: context.cluster ? 'running' : 'uninstalled', context: context as never });
  const reports: EventReport[] = [];
  for (const event of events) {
    [snapshot] = transition(clusterMachine, snapshot, event);
    reports.push(snapshot.context.last!);
  }
  return { final: snapshot.context, reports };
}
