import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { switchFlags } from './modelSwitches.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import { servedCtl, servedItl } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { secureRegistration } from '../model/trust/secureRegistration.ts';
import type { LogEvent } from '../model/events.ts';
import { describeEvent } from './describeEvent.ts';
import { refusalText } from './refusalText.ts';
import { storyText } from './storyText.ts';
import { diagnosis, FIRST_LOCKED, names, phoneOutcome, summary } from './lockedText.ts';
import type { LogCheck } from '../properties/logCheck.ts';
import { atRisk } from './replayJson.ts';
import { nodeLabel, noteText } from './noteText.ts';
import type { RestartsEnded } from '../model/replay/evolve.ts';
import type { PhoneOutcome } from '../model/replay/runPhones.ts';
import { FIXED_COLUMNS } from './colour.ts';
import { tableLines } from './table.ts';

/** The timeline's row for automatic restarts that end (A14), before an event or after the log. */
export const AUTO_RESTARTS_END = '(time passes) automatic restarts end';

/** Above this many phones the phone table, the diagnosis and the lists are summarised (`--phones all` lists every one). */
export const PHONE_ROWS = 50;

/** Runs of more like phone events than this are one timeline row (the `phone.add` preamble of a large log, say). */
export const COLLAPSE_RUNS = 5;

/** How the text report is laid out. */
export interface ReplayTextOptions {
  /** Columns the tables fit in (cli/colour.ts `terminalOf`); FIXED_COLUMNS by default. */
  columns?: number;
  /** `all`: every phone in the tables and lists, however many; otherwise summarised above PHONE_ROWS. */
  phones?: 'all';
  /** The context after each log event (a replay that kept them): the diagnosis then tells each locked phone's history. */
  contexts?: ClusterContext[];
  /** Why the properties were not checked when `check` is undefined: the option, or a log too large for the check. */
  unchecked?: { kind: 'option' } | { kind: 'tooLarge'; phoneEvents: number; budget: number };
}

const TRUST = { noItl: 'no ITL', trusted: 'trusted', locked: 'LOCKED' } as const;

/** What phones did, in words: booted, installed, locked, stayed locked, recovered. Pure. */
function phonesText(o: PhoneOutcome, all: boolean): string[] {
  const parts: string[] = [];
  if (o.booted.length) parts.push(`${o.booted.length} phone(s) booted`);
  if (o.updated.length) parts.push(`ITL installed on ${o.updated.length}`);
  if (o.locked.length) parts.push(`LOCKED (Trust List Update Failed): ${names(o.locked, all)}`);
  if (o.stillLocked.length) parts.push(`STILL LOCKED: ${names(o.stillLocked, all)}`);
  if (o.recovered.length) parts.push(`RECOVERED: ${names(o.recovered, all)}`);
  return parts;
}

/**
 * What an event caused, in one line (without the automatic restarts that ended before it: `ended`);
 * long lists of phones end in `and N more` unless `all`. Pure.
 */
export function caused(report: EventReport, all = true): string {
  const parts = [
    ...report.refusals.map((r) => `REFUSED: ${refusalText(r)}`),
    ...report.notes.map(noteText),
    ...report.alerts.map((a) => `ALERT: ${a.kind}`),
    ...phonesText(report, all),
  ];
  return parts.join('; ') || '-';
}

/** What automatic restarts that ended did, in one line. Pure. */
export function endedText(ended: RestartsEnded, all = true): string {
  return [
    `${ended.booted.length} phone(s) back from an automatic reset`,
    ...phonesText({ ...ended, booted: [] }, all),
  ].join('; ');
}

const AT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/;

/**
 * How the timeline writes times: the time of day alone when every time falls on one date in one
 * offset (the heading names them), else in full. Pure.
 */
function timeFormat(times: string[]): { heading: string; at: (time: string) => string } {
  const parts = times.map((t) => AT.exec(t));
  const first = parts[0];
  if (first && parts.every((p) => p && p[1] === first[1] && p[3] === first[3]))
    return { heading: `Timeline (${first[1]}, times ${first[3]})`, at: (t) => AT.exec(t)![2]! };
  return { heading: 'Timeline', at: (t) => t };
}

/**
 * What a run of like phone events shares (`phone.add`, `phone.power off`, …), or undefined for an
 * event that is not about one phone or did more than boot phones: such runs can be one row. Pure.
 */
export function phoneRunKey(event: LogEvent, r: EventReport): string | undefined {
  if (!('phone' in event) || r.ended || r.refusals.length || r.notes.length || r.alerts.length) return undefined;
  return event.type === 'phone.power' ? `phone.power ${event.on ? 'on' : 'off'}` : event.type;
}

/** What a run of events did to phones, added up. Pure. */
function sumOutcomes(reports: EventReport[]): PhoneOutcome {
  const all = (key: keyof PhoneOutcome) => reports.flatMap((r) => r[key]);
  return {
    booted: all('booted'),
    updated: all('updated'),
    locked: all('locked'),
    stillLocked: all('stillLocked'),
    recovered: all('recovered'),
  };
}

/**
 * The timeline: a row per log event, and a row of its own, at its own time, for automatic restarts
 * that ended before an event (A14), numbered with the event they precede (`7-`), or `end` after the log.
 * Unless `all`, a run of more than COLLAPSE_RUNS like phone events (`phone.add`, …) is one row (`3..1002`). Pure.
 */
function timeline(events: LogEvent[], reports: EventReport[], columns: number, all: boolean): string[] {
  const time = timeFormat(reports.flatMap((r) => (r.ended ? [r.ended.at, r.at] : [r.at])));
  const rows: string[][] = [];
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    const key = r.type === 'clock' ? undefined : phoneRunKey(events[r.event - 1]!, r);
    let j = i;
    const like = (x: EventReport) => x.type !== 'clock' && phoneRunKey(events[x.event - 1]!, x) === key;
    while (!all && key && j < reports.length && like(reports[j]!)) j++;
    if (j - i > COLLAPSE_RUNS) {
      const run = reports.slice(i, j);
      const phones = run.map((x) => (events[x.event - 1] as Extract<LogEvent, { phone: string }>).phone);
      rows.push([
        `${r.event}..${run.at(-1)!.event}`,
        time.at(r.at),
        `${key} x${run.length} (${phones[0]} .. ${phones.at(-1)})`,
        phonesText(sumOutcomes(run), false).join('; ') || '-',
      ]);
      i = j - 1;
      continue;
    }
    if (r.ended)
      rows.push([
        r.type === 'clock' ? 'end' : `${r.event}-`,
        time.at(r.ended.at),
        AUTO_RESTARTS_END,
        endedText(r.ended, all),
      ]);
    if (r.type !== 'clock')
      rows.push([String(r.event), time.at(r.at), describeEvent(events[r.event - 1]!), caused(r, all)]);
  }
  return [time.heading, ...tableLines({ head: ['#', 'at', 'event', 'caused'], rows, wrap: [2, 3] }, columns)];
}

/** The CTL a phone holds, for the phones table: its SHA-1's first 12 digits, the rule that took it, `REJECTED` after C3. */
function ctlCell(p: PhoneState): string {
  if (!p.ctl) return '-';
  return `${p.ctl.file.slice(0, 12)} ${p.ctl.state === 'rejected' ? 'REJECTED' : p.ctl.rule}`;
}

/** The phones table's rows: one per phone, as it stands at the end. Pure. */
function phoneRows(cluster: ClusterState, phones: PhoneState[], ctl: boolean): string[][] {
  return phones.map((p) => {
    const risk = p.itl ? (atRisk(cluster, p) ? 'at risk (not the current key)' : 'current') : '-';
    const secure = secureRegistration(cluster, p);
    const notes = [
      p.sbd === false ? 'no SBD' : '',
      secure === false ? 'secure registration fails' : '',
      p.unloadableItl ? 'ITL too large to load: does not register (H2)' : '',
    ].filter(Boolean);
    return [
      p.id,
      TRUST[phoneTrust(p)],
      p.status,
      p.tftp + (p.online ? '' : ' (off)'),
      p.itl ? p.itl.slice(0, 12) : '-',
      p.lastDecision?.rule ?? '-',
      ...(ctl ? [ctlCell(p)] : []),
      `${risk}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    ];
  });
}

const OUTCOME_TEXT = { locked: 'locked', recovered: 'recovered', trusted: 'trusted', noItl: 'no ITL' } as const;

/** A phone's outcome in the words of the tables. Pure. */
const outcomeOf = (p: PhoneState) => OUTCOME_TEXT[phoneOutcome(p)];

/** The phones table, or above PHONE_ROWS (unless `all`) the count per outcome and the first locked phones. Pure. */
function phones(final: ClusterContext, columns: number, all: boolean): string[] {
  const cluster = final.cluster!;
  // Mixed mode (or a CTL left from it): the CTL each phone holds, and whether a secure profile registers.
  const ctl = cluster.ctl !== null || cluster.phones.some((p) => p.ctl);
  const head = ['phone', 'trust', 'status', 'tftp', 'ITL sha1', 'rule', ...(ctl ? ['CTL'] : []), 'ITLRecovery'];
  const wrap = [2, 3, head.length - 1];
  if (all || cluster.phones.length <= PHONE_ROWS)
    return ['Phones', ...tableLines({ head, rows: phoneRows(cluster, cluster.phones, ctl), wrap }, columns)];
  const count = new Map<string, number>();
  for (const p of cluster.phones) count.set(outcomeOf(p), (count.get(outcomeOf(p)) ?? 0) + 1);
  const off = cluster.phones.filter((p) => !p.online).length;
  const risky = cluster.phones.filter((p) => p.itl && atRisk(cluster, p)).length;
  const totals = [
    ...(['locked', 'recovered', 'trusted', 'no ITL'] as const).map((o) => [o, String(count.get(o) ?? 0)]),
    ['unplugged', String(off)],
    ['at risk', String(risky)],
  ];
  const locked = cluster.phones.filter((p) => phoneTrust(p) === 'locked');
  const shown = locked.slice(0, FIRST_LOCKED);
  return [
    `Phones: ${cluster.phones.length} (more than ${PHONE_ROWS}: summarised; --phones all lists every phone)`,
    ...tableLines({ head: ['outcome', 'phones'], rows: totals }, columns),
    ...(shown.length
      ? [
          '',
          locked.length > shown.length
            ? `The first ${shown.length} of ${locked.length} locked phones`
            : 'Locked phones',
          ...tableLines({ head, rows: phoneRows(cluster, shown, ctl), wrap }, columns),
        ]
      : []),
  ];
}

function nodes(final: ClusterContext, columns: number): string[] {
  const cluster = final.cluster!;
  const rows: string[][] = [];
  for (const n of cluster.nodes.filter((x) => x.tftp)) {
    const itl = cluster.itls[servedItl(n)!]!;
    rows.push([nodeLabel(n), `its ${itl.origin} ITL`, itl.sha1, itl.signer.subject]);
    const ctl = servedCtl(cluster, n);
    if (ctl) rows.push(['', `the CTL (${cluster.securityMode} mode)`, ctl, cluster.itls[ctl]!.signer.subject]);
  }
  return ['TFTP nodes', ...tableLines({ head: ['node', 'serves', 'sha1', 'signed by'], rows, wrap: [3] }, columns)];
}

/** Why a log is too large for the property check, in words (the report and stderr say it alike). Pure. */
export function tooLargeText(phoneEvents: number, budget: number): string {
  return `${phoneEvents.toLocaleString('en-US')} phone-events (phones x events) is more than the check's ${budget.toLocaleString('en-US')}`;
}

/** The properties of the registry the log violates, each with the story of its phone. Pure. */
function propertiesText(
  check: LogCheck | undefined,
  events: LogEvent[],
  unchecked: ReplayTextOptions['unchecked'],
): string[] {
  if (!check)
    return [
      unchecked?.kind === 'tooLarge'
        ? `Properties: not checked: ${tooLargeText(unchecked.phoneEvents, unchecked.budget)}`
        : 'Properties: not checked (--no-check)',
    ];
  const when = check.checkedAfter === 'every event' ? 'after every event' : 'after the last event only (a large log)';
  if (check.violations.length === 0)
    return [`Properties: the log violates none of the model's properties (checked ${when})`];
  const lines = [`Properties violated by this log (checked ${when}):`];
  for (const v of check.violations) {
    const what = v.property.expectedToHold ? 'VIOLATED' : 'violated (a known weakness of the real system)';
    lines.push(
      `${v.property.name} ${what} at event ${v.event} (${describeEvent(events[v.event - 1]!)})${switchFlags(v.options).length ? ` with ${switchFlags(v.options).join(' ')}` : ''}`,
    );
    lines.push(`  forbids: ${v.property.forbids}`);
    lines.push(`  ${v.story ? storyText(v.story, events) : v.why}`);
  }
  return lines;
}

/**
 * The human report of a replay: the headline (how many phones locked, recovered, need a visit, and the
 * remedy), the timeline, the phones, the TFTP nodes, the diagnosis of every locked phone with its
 * history, and the violated properties; tables fit `options.columns`. Pure.
 */
export function replayText(
  events: LogEvent[],
  final: ClusterContext,
  reports: EventReport[],
  diagnoses: Diagnosis[],
  check?: LogCheck,
  options: ReplayTextOptions = {},
): string[] {
  const cluster = final.cluster!;
  const columns = options.columns ?? FIXED_COLUMNS;
  const all = options.phones === 'all';
  const risky = cluster.phones.filter((p) => p.itl && atRisk(cluster, p)).map((p) => p.id);
  const logEvents = reports.filter((r) => r.type !== 'clock').length;
  return [
    ...summary(logEvents, cluster, diagnoses, all),
    '',
    ...timeline(events, reports, columns, all),
    '',
    ...phones(final, columns, all),
    '',
    ...nodes(final, columns),
    '',
    ...diagnosis(events, final, reports, diagnoses, all, options.contexts ?? []),
    '',
    `At risk (installed ITL lacks the current ITLRecovery entry, so utils itl reset would not reach them): ${risky.length ? names(risky, all || risky.length <= PHONE_ROWS) : 'none'}`,
    '',
    ...propertiesText(check, events, options.unchecked),
  ];
}
