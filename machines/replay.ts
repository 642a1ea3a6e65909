import { initialTransition, transition } from 'xstate';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import { lastRestartEnd } from '../model/cluster/step.ts';
import type { LogEvent } from '../model/events.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import { clusterMachine, type ClusterContext, type EventReport } from './clusterMachine.ts';

/** The result of a replay: the final context and the report of every event. */
export interface Replay {
  /** The world right after the last event (what a later event continues from). */
  final: ClusterContext;
  /**
   * The world once the automatic restarts under way at the end of the log have ended (A14): what
   * the reports show. The same object as `final` when none is under way.
   */
  settled: ClusterContext;
  /** What the end of those restarts did (its `at` is when the last one ended), when there were any. */
  settle?: EventReport;
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
  return { ...settle(snapshot), reports, ...(opts.keepContexts ? { contexts } : {}) };
}

/** The final context, and the settled one: time passes until the last automatic restart ends. Pure. */
function settle(
  snapshot: ReturnType<typeof transition<typeof clusterMachine>>[0],
): Pick<Replay, 'final' | 'settled' | 'settle'> {
  const end = snapshot.context.cluster ? lastRestartEnd(snapshot.context.cluster) : undefined;
  if (!end) return { final: snapshot.context, settled: snapshot.context };
  const [after] = transition(clusterMachine, snapshot, { type: 'clock', at: end });
  return { final: snapshot.context, settled: after.context, settle: after.context.last! };
}

/**
 * The steps the reports show: the log's reports (and contexts, when kept), then, when automatic
 * restarts were under way at the end of the log, the step that ends them (A14). Pure.
 */
export function shownSteps(result: Replay): { reports: EventReport[]; contexts: ClusterContext[] } {
  const contexts = result.contexts ?? [];
  if (!result.settle) return { reports: result.reports, contexts };
  return { reports: [...result.reports, result.settle], contexts: [...contexts, result.settled] };
}

/** A context once the automatic restarts under way in it have ended (A14): time passes, no event. Pure. */
export function settleContext(context: ClusterContext): ClusterContext {
  const snapshot = clusterMachine.resolveState({
    value: context.cluster ? 'running' : 'uninstalled',
    context: context as never,
  });
  return settle(snapshot).settled;
}

/** Continues from a context with more events (what-if simulations, resumed replays). Pure. */
export function replayFrom(context: ClusterContext, events: LogEvent[]): Replay {
  let snapshot = clusterMachine.resolveState({
    value: context.cluster ? 'running' : 'uninstalled',
    context: context as never,
  });
  const reports: EventReport[] = [];
  for (const event of events) {
    [snapshot] = transition(clusterMachine, snapshot, event);
    reports.push(snapshot.context.last!);
  }
  return { ...settle(snapshot), reports };
}
