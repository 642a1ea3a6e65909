import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { servedItl } from '../model/cluster/buildItls.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { Column } from './htmlColumns.ts';
import { describeEvent } from './describeEvent.ts';
import { reasonText } from './reasonText.ts';
import { phoneOutcome } from './lockedText.ts';
import { AUTO_RESTARTS_END } from './replayText.ts';

/** How a phone stands after an event: `recovered` is trusted after having been locked. */
export type LaneState = 'absent' | 'noItl' | 'trusted' | 'locked' | 'recovered';

/** Whether a phone can fetch anything: plugged in, unplugged, or still restarting from an automatic reset (A14). */
export type Power = 'on' | 'off' | 'restarting';

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
