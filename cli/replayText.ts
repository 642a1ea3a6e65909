import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { switchFlags } from './modelSwitches.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import { servedCtl, servedItl } from '../model/cluster/buildItls.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { secureRegistration } from '../model/trust/secureRegistration.ts';
import type { LogEvent } from '../model/events.ts';
import { describeEvent } from './describeEvent.ts';
import { adviceText } from './adviceText.ts';
import { ctlReasonText, reasonText } from './reasonText.ts';
import { refusalText } from './refusalText.ts';
import { storyText } from './storyText.ts';
import type { LogCheck } from '../properties/logCheck.ts';
import { atRisk } from './replayJson.ts';
import { nodeLabel, noteText } from './noteText.ts';
import type { RestartsEnded } from '../model/replay/evolve.ts';
import type { PhoneOutcome } from '../model/replay/runPhones.ts';

/** The timeline's row for automatic restarts that end (A14), before an event or after the log. */
export const AUTO_RESTARTS_END = '(time passes) automatic restarts end';

const pad = (text: string, width: number) =>
  text.length >= width ? text + '  ' : text + ' '.repeat(width - text.length);
const TRUST = { noItl: 'no ITL', trusted: 'trusted', locked: 'LOCKED' } as const;

/** What phones did, in words: booted, installed, locked, stayed locked, recovered. Pure. */
function phonesText(o: PhoneOutcome): string[] {
  const parts: string[] = [];
  if (o.booted.length) parts.push(`${o.booted.length} phone(s) booted`);
  if (o.updated.length) parts.push(`ITL installed on ${o.updated.length}`);
  if (o.locked.length) parts.push(`LOCKED (Trust List Update Failed): ${o.locked.join(', ')}`);
  if (o.stillLocked.length) parts.push(`STILL LOCKED: ${o.stillLocked.join(', ')}`);
  if (o.recovered.length) parts.push(`RECOVERED: ${o.recovered.join(', ')}`);
  return parts;
}

/** What an event caused, in one line (without the automatic restarts that ended before it: `ended`). Pure. */
export function caused(report: EventReport): string {
  const parts = [
    ...report.refusals.map((r) => `REFUSED: ${refusalText(r)}`),
    ...report.notes.map(noteText),
    ...report.alerts.map((a) => `ALERT: ${a.kind}`),
    ...phonesText(report),
  ];
  return parts.join('; ') || '-';
}

/** What automatic restarts that ended did, in one line. Pure. */
export function endedText(ended: RestartsEnded): string {
  return [`${ended.booted.length} phone(s) back from an automatic reset`, ...phonesText({ ...ended, booted: [] })].join(
    '; ',
  );
}

/**
 * The timeline: a row per log event, and a row of its own, at its own time, for automatic restarts
 * that ended before an event (A14), numbered with the event they precede (`7-`), or `end` after the log. Pure.
 */
function timeline(events: LogEvent[], reports: EventReport[]): string[] {
  const lines = ['Timeline', `${pad('#', 4)}${pad('at', 26)}${pad('event', 48)}caused`];
  for (const r of reports) {
    if (r.ended)
      lines.push(
        `${pad(r.type === 'clock' ? 'end' : `${r.event}-`, 4)}${pad(r.ended.at, 26)}${pad(AUTO_RESTARTS_END, 48)}${endedText(r.ended)}`,
      );
    if (r.type !== 'clock')
      lines.push(
        `${pad(String(r.event), 4)}${pad(r.at, 26)}${pad(describeEvent(events[r.event - 1]!), 48)}${caused(r)}`,
      );
  }
  return lines;
}

/** The CTL a phone holds, for the phones table: its SHA-1's first 12 digits, the rule that took it, `REJECTED` after C3. */
function ctlCell(p: PhoneState): string {
  if (!p.ctl) return '-';
  return `${p.ctl.file.slice(0, 12)} ${p.ctl.state === 'rejected' ? 'REJECTED' : p.ctl.rule}`;
}

function phones(final: ClusterContext): string[] {
  const cluster = final.cluster!;
  // Mixed mode (or a CTL left from it): the CTL each phone holds, and whether a secure profile registers.
  const ctl = cluster.ctl !== null || cluster.phones.some((p) => p.ctl);
  const lines = [
    'Phones',
    `${pad('phone', 18)}${pad('trust', 9)}${pad('status', 26)}${pad('tftp', 12)}${pad('ITL sha1', 14)}${pad('rule', 6)}${ctl ? pad('CTL', 19) : ''}ITLRecovery`,
  ];
  for (const p of cluster.phones) {
    const risk = p.itl ? (atRisk(cluster, p) ? 'at risk (not the current key)' : 'current') : '-';
    const itl = p.itl ? p.itl.slice(0, 12) : '-';
    const secure = secureRegistration(cluster, p);
    const notes = [
      p.sbd === false ? 'no SBD' : '',
      secure === false ? 'secure registration fails' : '',
      p.unloadableItl ? 'ITL too large to load: does not register (H2)' : '',
    ].filter(Boolean);
    lines.push(
      `${pad(p.id, 18)}${pad(TRUST[phoneTrust(p)], 9)}${pad(p.status, 26)}${pad(p.tftp + (p.online ? '' : ' (off)'), 12)}${pad(itl, 14)}${pad(p.lastDecision?.rule ?? '-', 6)}${ctl ? pad(ctlCell(p), 19) : ''}${risk}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    );
  }
  return lines;
}

function nodes(final: ClusterContext): string[] {
  const cluster = final.cluster!;
  const lines = ['TFTP nodes'];
  for (const n of cluster.nodes.filter((x) => x.tftp)) {
    const itl = cluster.itls[servedItl(n)!]!;
    lines.push(
      `${pad(nodeLabel(n), 14)}serves ${pad(itl.origin, 7)} ITL sha1 ${itl.sha1} signed by ${itl.signer.subject}`,
    );
    const ctl = servedCtl(cluster, n);
    if (ctl)
      lines.push(
        `${pad('', 14)}serves the CTL      sha1 ${ctl} signed by ${cluster.itls[ctl]!.signer.subject} (${cluster.securityMode} mode)`,
      );
  }
  return lines;
}

function diagnosis(diagnoses: Diagnosis[]): string[] {
  if (diagnoses.length === 0) return ['Locked phones: none'];
  const lines = ['Locked phones: diagnosis'];
  for (const d of diagnoses) {
    lines.push(`${d.phone}: ${d.ctlFailures.length ? 'CTL update failed' : 'Trust List Update Failed'}`);
    for (const failure of d.ctlFailures) lines.push(`  ${ctlReasonText(failure)}`);
    for (const failure of d.failures) lines.push(`  ${reasonText(failure)}`);
    lines.push(`  recovery (${d.recovery}): ${adviceText(d.advice)}`);
  }
  return lines;
}

/** The properties of the registry the log violates, each with the story of its phone. Pure. */
function propertiesText(check: LogCheck | undefined, events: LogEvent[]): string[] {
  if (!check) return ['Properties: not checked (--no-check)'];
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

/** The human report of a replay: timeline, phones, TFTP nodes, diagnosis of every locked phone, violated properties. Pure. */
export function replayText(
  events: LogEvent[],
  final: ClusterContext,
  reports: EventReport[],
  diagnoses: Diagnosis[],
  check?: LogCheck,
): string[] {
  const risky = final.cluster!.phones.filter((p) => p.itl && atRisk(final.cluster!, p)).map((p) => p.id);
  return [
    ...timeline(events, reports),
    '',
    ...phones(final),
    '',
    ...nodes(final),
    '',
    ...diagnosis(diagnoses),
    '',
    `At risk (installed ITL lacks the current ITLRecovery entry, so utils itl reset would not reach them): ${risky.length ? risky.join(', ') : 'none'}`,
    '',
    ...propertiesText(check, events),
  ];
}
