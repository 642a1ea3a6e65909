import type { Replay } from '../machines/replay.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { phoneStory, type PhoneStory } from './explain.ts';
import { PROPERTIES, violations, type Property } from './registry.ts';
import type { Trace } from './trace.ts';

/** A property a user's log violates: where, about which phone, under which model options, and that phone's story. */
export interface LogViolation {
  property: Property;
  /** 1-based event of the first violation. */
  event: number;
  phone?: string;
  why: string;
  /** The model options the log was replayed with, off their defaults (`{ holdTimer: false }` with `--no-hold-timer`). */
  options: Partial<ModelOptions>;
  story?: PhoneStory;
}

/**
 * Up to this many phone-events (events × phones) a log is checked after every event; a larger one only
 * after its last event, since several checks replay what-if continuations of the whole cluster.
 */
export const EVERY_EVENT_BUDGET = 20_000;

/** The properties a log violates, and whether they were checked after every event or after the last one only. */
export interface LogCheck {
  violations: LogViolation[];
  checkedAfter: 'every event' | 'the last event';
}

/**
 * Checks a replayed log against every property of the registry (a user's incident, not only the
 * checker's logs): after every event when the log is small enough, else after its last event. The
 * replay must have kept its contexts. Pure.
 */
export function checkLog(events: LogEvent[], result: Replay, options: Partial<ModelOptions>): LogCheck {
  if (!result.contexts) throw new Error('bug: checkLog needs the replay contexts (keepContexts)');
  const full: Trace = {
    events: events.slice(0, result.reports.length),
    contexts: result.contexts,
    reports: result.reports,
    options,
  };
  const phones = result.final.cluster?.phones.length ?? 0;
  const every = full.events.length * Math.max(phones, 1) <= EVERY_EVENT_BUDGET;
  const found = every ? violations(full, PROPERTIES) : lastEventViolations(full);
  const list = found.map((v) => {
    const story = v.phone === undefined ? undefined : phoneStory(full, v.phone, v.at);
    return {
      property: v.property,
      event: v.at + 1,
      ...(v.phone ? { phone: v.phone } : {}),
      why: v.why,
      options: shownOptions(options),
      ...(story ? { story } : {}),
    };
  });
  return { violations: list, checkedAfter: every ? 'every event' : 'the last event' };
}

/** The options a violation shows: the hold timer when it is off, and the switches given. Pure. */
function shownOptions(options: Partial<ModelOptions>): Partial<ModelOptions> {
  const { holdTimer, ...switches } = options;
  return { ...(holdTimer === false ? { holdTimer: false } : {}), ...switches };
}

/** Every property checked at the last prefix of a trace only. */
function lastEventViolations(trace: Trace) {
  const last = trace.events.length - 1;
  return PROPERTIES.flatMap((property) => {
    const finding = last >= 0 ? property.concrete(trace, last) : null;
    return finding ? [{ property, at: last, ...finding }] : [];
  });
}
