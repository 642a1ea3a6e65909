import { phoneTrust } from '../model/trust/boot.ts';
import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { servedItl } from '../model/cluster/buildItls.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { describeEvent } from './describeEvent.ts';
import { reasonText } from './reasonText.ts';
import { AUTO_RESTARTS_END } from './replayText.ts';

/** How a phone stands after an event: `recovered` is trusted after having been locked. */
export type LaneState = 'absent' | 'noItl' | 'trusted' | 'locked' | 'recovered';

/** A run of events over which a lane did not change: one cell of the swimlane. */
export interface Cell {
  state: string;
  /** 0-based index of the first event of the run. */
  from: number;
  span: number;
  text: string;
  title: string;
}

/** One phone's lane: its cells and its outcome (the state after the last event). */
export interface Lane {
  phone: string;
  outcome: LaneState;
  cells: Cell[];
}

const WORDS: Record<LaneState, string> = {
  absent: 'not added yet',
  noItl: 'no ITL',
  trusted: 'trusted',
  locked: 'LOCKED (Trust List Update Failed)',
  recovered: 'trusted again (recovered after a lock)',
};

/** The lane state of a phone. Pure. */
export function laneState(phone: PhoneState | undefined): LaneState {
  if (!phone) return 'absent';
  const trust = phoneTrust(phone);
  if (trust === 'trusted' && phone.lockedAt !== undefined) return 'recovered';
  return trust;
}

/** `#N type details (at)`: an event as a title's first line. Pure. */
export function eventLine(events: LogEvent[], reports: EventReport[], i: number): string {
  const report = reports[i]!;
  return `#${i + 1} ${report.type === 'clock' ? AUTO_RESTARTS_END : describeEvent(events[i]!)} (${report.at})`;
}

function phoneTitle(head: string, phone: PhoneState | undefined, state: LaneState, n: number): string {
  const lines = [head, `${phone?.id ?? ''}: ${WORDS[state]}${phone ? ` (${phone.status})` : ''}`];
  const decision = phone?.lastDecision;
  if (decision && decision.event === n)
    lines.push(
      `decided by ${decision.rule}${decision.failures.length ? `: ${decision.failures.map(reasonText).join('; ')}` : ''}`,
    );
  else if (decision) lines.push(`unchanged since #${decision.event}, decided by ${decision.rule}`);
  return lines.join('\n');
}

/** Splits a sequence into runs: a new cell starts where `key` changes or `touched` says the model acted on it. */
function runs<T>(
  values: T[],
  same: (a: T, b: T) => boolean,
  cell: (value: T, from: number) => Omit<Cell, 'span' | 'from'>,
): Cell[] {
  const cells: Cell[] = [];
  values.forEach((value, i) => {
    const last = cells[cells.length - 1];
    if (last && same(values[i - 1]!, value)) last.span++;
    else cells.push({ ...cell(value, i), from: i, span: 1 });
  });
  for (const c of cells) if (c.span > 1) c.title += `\nunchanged through #${c.from + c.span}`;
  return cells;
}

/** The phones of every context by id, built once per distinct phones array. */
function phoneMaps(contexts: ClusterContext[]): Map<string, PhoneState>[] {
  let previous: PhoneState[] | undefined;
  let map = new Map<string, PhoneState>();
  return contexts.map((c) => {
    const phones = c.cluster?.phones ?? [];
    if (phones !== previous) map = new Map(phones.map((p) => [p.id, p]));
    previous = phones;
    return map;
  });
}

/** One lane per phone, in the order the log added them; a cell per run of events that left the phone untouched. Pure. */
export function phoneLanes(events: LogEvent[], reports: EventReport[], contexts: ClusterContext[]): Lane[] {
  const maps = phoneMaps(contexts);
  const ids = contexts[contexts.length - 1]?.cluster?.phones.map((p) => p.id) ?? [];
  return ids.map((id) => {
    const states = maps.map((m) => m.get(id));
    const cells = runs(
      states,
      (a, b) => a === b,
      (phone, i) => {
        const state = laneState(phone);
        const decided = phone?.lastDecision?.event === i + 1;
        return {
          state,
          text: decided ? phone!.lastDecision!.rule : '',
          title: phoneTitle(eventLine(events, reports, i), phone, state, i + 1),
        };
      },
    );
    return { phone: id, outcome: laneState(states[states.length - 1]), cells };
  });
}

/** One lane per TFTP node: the ITL it served after each event (signer, SHA1), a cell per run of the same file. Pure. */
export function itlLanes(
  events: LogEvent[],
  reports: EventReport[],
  contexts: ClusterContext[],
): { node: string; cells: Cell[] }[] {
  const nodes = (contexts[contexts.length - 1]?.cluster?.nodes ?? []).filter((n) => n.tftp).map((n) => n.id);
  const palette = new Map<string, number>();
  return nodes.map((id) => {
    const served = contexts.map((c) => {
      const node = c.cluster?.nodes.find((n) => n.id === id);
      const sha1 = node ? servedItl(node) : undefined;
      return sha1 ? c.cluster!.itls[sha1] : undefined;
    });
    const cells = runs(
      served,
      (a, b) => a?.sha1 === b?.sha1,
      (itl, i) => {
        if (!itl) return { state: 'absent', text: '', title: `${eventLine(events, reports, i)}\n${id}: no ITL served` };
        if (!palette.has(itl.sha1)) palette.set(itl.sha1, palette.size);
        const title = `${eventLine(events, reports, i)}\n${id} serves its ${itl.origin} ITL\nSHA1 ${itl.sha1}\nsigned by ${itl.signer.subject}`;
        return { state: `itl itl${palette.get(itl.sha1)! % 8}`, text: itl.sha1.slice(0, 8), title };
      },
    );
    return { node: id, cells };
  });
}
