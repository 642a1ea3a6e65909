import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { replay } from '../machines/replay.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';

/** A replayed log: its events, the context after each event, each event's report, and the options used. */
export interface Trace {
  events: LogEvent[];
  contexts: ClusterContext[];
  reports: EventReport[];
  options?: Partial<ModelOptions>;
}

/** A violation a check found: why (for the developer), and the phone it is about, when it is about one. */
export interface Finding {
  why: string;
  phone?: string;
}

/** A concrete check of the registry: at prefix `i` (0-based index of the last event) of a trace, what violates it, or null. */
export type ConcreteCheck = (trace: Trace, i: number) => Finding | null;

/** Replays a log keeping every context: the input of the concrete checks. Pure. */
export function traceOf(events: LogEvent[], options?: Partial<ModelOptions>, crypto?: 'real' | 'symbolic'): Trace {
  const result = replay(events, { keepContexts: true, ...(options ? { options } : {}), ...(crypto ? { crypto } : {}) });
  return { events, contexts: result.contexts!, reports: result.reports, ...(options ? { options } : {}) };
}

/** An ISO time `seconds` after `at`. Pure. */
export function later(at: string, seconds: number): string {
  return new Date(Date.parse(at) + seconds * 1000).toISOString();
}
