import type { Diagnosis } from '../machines/diagnose.ts';
import type { PhoneRisk } from '../model/plan/runPlan.ts';
import { adviceText } from './adviceText.ts';
import { ruleAfter, type PlanReport } from './planText.ts';
import { reasonText } from './reasonText.ts';
import { refusalText } from './refusalText.ts';
import { replayJson } from './replayJson.ts';

/** A phone in trouble as `--json` gives it. Pure. */
function troubleJson(t: PhoneRisk<Diagnosis>) {
  return {
    phone: t.phone,
    state: t.state,
    online: t.online,
    rule: t.rule,
    reasons: t.failures.map(reasonText),
    recovery: t.recovery,
    visit: t.visit,
    remedy: adviceText(t.diagnosis.advice),
  };
}

/**
 * The `plan --json` document: the end state in the shape of `replay --json` (`version`, `phones`
 * with `trust` and `recovery`, `nodes`), each phone with `locksOnNextBoot`; then `steps`, the point
 * of no return, the phones in trouble and the safer order. A phone at risk gets the `recovery` it
 * will need once it has locked. Pure.
 */
export function planJson(report: PlanReport) {
  const { run, safer } = report;
  const end = replayJson(
    [],
    run.end,
    [],
    run.trouble.map((t) => t.diagnosis),
  );
  const risky = new Set(run.trouble.filter((t) => t.state === 'at-risk').map((t) => t.phone));
  const phones = Object.fromEntries(
    Object.entries(end.phones).map(([id, phone]) => [id, { ...phone, locksOnNextBoot: risky.has(id) }]),
  );
  const noReturn = run.pointOfNoReturn;
  return {
    source: report.source,
    plan: report.plan,
    version: end.version,
    securityMode: end.securityMode,
    parameters: end.parameters,
    phones,
    nodes: end.nodes,
    steps: run.steps.map((s, i) => ({
      step: i + 1,
      line: s.line,
      command: report.typed[i],
      type: s.event.type,
      at: s.event.at,
      refusal: s.refusals.length ? refusalText(s.refusals[0]!) : null,
      refusals: s.refusals.map((r) => ({ kind: r.kind, text: refusalText(r) })),
      locked: s.locked,
      recovered: s.recovered,
      atRisk: s.atRisk,
      noLongerAtRisk: s.safe,
      registeredAgain: s.booted.filter((p) => !s.locked.includes(p)).length,
      needVisit: s.trouble.filter((t) => t.visit).map((t) => t.phone),
      rules: Object.fromEntries([...s.locked, ...s.recovered, ...s.atRisk].map((p) => [p, ruleAfter(s, p)])),
    })),
    pointOfNoReturn: noReturn === null ? null : { step: noReturn + 1, line: run.steps[noReturn]!.line },
    lockedDuringPlan: run.lockedEver,
    trouble: run.trouble.map(troubleJson),
    saferOrder: {
      needed: safer.original.troubled.length > 0,
      original: safer.original,
      found: safer.better ? { lines: safer.better.lines, score: safer.better.score } : null,
      tried: safer.tried,
      stopped: safer.stopped,
      why: safer.why.map((w) => ({ ...w, reasons: w.failures.map(reasonText) })),
    },
  };
}
