import type { LogEvent } from '../model/events.ts';

/** The events as JSON Lines (docs/log-format.md), `at` second, the way example logs are written: `itl-model replay` accepts it. Pure. */
export function toJsonLines(events: LogEvent[]): string {
  return events.map(({ type, at, ...rest }) => JSON.stringify({ type, at, ...rest })).join('\n');
}
