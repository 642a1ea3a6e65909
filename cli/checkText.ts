import { availableParallelism } from 'node:os';
import { switchFlags } from './modelSwitches.ts';
import { REFUSAL_KINDS } from '../model/cluster/refusals.ts';
import { EVENT_TYPES } from '../model/events.ts';
import type { CheckedBy, CheckReport, ScopeRun, Verdict } from '../properties/checkAll.ts';
import { COVERED_RULES, ruleApplies, type Coverage } from '../properties/coverage.ts';
import { toJsonLines } from '../properties/formatLog.ts';
import { explanationText } from './storyText.ts';

/** The log event types of the abstract events (time passing has none). */
const ABSTRACT_TYPE: Record<string, string> = {
  add: 'phone.add',
  reset: 'phone.reset',
  deleteItl: 'phone.deleteItl',
  power: 'phone.power',
  phoneTftp: 'phone.tftp',
  deleteCtl: 'phone.deleteCtl',
  ctlSetCluster: 'ctl.setCluster',
  ctlUpdate: 'ctl.update',
  ctlReset: 'ctl.reset',
  'regen:CallManager': 'cert.regenerate',
  'regen:TVS': 'cert.regenerate',
  'regen:CAPF': 'cert.regenerate',
  'regen:ITLRecovery': 'cert.regenerate',
  rename: 'node.rename',
  tftpRestart: 'tftp.restart',
  forge: 'tftp.forge',
  corrupt: 'tftp.corrupt',
  itlReset: 'itl.reset',
  itlResetRemote: 'itl.reset',
  backup: 'itlrecovery.backup',
  domain: 'cluster.domain',
  upgrade: 'cluster.upgrade',
  password: 'cluster.password',
  rebuild: 'publisher.rebuild',
  devicesReset: 'devices.reset',
};

/**
 * One row of the coverage table: how often the exhaustive runs (all of them, and each check scope's)
 * and the randomized runs met a rule, a refusal kind or an event type. `null`: the abstract model (or
 * that scope) has none.
 */
export interface CoverageRow {
  what: 'rule' | 'refusal' | 'event';
  name: string;
  exhaustive: number | null;
  /** Per check scope, by its name. */
  scopes: Record<string, number | null>;
  randomized: number;
}

function byType(coverage: Coverage, abstract: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const [label, n] of coverage.events) {
    const type = abstract ? ABSTRACT_TYPE[label] : label;
    if (type) out.set(type, (out.get(type) ?? 0) + n);
  }
  return out;
}

/** The coverage table (TLC's action coverage): every rule, refusal kind and event type, with its counts. `exhaustive` is null where the abstract model has no such thing. Pure. */
export function coverageRows(report: CheckReport): CoverageRow[] {
  const { exhaustive, randomized, scopes } = report.coverage;
  const abstractTypes = byType(exhaustive, true);
  const randomTypes = byType(randomized, false);
  const scopeTypes = scopes.map((c) => byType(c.coverage, true));
  const rules = COVERED_RULES.map((r): CoverageRow => {
    const perScope = scopes.map((c) => (ruleApplies(r, c.scope) ? c.coverage.rules[r] : null));
    return {
      what: 'rule',
      name: r,
      exhaustive: perScope.every((n) => n === null) && exhaustive.rules[r] === 0 ? null : exhaustive.rules[r],
      scopes: Object.fromEntries(scopes.map((c, i) => [c.name, perScope[i]!])),
      randomized: randomized.rules[r],
    };
  });
  const refusals = REFUSAL_KINDS.map((k): CoverageRow => ({
    what: 'refusal',
    name: k,
    exhaustive: ABSTRACT_REFUSALS.has(k) ? (exhaustive.refusals.get(k) ?? 0) : null,
    scopes: Object.fromEntries(
      scopes.map((c) => [c.name, ABSTRACT_REFUSALS.has(k) ? (c.coverage.refusals.get(k) ?? 0) : null]),
    ),
    randomized: randomized.refusals.get(k) ?? 0,
  }));
  const events = EVENT_TYPES.map((t): CoverageRow => {
    const abstract = t !== 'cluster.install' && ABSTRACT_EVENT_TYPES.has(t);
    return {
      what: 'event',
      name: t,
      exhaustive: abstract ? (abstractTypes.get(t) ?? 0) : null,
      scopes: Object.fromEntries(scopes.map((c, i) => [c.name, abstract ? (scopeTypes[i]!.get(t) ?? 0) : null])),
      randomized: randomTypes.get(t) ?? 0,
    };
  });
  return [...rules, ...refusals, ...events];
}

/** The log event types the abstract model has (the others are n/a in its columns). */
const ABSTRACT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(ABSTRACT_TYPE));

/**
 * Refusals the abstract model can produce. Not: capfNotOnNode (every node has CAPF before 14),
 * tftpNotActive (every node runs TFTP there), recoveryKeyTooShort (keys have no size),
 * p12WrongPassword (the abstraction drops a backup the password no longer opens, so remotekey meets
 * remoteP12Missing instead), ctlBefore10 and notInRelease (no such scope).
 */
const ABSTRACT_REFUSALS: ReadonlySet<string> = new Set([
  'holdTimer',
  'itlRecoveryOnPublisher',
  'noItlRecovery',
  'notPublisher',
  'noCtl',
  'resetBefore10',
  'remoteP12Missing',
  'fileNotFound',
]);

const count = (n: number | null) => (n === null ? 'n/a' : n.toLocaleString('en-US'));

function coverageText(report: CheckReport): string[] {
  const rows = coverageRows(report);
  const names = report.coverage.scopes.map((c) => c.name);
  const width = Math.max(...rows.map((r) => r.name.length)) + 2;
  const columns = names.map((n) => Math.max(n.length, 12) + 2);
  const lines = [
    `coverage (how often each was met; exhaustive: transitions of every exhaustive run, the weaknesses' included, then of each scope's runs, n/a where the abstract model or that scope has none; randomized: logs replayed by the machines):`,
    `  ${'what'.padEnd(9)}${'name'.padEnd(width)}${'exhaustive'.padStart(14)}${names.map((n, i) => n.padStart(columns[i]!)).join('')}${'randomized'.padStart(12)}`,
  ];
  for (const r of rows)
    lines.push(
      `  ${r.what.padEnd(9)}${r.name.padEnd(width)}${count(r.exhaustive).padStart(14)}${names.map((n, i) => count(r.scopes[n] ?? null).padStart(columns[i]!)).join('')}${count(r.randomized).padStart(12)}`,
    );
  const never = rows.filter((r) => !r.exhaustive && !r.randomized);
  if (never.length) lines.push(`WARNING: never met by any run: ${never.map((r) => `${r.what} ${r.name}`).join(', ')}`);
  // A rule of a scope (an I or C rule in mixed mode, an R rule anywhere) that its exhaustive runs never met.
  const unmet = rows
    .filter((r) => r.what === 'rule')
    .flatMap((r) => names.filter((n) => r.scopes[n] === 0).map((n) => `rule ${r.name} in ${n}`));
  if (unmet.length) lines.push(`WARNING: never met in the scope it belongs to: ${unmet.join(', ')}`);
  return lines;
}

function checkedByText(c: CheckedBy): string {
  switch (c.kind) {
    case 'exhaustive':
      return `exhaustive: ${c.complete ? 'every reachable state' : c.outOfBudget ? `to depth ${c.depth} (out of budget)` : `to depth ${c.depth} (bounded: frontier not empty)`} of ${c.scope}${c.alphabet === 'own' ? ' with its own events only' : ''} (abstract model, symbolic keys)`;
    case 'weakness':
      return `exhaustive: shortest counterexample over the events of its cause (${c.cause}), ${c.scope}`;
    case 'randomized':
      return `randomized: ${c.runs} logs replayed by the machines with real crypto (FC_SEED=${c.seed})`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}

/**
 * How far the exhaustive searches of a verdict went, when one did not reach every state: stopped at
 * the memory budget, else the smallest depth bound one stopped at; '' when each reached every state.
 */
function searchedTo(v: Verdict): string {
  const short = v.checkedBy.flatMap((c) => (c.kind === 'exhaustive' && !c.complete ? [c] : []));
  if (short.some((c) => c.outOfBudget))
    return ' in the states searched (OUT OF BUDGET: a search stopped at --memory, so states beyond were not checked)';
  if (short.length === 0) return '';
  return ` to depth ${Math.min(...short.map((c) => c.depth))} (BOUNDED: states deeper than the bound were not checked)`;
}

function verdictText(v: Verdict): string[] {
  const status = v.holds
    ? v.expectedToHold
      ? `holds${searchedTo(v)}`
      : 'HOLDS (expected to fail: the weakness is gone)'
    : v.expectedToHold
      ? 'VIOLATED'
      : 'violated (expected)';
  const lines = [`${v.name}: ${status}`, ...v.checkedBy.map((c) => `  - ${checkedByText(c)}`)];
  v.counterexamples.forEach((c, i) => {
    if (v.counterexamples.length > 1) lines.push(`  counterexample ${i + 1} of ${v.counterexamples.length}:`);
    const flags = switchFlags(c.options);
    if (flags.length) lines.push(`  (replay it with ${flags.join(' ')})`);
    if (c.explanation) lines.push(`  ${explanationText(c.explanation, c.log)}`);
    for (const line of toJsonLines(c.log).split('\n')) lines.push(`  ${line}`);
  });
  return lines;
}

const reach = (r: { complete: boolean; outOfBudget?: boolean; parts?: ReadonlyArray<{ outOfBudget: boolean }> }) =>
  r.outOfBudget || r.parts?.some((p) => p.outOfBudget)
    ? ' (OUT OF BUDGET: the state store reached --memory, so the states beyond were not checked)'
    : r.complete
      ? ' (every reachable state)'
      : ' (BOUNDED: the frontier was not empty, so states deeper than this were not checked)';

/** The lines of one scope's run over its events: its counts, then its parts. */
function scopeRunText(run: ScopeRun, product: boolean): string[] {
  const r = run.result;
  const cores = availableParallelism();
  const threads =
    cores <= 1 || r.parts.length <= 1
      ? 'in one thread'
      : `on ${Math.min(cores, r.parts.length)} worker threads (one per core, each with its share of the memory budget)`;
  const events = run.alphabet ? `its events (${[...run.alphabet].join(', ')})` : 'every event';
  const lines = [
    `${run.name}, ${events}: ${r.distinctStates} distinct, ${r.statesExplored} explored, depth ${r.depth}${reach(r)}, ${r.seconds.toFixed(2)} s; ${
      product
        ? 'explored as one product state space (--product)'
        : `explored per phone configuration (exact decomposition, README "Per-phone decomposition"), ${threads}; time is wall time:`
    }`,
  ];
  if (!product)
    for (const p of r.parts)
      lines.push(
        `  ${p.part}: ${p.distinctStates} distinct, ${p.statesExplored} explored, depth ${p.depth}${reach(p)}, ${p.seconds.toFixed(2)} s`,
      );
  return lines;
}

/** The text report of `check`: counts and rates, the scopes and their parts, each property with how it was checked and its counterexamples, then coverage. Pure but for the core count. */
export function checkText(report: CheckReport): string[] {
  const { main, settings: s } = report;
  const rate = (n: number) => Math.round(n / Math.max(main.seconds, 1e-9));
  const phones = `${s.phones} phone${s.phones === 1 ? '' : 's'}`;
  const lines = [
    `scope: ${s.nodes} nodes, ${phones}; states explored ${main.statesExplored}, distinct states ${main.distinctStates}, depth ${main.depth}${reach(main)}, time ${main.seconds.toFixed(2)} s, ${rate(main.statesExplored)} states/s (${rate(main.distinctStates)} distinct states/s); scopes: ${report.mains.map((m) => m.name).join('; ')}`,
  ];
  const flags = switchFlags(s.options ?? {});
  if (flags.length) lines.push(`model switches: ${flags.join(' ')} (every scope and random log)`);
  for (const m of report.mains) lines.push(...scopeRunText(m, s.product));
  for (const o of report.others)
    lines.push(
      `${o.properties.map((p) => p.name).join(', ')} over its own events (${o.name}): ${o.result.distinctStates} distinct, ${o.result.statesExplored} explored, depth ${o.result.depth}${reach(o.result)}`,
    );
  lines.push(`randomized: ${s.runs} logs with real crypto, FC_SEED=${s.seed}`);
  for (const v of report.verdicts) lines.push(...verdictText(v));
  lines.push(...coverageText(report));
  return lines;
}
