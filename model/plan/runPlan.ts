/**
 * A plan run against the model: the log (or the imported cluster) replayed, then the plan's events
 * continued one at a time from its end. Per step: what the command did (its refusals), the phones
 * that locked or recovered (the fold's own outcomes, the automatic restarts the step started
 * included), the phones put at risk (not locked, but a boot now would lock them: each is booted on a
 * copy of the world), and whether every phone in trouble can still be brought back by a command
 * (the diagnosis of machines/diagnose.ts, given as `PlanAnalysis`: the model does not reach up into
 * machines/). The first step after which some phone cannot is the point of no return. Outcomes are
 * typed data; cli/plan*.ts renders them. Pure.
 */
import type { Replay } from '../replay/fold.ts';
import type { ClusterContext, EventReport, RestartsEnded } from '../replay/evolve.ts';
import type { PhoneOutcome } from '../replay/runPhones.ts';
import type { PhoneState, Rule } from '../cluster/clusterState.ts';
import type { Refusal } from '../cluster/refusals.ts';
import type { LogEvent } from '../events.ts';
import { phoneTrust } from '../trust/boot.ts';
import type { RuleFailure } from '../trust/ruleFailures.ts';

/** What a plan run needs of a diagnosis: the cheapest way back for a locked phone. */
export interface DiagnosisLike {
  phone: string;
  recovery: string;
}

/**
 * What a plan run delegates to the layer above: continuing the world with events (the cluster
 * machine's fold, machines/replay.ts `replayFrom`), diagnosing a locked phone (machines/diagnose.ts),
 * and which recoveries take a visit.
 */
export interface PlanAnalysis<D extends DiagnosisLike = DiagnosisLike> {
  replayFrom(context: ClusterContext, events: LogEvent[]): Replay;
  diagnose(context: ClusterContext, phone: string, at: string): D;
  visit(recovery: D['recovery']): boolean;
}

/** A phone in trouble after a step: locked now, or not locked but a boot now would lock it. */
export interface PhoneRisk<D extends DiagnosisLike = DiagnosisLike> {
  phone: string;
  /** `locked`: it is; `at-risk`: its next boot (reset, or plugged in again) locks it. */
  state: 'locked' | 'at-risk';
  online: boolean;
  /** The rule its (simulated) boot ended on, and why the earlier rules did not accept the ITL. */
  rule: Rule | null;
  failures: RuleFailure[];
  /** The cheapest way back once it has locked (the diagnosis), and whether it takes a visit. */
  recovery: D['recovery'];
  visit: boolean;
  diagnosis: D;
}

/** One step of the plan and what it caused. */
export interface PlanStep<D extends DiagnosisLike = DiagnosisLike> {
  /** 1-based line of the plan. */
  line: number;
  event: LogEvent;
  refusals: Refusal[];
  /** Phones that locked from this step until the next (at once, or as automatic restarts under way ended). */
  locked: string[];
  recovered: string[];
  /** Phones at risk after this step that were not before it. */
  atRisk: string[];
  /** Phones at risk before this step that are not after it (they took a good ITL, or were recovered). */
  safe: string[];
  /** Phones this step sent an automatic reset (A14): they boot AUTO_RESET_SECONDS later. */
  reset: string[];
  /** Phones that booted from this step until the next: at once, or as automatic restarts under way ended. */
  booted: string[];
  /** Every phone in trouble once this step's automatic restarts have ended, if nothing else were done. */
  trouble: PhoneRisk<D>[];
  /** The fold's report of this step's event. */
  report: EventReport;
  /** What the automatic restarts this step started did when they ended (before the next step, or at the end). */
  restartsEnded: RestartsEnded | null;
  /** The world after the step once its automatic restarts have ended (what the MOP verifies). */
  settled: ClusterContext;
}

/** A whole plan run. */
export interface PlanRun<D extends DiagnosisLike = DiagnosisLike> {
  /** The world the plan starts from (the end of the log). */
  start: ClusterContext;
  /** Phones in trouble before the first step. */
  before: PhoneRisk<D>[];
  steps: PlanStep<D>[];
  /** The world after the last step once the automatic restarts have ended. */
  end: ClusterContext;
  /** Phones in trouble at the end (locked or at risk), with their recovery. */
  trouble: PhoneRisk<D>[];
  /**
   * Index (0-based) of the first step after which some phone can be brought back only by a visit (a
   * phone that did not need one before the plan); null when none.
   */
  pointOfNoReturn: number | null;
  /** Every phone that locked at some step (in the order they locked). */
  lockedEver: string[];
}

const later = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

/** What decides a phone's next boot: phones that agree on all of it boot the same way. */
function bootKey(p: PhoneState): string {
  return JSON.stringify([
    p.itl,
    p.pendingTftp ?? p.tftp,
    p.tvs,
    p.ctl?.file,
    p.ctl?.state,
    p.sbd,
    p.firmware,
    p.trust,
    p.online,
    p.securityProfile,
    p.unloadableItl,
  ]);
}

/** The event that boots a phone now: a reset when it is plugged in, else plugging it in. */
function bootEvent(phone: PhoneState, at: string): LogEvent {
  return phone.online
    ? { type: 'phone.reset', at, phone: phone.id }
    : { type: 'phone.power', at, phone: phone.id, on: true };
}

/** The time of a context: its last report's (the end of its restarts when settled). */
function timeOf(context: ClusterContext, fallback?: string): string {
  const at = context.last?.at ?? fallback;
  if (!at) throw new Error('bug: a context with no time');
  return at;
}

type Found<D extends DiagnosisLike> = Omit<PhoneRisk<D>, 'phone'>;

/**
 * Every phone in trouble in a settled context: the locked ones (diagnosed there) and the ones a boot
 * now would lock (booted on a copy of the world, one phone per group of phones that boot alike,
 * diagnosed after that boot). Pure.
 */
export function phonesInTrouble<D extends DiagnosisLike>(
  analysis: PlanAnalysis<D>,
  context: ClusterContext,
  fallbackAt?: string,
): PhoneRisk<D>[] {
  const cluster = context.cluster!;
  const at = timeOf(context, fallbackAt);
  const byGroup = new Map<string, Found<D> | null>();
  const out: PhoneRisk<D>[] = [];
  for (const phone of cluster.phones) {
    const key = bootKey(phone);
    if (!byGroup.has(key)) byGroup.set(key, troubleOf(analysis, context, phone, at));
    const found = byGroup.get(key);
    // The group's diagnosis is its first phone's; the others boot alike (their remedy names them alike).
    if (found)
      out.push({ ...found, phone: phone.id, online: phone.online, diagnosis: { ...found.diagnosis, phone: phone.id } });
  }
  return out;
}

/** Whether a phone is locked, or a boot now locks it (on a copy of the world): where and how it ends. Pure. */
function bootCheck(
  analysis: PlanAnalysis<DiagnosisLike>,
  context: ClusterContext,
  phone: PhoneState,
  at: string,
): { state: PhoneRisk['state']; where: ClusterContext; after: PhoneState; when: string } | null {
  if (phoneTrust(phone) === 'locked') return { state: 'locked', where: context, after: phone, when: at };
  // A phone with no ITL takes the first it is offered (R0); only a phone holding files can lock.
  if (phone.itl === null && !phone.ctl) return null;
  const when = later(at, 60);
  const booted = analysis.replayFrom(context, [bootEvent(phone, when)]).settled;
  const after = booted.cluster!.phones.find((p) => p.id === phone.id)!;
  return phoneTrust(after) === 'locked' ? { state: 'at-risk', where: booted, after, when } : null;
}

/** One phone's trouble, or null when it is fine and stays fine on its next boot. Pure. */
function troubleOf<D extends DiagnosisLike>(
  analysis: PlanAnalysis<D>,
  context: ClusterContext,
  phone: PhoneState,
  at: string,
): Found<D> | null {
  const check = bootCheck(analysis, context, phone, at);
  if (!check) return null;
  const diagnosis = analysis.diagnose(check.where, phone.id, check.when);
  return {
    state: check.state,
    online: phone.online,
    rule: check.after.lastDecision?.rule ?? null,
    failures: check.after.lastDecision?.failures ?? [],
    recovery: diagnosis.recovery,
    visit: analysis.visit(diagnosis.recovery),
    diagnosis,
  };
}

/** The phones of a settled context that are locked or that a boot now would lock (no diagnosis: the search's score). Pure. */
export function troubledPhones(
  analysis: PlanAnalysis<DiagnosisLike>,
  context: ClusterContext,
  fallbackAt?: string,
): string[] {
  const cluster = context.cluster!;
  const at = timeOf(context, fallbackAt);
  const byGroup = new Map<string, boolean>();
  return cluster.phones
    .filter((phone) => {
      const key = bootKey(phone);
      if (!byGroup.has(key)) byGroup.set(key, bootCheck(analysis, context, phone, at) !== null);
      return byGroup.get(key)!;
    })
    .map((p) => p.id);
}

/** Options of a plan run. */
export interface RunPlanOptions {
  /** The time the plan starts at (the end of the log, or when the folder was taken): a start with no event yet has none. */
  startAt?: string;
}

/**
 * Runs the plan's events from `start` (a replay's `final` context: the end of the log), one step at
 * a time. `lines` are the plan lines of the events. Pure.
 */
export function runPlan<D extends DiagnosisLike>(
  analysis: PlanAnalysis<D>,
  start: ClusterContext,
  events: LogEvent[],
  lines: number[],
  options: RunPlanOptions = {},
): PlanRun<D> {
  const settle = (c: ClusterContext) => analysis.replayFrom(c, []).settled;
  let context = start;
  const initial = phonesInTrouble(analysis, settle(start), options.startAt);
  let before = initial;
  // Phones that already need a visit before the plan do not make its point of no return.
  const visitBefore = new Set(initial.filter((t) => t.visit).map((t) => t.phone));
  const raw: Array<{ report: EventReport; next: ClusterContext; reset: string[] }> = [];
  for (const event of events) {
    const previous = new Map(context.cluster!.phones.map((p) => [p.id, p.restartingUntil]));
    context = analysis.replayFrom(context, [event]).final;
    const reset = context
      .cluster!.phones.filter((p) => p.restartingUntil !== undefined && p.restartingUntil !== previous.get(p.id))
      .map((p) => p.id);
    raw.push({ report: context.last!, next: context, reset });
  }
  const last = analysis.replayFrom(context, []);
  const endReport = last.settle;
  const steps: PlanStep<D>[] = [];
  const lockedEver: string[] = [];
  let pointOfNoReturn: number | null = null;
  raw.forEach(({ report, next, reset }, i) => {
    // Restarts under way end before the next step, or at the end of the plan.
    const restartsEnded = i + 1 < raw.length ? raw[i + 1]!.report.ended : (endReport?.ended ?? null);
    const outcomes: PhoneOutcome[] = [report, ...(restartsEnded ? [restartsEnded] : [])];
    const locked = unique(outcomes.flatMap((r) => r.locked));
    const recovered = unique(outcomes.flatMap((r) => r.recovered));
    const booted = unique(outcomes.flatMap((r) => r.booted));
    for (const id of locked) if (!lockedEver.includes(id)) lockedEver.push(id);
    const settled = i + 1 < raw.length ? settle(next) : last.settled;
    const trouble = phonesInTrouble(analysis, settled);
    const risky = (list: PhoneRisk<D>[]) => new Set(list.filter((t) => t.state === 'at-risk').map((t) => t.phone));
    const was = risky(before);
    const now = risky(trouble);
    if (pointOfNoReturn === null && trouble.some((t) => t.visit && !visitBefore.has(t.phone))) pointOfNoReturn = i;
    steps.push({
      line: lines[i]!,
      event: events[i]!,
      refusals: report.refusals,
      locked,
      recovered,
      atRisk: [...now].filter((p) => !was.has(p)),
      safe: [...was].filter((p) => !now.has(p) && !locked.includes(p)),
      reset,
      booted,
      trouble,
      report,
      restartsEnded,
      settled,
    });
    before = trouble;
  });
  const end = last.settled;
  const trouble = steps.length > 0 ? steps[steps.length - 1]!.trouble : before;
  return { start, before: initial, steps, end, trouble, pointOfNoReturn, lockedEver };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
