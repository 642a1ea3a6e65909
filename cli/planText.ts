import type { Diagnosis } from '../machines/diagnose.ts';
import type { Mop } from '../model/plan/mop.ts';
import type { PhoneRisk, PlanRun, PlanStep } from '../model/plan/runPlan.ts';
import type { SaferOrder, StillTroubled } from '../model/plan/saferOrder.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { AUTO_RESET_SECONDS } from '../model/cluster/step.ts';
import { adviceText } from './adviceText.ts';
import { FIXED_COLUMNS } from './colour.ts';
import { reasonText } from './reasonText.ts';
import { refusalText } from './refusalText.ts';
import { tableLines } from './table.ts';

/** Everything a plan's reports show: where it starts, the plan, its run, the safer order and the procedure. */
export interface PlanReport {
  source: { kind: 'log' | 'folder'; path: string; events: number };
  plan: string;
  /** Each plan event's command as the plan typed it (no comment). */
  typed: string[];
  run: PlanRun<Diagnosis>;
  safer: SaferOrder;
  mop: Mop<Diagnosis>;
}

/** Phone names for one cell: up to 8, then how many more. Pure. */
export function namesText(phones: string[]): string {
  return phones.length <= 8 ? phones.join(', ') : `${phones.slice(0, 8).join(', ')} and ${phones.length - 8} more`;
}

/**
 * The rule that decided a phone's (simulated) boot after a step: a phone in trouble's from the
 * analysis, any other's from its last boot. Pure.
 */
export function ruleAfter(step: PlanStep<Diagnosis>, phone: string): string {
  const trouble = step.trouble.find((t) => t.phone === phone);
  const rule = trouble ? trouble.rule : step.settled.cluster!.phones.find((p) => p.id === phone)?.lastDecision?.rule;
  return rule ?? '?';
}

/** Phones grouped by the rule that decided them: `(R4): A, B; (R2): C`. Pure. */
function byRule(step: PlanStep<Diagnosis>, phones: string[]): string {
  const groups = new Map<string, string[]>();
  for (const p of phones) {
    const rule = ruleAfter(step, p);
    groups.set(rule, [...(groups.get(rule) ?? []), p]);
  }
  return [...groups].map(([rule, names]) => `(${rule}): ${namesText(names)}`).join('; ');
}

/** What one step did, in words. Pure. */
export function stepText(step: PlanStep<Diagnosis>, isPointOfNoReturn: boolean): string {
  const parts: string[] = [];
  for (const r of step.refusals) parts.push(`REFUSED: ${refusalText(r)}`);
  if (step.reset.length)
    parts.push(
      `${step.reset.length} phone(s) reset automatically (they boot ${AUTO_RESET_SECONDS / 60} minutes later)`,
    );
  const registered = step.booted.filter((p) => !step.locked.includes(p));
  if (registered.length) parts.push(`${registered.length} phone(s) boot and register again`);
  if (step.locked.length) parts.push(`LOCKED ${byRule(step, step.locked)}`);
  if (step.recovered.length) parts.push(`RECOVERED ${byRule(step, step.recovered)}`);
  if (step.atRisk.length) parts.push(`at risk, their next boot locks them ${byRule(step, step.atRisk)}`);
  if (step.safe.length) parts.push(`no longer at risk: ${namesText(step.safe)}`);
  if (isPointOfNoReturn)
    parts.push(
      `POINT OF NO RETURN: ${namesText(step.trouble.filter((t) => t.visit).map((t) => t.phone))} can be brought back only by a visit`,
    );
  return parts.length ? parts.join('; ') : 'no phone affected';
}

/**
 * Lines of phones that read alike given once, with the names of all of them: `${names}: ${text}`
 * (the text of each phone is asked with the phone's name left out). Pure.
 */
export function groupedLines<T extends { phone: string }>(items: T[], text: (item: T) => string): string[] {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const key = text(item);
    groups.set(key, [...(groups.get(key) ?? []), item.phone]);
  }
  return [...groups].map(
    ([key, phones]) => `${phones.length > 1 ? `${phones.length} phones: ` : ''}${namesText(phones)}: ${key}`,
  );
}

/** One phone in trouble, in words (without its name): its state, why, and the way back. Pure. */
export function troubleText(t: PhoneRisk<Diagnosis>): string {
  const state =
    t.state === 'locked'
      ? 'LOCKED'
      : t.online
        ? 'at risk: locks at its next reset'
        : 'at risk: unplugged, locks when it is plugged in again';
  const why = t.failures.length
    ? ` (${t.rule}: ${t.failures.map(reasonText).join('; ')})`
    : t.rule
      ? ` (${t.rule})`
      : '';
  return `${state}${why}; way back: ${adviceText(t.diagnosis.advice)}${t.visit ? ' (need a visit)' : ''}`;
}

/** Why a phone stays in trouble in every plan the search tried (its name is said before). Pure. */
export function stillText(w: StillTroubled): string {
  const why = w.failures.length ? ` (${w.failures.map(reasonText).join('; ')})` : '';
  if (w.offlineThroughout)
    return `unplugged from the start of the plan to its end, so no order, wait, reset all or TFTP restart reaches it: it boots only when it is plugged in again, against the end state, and its ITL then holds neither the new signer nor a TVS certificate of its list [${w.tvs.join(', ')}] that still authenticates${why}. Plug it in and let it register between the changes, or plan its recovery after the change.`;
  return `locks in every plan tried (TFTP ${w.tftp}, TVS [${w.tvs.join(', ')}])${why}`;
}

/** The safer-order section. Pure. */
export function saferLines(safer: SaferOrder): string[] {
  const o = safer.original;
  if (o.troubled.length === 0) return ['Safer order: not needed (the plan locks no phone and puts none at risk).'];
  const tried = `${safer.tried} candidate(s) tried`;
  const budget =
    safer.stopped === 'candidates'
      ? `; gave up at the budget of candidates (${tried})`
      : safer.stopped === 'time'
        ? `; gave up at the time budget (${tried})`
        : ` (${tried}${safer.stopped === 'exhausted' ? ', every one of the search space' : ''})`;
  const lines: string[] = [];
  if (safer.better) {
    const b = safer.better.score;
    lines.push(
      `Safer order${budget}: ${b.troubled.length} phone(s) locked or at risk instead of ${o.troubled.length}${b.refused || o.refused ? `, ${b.refused} command(s) refused instead of ${o.refused}` : ''}:`,
    );
    for (const l of safer.better.lines)
      lines.push(
        `  ${l.change === 'added' ? '+' : l.change === 'moved' ? '~' : '='} ${l.text}${l.line !== undefined ? `    (plan line ${l.line}${l.change === 'moved' ? ', moved' : ''})` : '    (added)'}`,
      );
  } else lines.push(`Safer order: none found${budget}; no plan tried locks fewer phones than this one.`);
  for (const line of groupedLines(safer.why, stillText)) lines.push(`  why: ${line}`);
  return lines;
}

/** The plan's text report: a summary, the steps, the end state, the safer order. Pure. */
export function planText(report: PlanReport, columns = FIXED_COLUMNS): string[] {
  const { run, safer } = report;
  const cluster = run.end.cluster!;
  const atRisk = run.trouble.filter((t) => t.state === 'at-risk');
  const locked = run.trouble.filter((t) => t.state === 'locked');
  const visits = run.trouble.filter((t) => t.visit);
  const noReturn = run.pointOfNoReturn;
  const from =
    report.source.kind === 'log'
      ? `the end of ${report.source.path} (${report.source.events} events)`
      : `the cluster folder ${report.source.path}`;
  const lines = [
    `Plan ${report.plan}: ${run.steps.length} command(s), run from ${from}; ${cluster.version}, ${cluster.nodes.length} node(s), ${cluster.phones.length} phone(s)`,
    '',
    ...(run.before.length
      ? [
          `Before the plan: ${run.before.length} phone(s) already in trouble (${run.before.filter((t) => t.state === 'locked').length} locked, ${run.before.filter((t) => t.state === 'at-risk').length} at risk, ${run.before.filter((t) => t.visit).length} need a visit): ${namesText(run.before.map((t) => t.phone))}.`,
        ]
      : []),
    `Summary: ${run.lockedEver.length} phone(s) lock during the plan, ${locked.length} locked at the end, ${atRisk.length} at risk (locked at their next boot), ${visits.length} need a visit.`,
    noReturn === null
      ? 'Point of no return: none (the plan puts no phone beyond the reach of a command).'
      : `Point of no return: step ${noReturn + 1} (plan line ${run.steps[noReturn]!.line}, ${report.typed[noReturn]}): after it some phone can be brought back only by a visit.`,
    ...(safer.better
      ? [
          `Safer order: found, ${safer.better.score.troubled.length} phone(s) in trouble instead of ${safer.original.troubled.length} (below).`,
        ]
      : []),
    '',
    ...(run.steps.length === 0
      ? ['Steps: none (the plan has no command).']
      : [
          'Steps (what happens from each step until the next):',
          ...tableLines(
            {
              head: ['Step', 'Line', 'Command', 'What happens'],
              rows: run.steps.map((s, i) => [
                String(i + 1),
                String(s.line),
                report.typed[i]!,
                stepText(s, noReturn === i),
              ]),
              wrap: [2, 3],
            },
            columns,
          ).map((l) => `  ${l}`),
        ]),
    '',
    `End state: ${countText(run)}`,
    ...groupedLines(run.trouble, troubleText).map((l) => `  ${l}`),
    '',
    ...saferLines(safer),
  ];
  return lines;
}

/** The end state's counts. Pure. */
function countText(run: PlanRun<Diagnosis>): string {
  const phones = run.end.cluster!.phones;
  const risky = new Set(run.trouble.filter((t) => t.state === 'at-risk').map((t) => t.phone));
  const by = (t: string) => phones.filter((p) => phoneTrust(p) === t && !risky.has(p.id)).length;
  return `${phones.length} phone(s): ${by('trusted')} trusted, ${risky.size} at risk, ${by('locked')} locked, ${by('noItl')} with no ITL`;
}
