/**
 * A safer order for a plan that locks phones: a bounded search of the small space of plans that do
 * the same commands, in another order, with waits inserted (for the automatic resets, A14, and the
 * hold timer, A6), a `reset all` inserted, or `utils service restart Cisco Tftp` placed on the TFTP
 * nodes. Each candidate is run by the model from the same start; the score is, in order: commands
 * refused, phones that lock at some step or are locked or at risk at the end, steps added, and the
 * plan's length in time. The candidates are enumerated in a fixed order, fewest changes first, and
 * the search stops at the first that leaves no phone in trouble, or at its budget of candidates or
 * time (and says so). When no candidate is better, it says why for each phone still in trouble.
 * Pure but for the time budget, which reads the clock the caller gives (`SearchBudget.now`).
 */
import { HOLD_SECONDS } from '../cluster/holdTimer.ts';
import { AUTO_RESET_SECONDS } from '../cluster/step.ts';
import type { LogEvent } from '../events.ts';
import type { ClusterContext } from '../replay/evolve.ts';
import type { RuleFailure } from '../trust/ruleFailures.ts';
import type { Rule } from '../cluster/clusterState.ts';
import { COMMAND_SECONDS } from './plan.ts';
import { phonesInTrouble, troubledPhones, type PlanAnalysis } from './runPlan.ts';

/** One line of a candidate plan. */
export type PlanItem =
  | { kind: 'command'; index: number }
  | { kind: 'wait'; seconds: number }
  | { kind: 'resetAll' }
  | { kind: 'tftpRestart'; node: string };

/** A line of the proposed plan, as typed, and how it differs from the original. */
export interface ProposedLine {
  text: string;
  /** `kept`: the original's, in its place; `moved`: the original's, elsewhere; `added`: new. */
  change: 'kept' | 'moved' | 'added';
  /** The original plan line of a command. */
  line?: number;
}

/** How a candidate fared. */
export interface Score {
  refused: number;
  /** Phones that locked at some step, or are locked or at risk at the end. */
  troubled: string[];
  added: number;
  seconds: number;
}

/** Why a phone is still in trouble in the best plan found. */
export interface StillTroubled {
  phone: string;
  /** Unplugged from the start to the end of the plan: it boots only when it comes back, against the end state. */
  offlineThroughout: boolean;
  /** Its TVS list (CallManager group) and TFTP node. */
  tvs: string[];
  tftp: string;
  rule: Rule | null;
  failures: RuleFailure[];
}

/** The search's answer. */
export interface SaferOrder {
  original: Score;
  /** The best plan found, when it is better than the original. */
  better: { lines: ProposedLine[]; score: Score } | null;
  tried: number;
  /**
   * Why it stopped: the plan puts no phone in trouble (no search), it found a plan with none, it
   * tried every candidate, or it hit its budget.
   */
  stopped: 'not-needed' | 'found' | 'exhausted' | 'candidates' | 'time';
  /** Phones still in trouble in the best plan (the original when none is better), and why. */
  why: StillTroubled[];
}

/** The search's budget. */
export interface SearchBudget {
  maxCandidates: number;
  maxMillis: number;
  /** The clock the time budget reads (the CLI's; tests inject one): the model reads none. */
  now: () => number;
}

/** The default budget: a few hundred candidates, 20 seconds. */
export const DEFAULT_BUDGET: Omit<SearchBudget, 'now'> = { maxCandidates: 300, maxMillis: 20_000 };

/** Waits the search inserts: until automatic restarts have ended, and until the hold timer has run out. */
const RESTARTS_WAIT = AUTO_RESET_SECONDS + COMMAND_SECONDS;
const HOLD_WAIT = HOLD_SECONDS;

/** Permutations of 0..n-1 in lexicographic order (the identity first); for n > 6, only the identity and adjacent swaps. */
function* permutations(n: number): Generator<number[]> {
  const identity = [...Array(n).keys()];
  if (n > 6) {
    yield identity;
    for (let i = 0; i + 1 < n; i++) {
      const p = identity.slice();
      [p[i], p[i + 1]] = [p[i + 1]!, p[i]!];
      yield p;
    }
    return;
  }
  const p = identity.slice();
  while (true) {
    yield p.slice();
    let i = n - 2;
    while (i >= 0 && p[i]! > p[i + 1]!) i--;
    if (i < 0) return;
    let j = n - 1;
    while (p[j]! < p[i]!) j--;
    [p[i], p[j]] = [p[j]!, p[i]!];
    p.splice(i + 1, n - i - 1, ...p.slice(i + 1).reverse());
  }
}

/** The original plan as items: each command after the wait that preceded it. Pure. */
export function itemsOf(events: LogEvent[], startAt: string): PlanItem[] {
  const items: PlanItem[] = [];
  let at = startAt;
  events.forEach((event, index) => {
    const gap = (Date.parse(event.at) - Date.parse(at)) / 1000 - COMMAND_SECONDS;
    if (gap > 0) items.push({ kind: 'wait', seconds: gap });
    items.push({ kind: 'command', index });
    at = event.at;
  });
  return items;
}

/** A candidate's commands with the given gap policy between them (never shorter than the original gaps). */
function withGaps(order: number[], originalGaps: number[], minimum: number): PlanItem[] {
  const items: PlanItem[] = [];
  order.forEach((index, k) => {
    const gap = k === 0 ? (originalGaps[index] ?? 0) : Math.max(minimum, originalGaps[index] ?? 0);
    if (gap > 0) items.push({ kind: 'wait', seconds: gap });
    items.push({ kind: 'command', index });
  });
  return items;
}

/** Inserts items after the k-th command of a candidate (k from 0). */
function insertAfter(items: PlanItem[], k: number, added: PlanItem[]): PlanItem[] {
  let seen = -1;
  const at = items.findIndex((item) => item.kind === 'command' && ++seen === k);
  return [...items.slice(0, at + 1), ...added, ...items.slice(at + 1)];
}

/** The candidates, in their fixed order. */
function* candidates(count: number, gaps: number[], tftpNodes: string[]): Generator<PlanItem[]> {
  const orders = [...permutations(count)];
  // 1. The same order with waits for the automatic restarts, then for the hold timer; 2. every other order, likewise.
  for (const order of orders) {
    if (order !== orders[0]) yield withGaps(order, gaps, 0);
    yield withGaps(order, gaps, RESTARTS_WAIT);
    yield withGaps(order, gaps, HOLD_WAIT);
  }
  // 3. A reset all, or a TFTP restart on every TFTP node (then on each), after one command, with the hold timer's waits.
  const settle: PlanItem = { kind: 'wait', seconds: RESTARTS_WAIT };
  for (const order of orders)
    for (let k = 0; k < count; k++) {
      const base = withGaps(order, gaps, HOLD_WAIT);
      yield insertAfter(base, k, [{ kind: 'resetAll' }, settle]);
      const restarts = tftpNodes.map((node): PlanItem => ({ kind: 'tftpRestart', node }));
      yield insertAfter(base, k, [...restarts, settle]);
      yield insertAfter(base, k, [...restarts, settle, { kind: 'resetAll' }, settle]);
      if (tftpNodes.length > 1)
        for (const node of tftpNodes) yield insertAfter(base, k, [{ kind: 'tftpRestart', node }, settle]);
    }
}

/** A candidate's events, timed from the start: a minute per command, plus its waits. Pure. */
export function eventsOf(items: PlanItem[], events: LogEvent[], startAt: string): LogEvent[] {
  let at = Date.parse(startAt);
  const out: LogEvent[] = [];
  for (const item of items) {
    if (item.kind === 'wait') {
      at += item.seconds * 1000;
      continue;
    }
    at += COMMAND_SECONDS * 1000;
    const when = new Date(at).toISOString();
    if (item.kind === 'command') out.push({ ...events[item.index]!, at: when });
    else if (item.kind === 'resetAll') out.push({ type: 'devices.reset', at: when });
    else out.push({ type: 'tftp.restart', at: when, node: item.node });
  }
  return out;
}

/** Runs a candidate from the start and scores it. Pure. */
export function scoreOf(
  analysis: PlanAnalysis,
  start: ClusterContext,
  items: PlanItem[],
  events: LogEvent[],
  startAt: string,
): Score {
  const timed = eventsOf(items, events, startAt);
  const run = analysis.replayFrom(start, timed);
  const locked = run.reports.flatMap((r) => [...r.locked, ...(r.ended?.locked ?? [])]);
  const troubled = [
    ...new Set([...locked, ...(run.settle?.ended?.locked ?? []), ...troubledPhones(analysis, run.settled, startAt)]),
  ];
  const refused = run.reports.filter((r) => r.refusals.length > 0).length;
  const added = items.filter((i) => i.kind === 'resetAll' || i.kind === 'tftpRestart').length;
  const last = timed.length ? Date.parse(timed[timed.length - 1]!.at) : Date.parse(startAt);
  return { refused, troubled: troubled.sort(), added, seconds: (last - Date.parse(startAt)) / 1000 };
}

/** Whether score a is better than b (refusals, phones in trouble, steps added, time). */
function better(a: Score, b: Score): boolean {
  const key = (s: Score) => [s.refused, s.troubled.length, s.added, s.seconds];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

/** `wait` in the plan syntax: the largest unit that divides it. Pure. */
export function waitLine(seconds: number): string {
  if (seconds % 3600 === 0) return `wait ${seconds / 3600}h`;
  if (seconds % 60 === 0) return `wait ${seconds / 60}m`;
  return `wait ${seconds}s`;
}

/** The proposed lines of a candidate, against the original's. Pure. */
function proposedLines(items: PlanItem[], texts: string[], lines: number[]): ProposedLine[] {
  let k = 0;
  return items.map((item): ProposedLine => {
    if (item.kind === 'wait') return { text: waitLine(item.seconds), change: 'added' };
    if (item.kind === 'resetAll') return { text: 'reset all', change: 'added' };
    if (item.kind === 'tftpRestart')
      return { text: `utils service restart Cisco Tftp on ${item.node}`, change: 'added' };
    const change = item.index === k ? 'kept' : 'moved';
    k++;
    return { text: texts[item.index]!, change, line: lines[item.index]! };
  });
}

/**
 * Searches for a safer order of a plan's events (`texts`: each command as the plan typed it,
 * `lines`: its plan line), run from `start` (the end of the log, at `startAt`). Deterministic for a
 * given budget; only the time budget depends on the clock.
 */
export function saferOrder(
  analysis: PlanAnalysis,
  start: ClusterContext,
  events: LogEvent[],
  texts: string[],
  lines: number[],
  startAt: string,
  budget: SearchBudget,
): SaferOrder {
  const now = budget.now;
  const began = now();
  const originalItems = itemsOf(events, startAt);
  const original = scoreOf(analysis, start, originalItems, events, startAt);
  const gaps: number[] = [];
  originalItems.forEach((item, i) => {
    if (item.kind === 'command')
      gaps[item.index] =
        originalItems[i - 1]?.kind === 'wait' ? (originalItems[i - 1] as { seconds: number }).seconds : 0;
  });
  const tftpNodes = start.cluster!.nodes.filter((n) => n.tftp).map((n) => n.id);
  let best: { items: PlanItem[]; score: Score } = { items: originalItems, score: original };
  let tried = 0;
  let stopped: SaferOrder['stopped'] = 'exhausted';
  if (original.troubled.length > 0) {
    for (const items of candidates(events.length, gaps, tftpNodes)) {
      if (tried >= budget.maxCandidates) {
        stopped = 'candidates';
        break;
      }
      if (now() - began > budget.maxMillis) {
        stopped = 'time';
        break;
      }
      tried++;
      const score = scoreOf(analysis, start, items, events, startAt);
      // A candidate may not refuse more commands than the original: it would do less.
      if (score.refused <= original.refused && better(score, best.score)) best = { items, score };
      if (best.score.troubled.length === 0 && best.score.refused === 0) {
        stopped = 'found';
        break;
      }
    }
  } else stopped = 'not-needed';
  const improved = best.items !== originalItems;
  return {
    original,
    better: improved ? { lines: proposedLines(best.items, texts, lines), score: best.score } : null,
    tried,
    stopped,
    why: whyStill(analysis, start, best.items, events, startAt),
  };
}

/** Why each phone still in trouble at the end of a candidate is. Pure. */
function whyStill(
  analysis: PlanAnalysis,
  start: ClusterContext,
  items: PlanItem[],
  events: LogEvent[],
  startAt: string,
): StillTroubled[] {
  const timed = eventsOf(items, events, startAt);
  const end = analysis.replayFrom(start, timed).settled;
  const powered = new Set(timed.flatMap((e) => (e.type === 'phone.power' ? [e.phone] : [])));
  return phonesInTrouble(analysis, end, startAt).map((t) => {
    const phone = start.cluster!.phones.find((p) => p.id === t.phone);
    return {
      phone: t.phone,
      offlineThroughout: !!phone && !phone.online && !powered.has(t.phone),
      tvs: phone?.tvs ?? [],
      tftp: phone?.pendingTftp ?? phone?.tftp ?? '',
      rule: t.rule,
      failures: t.failures,
    };
  });
}
