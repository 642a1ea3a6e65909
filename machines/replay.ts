import type { LogEvent } from '../model/events.ts';
import type { ClusterContext, EventReport } from '../model/replay/evolve.ts';
import {
  emptyContext,
  foldFrom,
  settleWith,
  type FoldStep,
  type Replay,
  type ReplayOptions,
} from '../model/replay/fold.ts';
import { clusterMachine } from './clusterMachine.ts';
import { inertScope } from './inertScope.ts';

export type { Replay, ReplayOptions } from '../model/replay/fold.ts';

/**
 * One scope for every step: xstate's `transition()` makes a throw-away actor per call, whose
 * construction computes the machine's initial context (without input: a thrown and caught
 * TypeError per log event, a sixth of a replay of 20,000 `phone.add` lines).
 */
const clusterScope = inertScope(clusterMachine);

/** The cluster machine's step: its pure transition from the persisted context (style.md convention 2). Pure. */
const machineStep: FoldStep = (context, event) => {
  const snapshot = clusterMachine.resolveState({ value: context.cluster ? 'running' : 'uninstalled', context });
  return clusterMachine.transition(snapshot, event, clusterScope).context;
};

/** Replays a log as a fold of the cluster machine's transition, the machines deciding. Pure. */
export function replay(events: LogEvent[], opts: ReplayOptions = {}): Replay {
  const count = Math.min(events.length, opts.until ?? events.length);
  return foldFrom(machineStep, emptyContext(opts), events.slice(0, count), opts.keepContexts);
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
  return settleWith(machineStep, context).settled;
}

/** Continues from a context with more events (what-if simulations, resumed replays). Pure. */
export function replayFrom(context: ClusterContext, events: LogEvent[]): Replay {
  return foldFrom(machineStep, context, events);
}
