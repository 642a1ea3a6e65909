/**
 * The time axis of the HTML report's swimlanes: which events make a column (a run of like phone events
 * is one, and a long log zooms to its incident window) and what each column is called. The lanes
 * (cli/htmlLanes.ts) only fill these columns, so how the axis is cut is a module of its own. Pure.
 */
import type { EventReport } from '../machines/clusterMachine.ts';
import type { LogEvent } from '../model/events.ts';
import { describeEvent } from './describeEvent.ts';
import { COLLAPSE_RUNS, phoneRunKey } from './replayText.ts';

/**
 * A column of the swimlanes: one event, or a run of more than COLLAPSE_RUNS like phone events
 * (the `phone.add` preamble, say) shown as one column, the state after its last event.
 */
export interface Column {
  /** 0-based indexes of its first and last report. */
  from: number;
  to: number;
  /** Its name on the time axis: the time of day and a short form of the event. */
  label: string;
  /** Every event it stands for, and what each caused (cli/replayText.ts). */
  title: string;
  /** An event that changed the cluster (not one phone's): marked on the axis. */
  landmark: boolean;
  /** The events before or after the incident window, folded into one column. */
  fold?: true;
}

/** The time of day of an ISO time (`10:24:27`), or the whole time when it has another form. Pure. */
const timeOfDay = (at: string) => /T(\d{2}:\d{2}:\d{2})/.exec(at)?.[1] ?? at;

/** An event's name on the time axis: short, without the phone's ITL details. Pure. */
function axisName(events: LogEvent[], report: EventReport, i: number): string {
  if (report.type === 'clock') return 'restarts end';
  const text = describeEvent(events[i]!)
    .replace(/^set cert regen /, 'regen ')
    .replace(/^utils itl reset (localkey|remotekey) .* on (\S+)$/, 'itl reset $1 on $2')
    .replace(/^file get tftp ITLRecovery\.p12 on (\S+) .*$/, 'backup ITLRecovery on $1')
    .replace(/ tftp=.*$/, '');
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}

/**
 * The swimlanes' columns: one per report, but a run of more than COLLAPSE_RUNS like phone events is one
 * column (the report says so on the axis: `phone.add x500`). Pure.
 */
export function columnsOf(events: LogEvent[], reports: EventReport[], describe: (i: number) => string): Column[] {
  const key = (i: number) => (reports[i]!.type === 'clock' ? undefined : phoneRunKey(events[i]!, reports[i]!));
  const columns: Column[] = [];
  for (let i = 0; i < reports.length; i++) {
    const k = key(i);
    let j = i + 1;
    while (k && j < reports.length && key(j) === k) j++;
    const r = reports[i]!;
    if (j - i > COLLAPSE_RUNS) {
      columns.push({
        from: i,
        to: j - 1,
        label: `${timeOfDay(r.at)} ${k} x${j - i}`,
        title: `#${i + 1}..#${j} ${k} x${j - i} (${r.at} .. ${reports[j - 1]!.at})\n${describe(i)} .. ${describe(j - 1)}`,
        landmark: false,
      });
      i = j - 1;
    } else
      columns.push({
        from: i,
        to: i,
        label: `${timeOfDay(r.at)} ${axisName(events, r, i)}`,
        title: describe(i),
        landmark: r.type === 'clock' || !('phone' in events[i]!),
      });
  }
  return zoomed(columns, reports);
}

/** Above this many columns the lanes zoom to the incident window. */
export const ZOOM_ABOVE = 60;

/** Columns kept on each side of the incident window. */
const ZOOM_MARGIN = 5;

/**
 * The incident window, when there are more than ZOOM_ABOVE columns: from ZOOM_MARGIN columns before the
 * first one where a phone locked or recovered, a command was refused or a cluster command took effect
 * (not the install), to ZOOM_MARGIN after the last; what lies before and after is one column each (its state the state at its end). Pure.
 */
function zoomed(columns: Column[], reports: EventReport[]): Column[] {
  if (columns.length <= ZOOM_ABOVE) return columns;
  const eventful = (c: Column) =>
    reports
      .slice(c.from, c.to + 1)
      .some(
        (r) =>
          r.locked.length ||
          r.recovered.length ||
          r.refusals.length ||
          r.ended?.locked.length ||
          (c.landmark && r.type !== 'cluster.install' && r.notes.length),
      );
  const first = columns.findIndex(eventful);
  if (first < 0) return columns;
  const last = columns.length - 1 - [...columns].reverse().findIndex(eventful);
  const a = Math.max(0, first - ZOOM_MARGIN);
  const b = Math.min(columns.length - 1, last + ZOOM_MARGIN);
  const merge = (x: number, y: number, where: string): Column[] => {
    if (y < x) return [];
    const from = columns[x]!.from;
    const to = columns[y]!.to;
    return [
      {
        from,
        to,
        label: `${timeOfDay(reports[from]!.at)} ${to - from + 1} events ${where}`,
        title: `#${from + 1}..#${to + 1}: ${to - from + 1} events ${where} the incident window (${reports[from]!.at} .. ${reports[to]!.at})`,
        landmark: false,
        fold: true,
      },
    ];
  };
  return [...merge(0, a - 1, 'before'), ...columns.slice(a, b + 1), ...merge(b + 1, columns.length - 1, 'after')];
}
