import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { servedItl } from '../model/cluster/buildItls.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { describeEvent } from './describeEvent.ts';
import { reasonText } from './reasonText.ts';
import { phoneOutcome } from './lockedText.ts';
import { AUTO_RESTARTS_END, COLLAPSE_RUNS, phoneRunKey } from './replayText.ts';

/** How a phone stands after an event: `recovered` is trusted after having been locked. */
export type LaneState = 'absent' | 'noItl' | 'trusted' | 'locked' | 'recovered';

/** Whether a phone can fetch anything: plugged in, unplugged, or still restarting from an automatic reset (A14). */
export type Power = 'on' | 'off' | 'restarting';

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

/** A run of columns over which a lane did not change: one cell of the swimlane. */
export interface Cell {
  state: string;
  /** 0-based index of the first report of the run (its column's `from`). */
  from: number;
  /** 0-based index of its first column, and how many columns it spans. */
  column: number;
  span: number;
  text: string;
  title: string;
  /** The phone's power during the run (phone lanes only). */
  power?: Power;
}

/** One phone's lane: its cells, its outcome (the state after the last event) and its TVS list (lanes are grouped by both). */
export interface Lane {
  phone: string;
  outcome: LaneState;
  tvs: string[];
  cells: Cell[];
}

const WORDS: Record<LaneState, string> = {
  absent: 'not added yet',
  noItl: 'no ITL',
  trusted: 'trusted',
  locked: 'LOCKED (Trust List Update Failed)',
  recovered: 'trusted again (recovered after a lock)',
};

const POWER_WORDS: Record<Power, string> = { on: '', off: ', unplugged', restarting: ', restarting (automatic reset)' };

/** The lane state of a phone. Pure. */
export function laneState(phone: PhoneState | undefined): LaneState {
  return phone ? phoneOutcome(phone) : 'absent';
}

/** A phone's power at a time: unplugged, restarting until later, or on. Pure. */
export function powerOf(phone: PhoneState | undefined, at: string): Power {
  if (!phone || phone.online === false) return phone ? 'off' : 'on';
  return phone.restartingUntil !== undefined && Date.parse(phone.restartingUntil) > Date.parse(at)
    ? 'restarting'
    : 'on';
}

/** `#N type details (at)`: an event as a title's first line. Pure. */
export function eventLine(events: LogEvent[], reports: EventReport[], i: number): string {
  const report = reports[i]!;
  return `#${i + 1} ${report.type === 'clock' ? AUTO_RESTARTS_END : describeEvent(events[i]!)} (${report.at})`;
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

function phoneTitle(head: string, phone: PhoneState | undefined, state: LaneState, power: Power, n: number): string {
  const lines = [head, `${phone?.id ?? ''}: ${WORDS[state]}${phone ? ` (${phone.status}${POWER_WORDS[power]})` : ''}`];
  const decision = phone?.lastDecision;
  if (decision && decision.event === n)
    lines.push(
      `decided by ${decision.rule}${decision.failures.length ? `: ${decision.failures.map(reasonText).join('; ')}` : ''}`,
    );
  else if (decision) lines.push(`unchanged since #${decision.event}, decided by ${decision.rule}`);
  return lines.join('\n');
}

/** Splits a lane's values (one per column) into runs: a new cell starts where `same` says the value changed. */
function runs<T>(
  values: T[],
  columns: Column[],
  same: (a: T, b: T) => boolean,
  cell: (value: T, column: Column) => Omit<Cell, 'span' | 'from' | 'column'>,
): Cell[] {
  const cells: Cell[] = [];
  values.forEach((value, c) => {
    const last = cells[cells.length - 1];
    if (last && same(values[c - 1]!, value)) last.span++;
    else cells.push({ ...cell(value, columns[c]!), from: columns[c]!.from, column: c, span: 1 });
  });
  for (const cell of cells)
    if (cell.span > 1) cell.title += `\nunchanged through #${columns[cell.column + cell.span - 1]!.to + 1}`;
  return cells;
}

/** Where each phone sits in a phones array, built once per array and only when a phone is not where expected. */
const indexes = new WeakMap<PhoneState[], Map<string, number>>();

/** A phone of a context, looked up where it sits at the end (phones keep their place), else through the array's index. */
function phoneAt(context: ClusterContext, id: string, hint: number): PhoneState | undefined {
  const phones = context.cluster?.phones ?? [];
  const at = phones[hint];
  if (at?.id === id) return at;
  let index = indexes.get(phones);
  if (!index) indexes.set(phones, (index = new Map(phones.map((p, i) => [p.id, i]))));
  const i = index.get(id);
  return i === undefined ? undefined : phones[i];
}

/**
 * One lane per phone, in the order the log added them; a cell per run of columns that left the phone
 * untouched (a phone unplugged or restarting is a cell of its own). O(phones × columns). Pure.
 */
export function phoneLanes(
  events: LogEvent[],
  reports: EventReport[],
  contexts: ClusterContext[],
  columns: Column[],
  titles = true,
): Lane[] {
  const last = contexts[contexts.length - 1]?.cluster?.phones ?? [];
  return last.map((final, hint) => {
    const states = columns.map((col) => phoneAt(contexts[col.to]!, final.id, hint));
    const cells = runs(
      states,
      columns,
      (a, b) => a === b,
      (phone, col) => {
        const state = laneState(phone);
        const power = powerOf(phone, reports[col.to]!.at);
        const decided = phone?.lastDecision !== undefined && phone.lastDecision.event >= col.from + 1;
        return {
          state,
          power,
          text: decided ? phone.lastDecision!.rule : '',
          title: titles ? phoneTitle(eventLine(events, reports, col.to), phone, state, power, col.to + 1) : '',
        };
      },
    );
    return { phone: final.id, outcome: laneState(final), tvs: final.tvs, cells };
  });
}

/** How the ITL lanes label a file of each origin: a reset or an attacker's ITL must not look like a normal one. */
const ORIGIN_LABEL: Record<string, string> = {
  normal: '',
  reset: 'RESET ',
  forged: 'FORGED ',
  rollback: 'ROLLBACK ',
  ctl: 'CTL ',
};

/** One lane per TFTP node: the ITL it served after each column (origin, signer, SHA1), a cell per run of the same file. Pure. */
export function itlLanes(
  events: LogEvent[],
  reports: EventReport[],
  contexts: ClusterContext[],
  columns: Column[],
): { node: string; cells: Cell[] }[] {
  const nodes = (contexts[contexts.length - 1]?.cluster?.nodes ?? []).filter((n) => n.tftp).map((n) => n.id);
  const palette = new Map<string, number>();
  return nodes.map((id) => {
    const served = columns.map((col) => {
      const c = contexts[col.to]!;
      const node = c.cluster?.nodes.find((n) => n.id === id);
      const sha1 = node ? servedItl(node) : undefined;
      return sha1 ? c.cluster!.itls[sha1] : undefined;
    });
    const cells = runs(
      served,
      columns,
      (a, b) => a?.sha1 === b?.sha1,
      (itl, col) => {
        const head = eventLine(events, reports, col.to);
        if (!itl) return { state: 'absent', text: '', title: `${head}\n${id}: no ITL served` };
        if (!palette.has(itl.sha1)) palette.set(itl.sha1, palette.size);
        const origin = itl.corrupted ? 'BROKEN ' : (ORIGIN_LABEL[itl.origin] ?? '');
        const title = `${head}\n${id} serves ${itl.corrupted ? 'a copy with a broken signature of ' : ''}its ${itl.origin} ITL\nSHA1 ${itl.sha1}\nsigned by ${itl.signer.subject}`;
        const kind = itl.corrupted
          ? ' itl-broken'
          : itl.origin === 'forged' || itl.origin === 'reset'
            ? ` itl-${itl.origin}`
            : '';
        return {
          state: `itl itl${palette.get(itl.sha1)! % 8}${kind}`,
          text: `${origin}${itl.sha1.slice(0, 8)}`,
          title,
        };
      },
    );
    return { node: id, cells };
  });
}
