/**
 * Replay is a fold (style.md convention 2): the log's events through a step, from the context before
 * the install. The step is the model's own (`evolve` with the model engine, `replayModel`) or the
 * cluster machine's transition (machines/replay.ts); both give the same contexts.
 */
import type { ModelOptions } from '../cluster/clusterState.ts';
import { modelOptions } from '../cluster/install.ts';
import { notOwning, owning } from '../cluster/phoneTable.ts';
import { lastRestartEnd } from '../cluster/step.ts';
import type { LogEvent } from '../events.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import { modelEngine } from './engine.ts';
import { evolve, type ClockEvent, type ClusterContext, type EventReport } from './evolve.ts';

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
  /** The model's switches; those not given keep their defaults. */
  options?: Partial<ModelOptions>;
  crypto?: TrustCrypto['name'];
  keepContexts?: boolean;
}

/** One step of a fold: the context after an event. */
export type FoldStep = (context: ClusterContext, event: LogEvent | ClockEvent) => ClusterContext;

/** The context before the install. Pure. */
export function emptyContext(opts: Pick<ReplayOptions, 'options' | 'crypto'> = {}): ClusterContext {
  return {
    cluster: null,
    events: 0,
    last: null,
    options: modelOptions(opts.options),
    crypto: opts.crypto ?? 'real',
  };
}

/**
 * Folds events from a context with a step, keeping every context when asked, then lets the restarts
 * under way end. A fold that keeps no context never reads a context it has stepped past, so it owns
 * its phones and writes them in place (model/cluster/phoneTable.ts): each event costs what it
 * changes, not the number of phones. `start` is never written. Pure.
 */
export function foldFrom(step: FoldStep, start: ClusterContext, events: LogEvent[], keepContexts = false): Replay {
  let context = start;
  const reports: EventReport[] = [];
  const contexts: ClusterContext[] = [];
  const run = () => {
    for (const event of events) {
      context = step(context, event);
      reports.push(context.last!);
      if (keepContexts) contexts.push(context);
    }
  };
  if (keepContexts) run();
  else owning(run);
  // The settled context is a new one: `final` stays as it is.
  return { ...settleWith(step, context), reports, ...(keepContexts ? { contexts } : {}) };
}

/** The final context, and the settled one: time passes until the last automatic restart ends. Pure. */
export function settleWith(step: FoldStep, context: ClusterContext): Pick<Replay, 'final' | 'settled' | 'settle'> {
  const end = context.cluster ? lastRestartEnd(context.cluster) : undefined;
  if (!end) return { final: context, settled: context };
  const after = notOwning(() => step(context, { type: 'clock', at: end }));
  return { final: context, settled: after, settle: after.last! };
}

/** The model's own step: `evolve` with the model engine. Pure. */
export const modelStep: FoldStep = (context, event) => evolve(context, event, modelEngine);

/** Replays a log with the model alone, no XState at all (the machines must agree: machines/replay.ts). Pure. */
export function replayModel(events: LogEvent[], opts: ReplayOptions = {}): Replay {
  return foldFrom(
    modelStep,
    emptyContext(opts),
    events.slice(0, Math.min(events.length, opts.until ?? events.length)),
    opts.keepContexts,
  );
}
