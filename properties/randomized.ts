/**
 * The randomized half of `check`: random logs replayed by the machines with real crypto, every
 * property checked after every event, and how the logs met the rules, refusals and event types.
 */
import fc from 'fast-check';
import type { CtlRule, ModelOptions, Rule } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { logArb } from './arbitraries.ts';
import { emptyCoverage, type Coverage } from './coverage.ts';
import { PROPERTIES, violations, type Property } from './registry.ts';
import { traceOf, type Trace } from './trace.ts';

/** How random logs met the rules, the refusals and the event types: the randomized half of the coverage report. Pure. */
export function traceCoverage(trace: Trace, into: Coverage = emptyCoverage()): Coverage {
  trace.events.forEach((e, i) => {
    into.events.set(e.type, (into.events.get(e.type) ?? 0) + 1);
    const report = trace.reports[i]!;
    for (const r of report.refusals) into.refusals.set(r.kind, (into.refusals.get(r.kind) ?? 0) + 1);
    const phones = trace.contexts[i]!.cluster?.phones ?? [];
    // The rules the boots of this event ended on: ITL steps, and CTL steps (a CTL decided at this event).
    const booted = report.booted.map((id) => phones.find((p) => p.id === id));
    const rules = new Set<Rule | CtlRule>([
      ...booted.map((p) => p?.lastDecision?.rule).filter((r): r is Rule => r !== undefined),
      ...booted
        .map((p) => (p?.ctl && p.ctl.event === i + 1 ? p.ctl.rule : undefined))
        .filter((r): r is CtlRule => r !== undefined),
    ]);
    for (const rule of rules) into.rules[rule] += 1;
  });
  return into;
}

/** What the randomized runs found: the first counterexample of each property (shrunk), and the coverage of the logs. */
export interface Randomized {
  found: Map<Property, LogEvent[]>;
  coverage: Coverage;
}

/**
 * Randomized runs with real crypto: the properties given (by default every property expected to hold)
 * after every prefix of `runs` random logs, replayed with the model options given. A violated property is then searched again from the same
 * seed with fast-check's shrinking, so its counterexample is the shrunk log, cut after the violating event.
 */
export function randomized(
  runs: number,
  seed: number,
  properties: readonly Property[] = PROPERTIES.filter((p) => p.expectedToHold),
  options?: Partial<ModelOptions>,
): Randomized {
  const found = new Map<Property, LogEvent[]>();
  const coverage = emptyCoverage();
  if (runs <= 0) return { found, coverage };
  for (const log of fc.sample(logArb(10), { seed, numRuns: runs })) {
    const trace = traceOf(log.events, options);
    traceCoverage(trace, coverage);
    for (const v of violations(
      trace,
      properties.filter((p) => !found.has(p)),
    ))
      found.set(v.property, log.events.slice(0, v.at + 1));
  }
  for (const property of found.keys()) {
    const first = (events: LogEvent[]) => violations(traceOf(events, options), [property])[0];
    const result = fc.check(
      fc.property(logArb(10), (log) => first(log.events) === undefined),
      { seed, numRuns: runs },
    );
    const shrunk = result.counterexample?.[0].events;
    const at = shrunk && first(shrunk)?.at;
    if (shrunk && at !== undefined && at + 1 <= found.get(property)!.length)
      found.set(property, shrunk.slice(0, at + 1));
  }
  return { found, coverage };
}
