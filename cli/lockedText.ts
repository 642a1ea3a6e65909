/**
 * The parts of the replay report about locked phones: the headline (counts and the one remedy) and
 * each locked phone's diagnosis with its causal history; and the words they share with the tables
 * (a phone's outcome, a list of phone names). Pure.
 */
import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { phoneStory } from '../properties/explain.ts';
import { adviceText, needsVisit } from './adviceText.ts';
import { ctlReasonText, reasonText } from './reasonText.ts';
import { atRisk } from './replayJson.ts';
import { storyText, type Installed } from './storyText.ts';

/** The locked phones a summarised report still shows in full. */
export const FIRST_LOCKED = 20;

/** The phone names one timeline cell lists before `and N more` (every one with `--phones all`). */
const NAMES_IN_CELL = 10;

/** Phone names for one line: every one, or the first NAMES_IN_CELL and how many more. Pure. */
export function names(phones: string[], all: boolean): string {
  if (all || phones.length <= NAMES_IN_CELL) return phones.join(', ');
  return `${phones.slice(0, NAMES_IN_CELL).join(', ')} and ${phones.length - NAMES_IN_CELL} more`;
}

/** How a phone stands: locked, recovered (trusted again after a lock), trusted, or holding no ITL (the reports' one definition). Pure. */
export function phoneOutcome(p: PhoneState): 'locked' | 'recovered' | 'trusted' | 'noItl' {
  const trust = phoneTrust(p);
  if (trust === 'trusted') return p.lockedAt !== undefined ? 'recovered' : 'trusted';
  return trust;
}

/** The same remedy: phones whose advice is the same command on the same node. */
function groupByAdvice(diagnoses: Diagnosis[]): Diagnosis[][] {
  const groups = new Map<string, Diagnosis[]>();
  for (const d of diagnoses) {
    const key = JSON.stringify(d.advice);
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  return [...groups.values()];
}

/**
 * The headline: how many phones locked, recovered and need a visit; then the remedy, once when one
 * remedy recovers every locked phone, else once per group of phones that share one. Pure.
 */
export function summary(events: number, cluster: ClusterState, diagnoses: Diagnosis[], all: boolean): string[] {
  const recovered = cluster.phones.filter((p) => phoneOutcome(p) === 'recovered').length;
  const visit = diagnoses.filter((d) => needsVisit(d.recovery));
  const risky = cluster.phones.filter((p) => p.itl && atRisk(cluster, p)).length;
  const total = cluster.phones.length;
  const lines = [
    `Summary: ${diagnoses.length} of ${total} phone(s) LOCKED, ${recovered} recovered, ${visit.length} need a visit, ${risky} at risk (after ${events} events)`,
  ];
  if (diagnoses.length === 0) return lines;
  const groups = groupByAdvice(diagnoses);
  if (groups.length === 1) {
    const d = diagnoses[0]!;
    const who = diagnoses.length === 1 ? `the locked phone ${d.phone}` : `all ${diagnoses.length} locked phones`;
    lines.push(`Remedy for ${who}: ${adviceText(d.advice, diagnoses.length)}`);
    return lines;
  }
  lines.push('Remedies (phones that share one are listed together):');
  for (const group of groups)
    lines.push(
      `  ${group.length} phone(s) (${names(
        group.map((d) => d.phone),
        all,
      )})${needsVisit(group[0]!.recovery) ? ', need a visit' : ''}: ${adviceText(group[0]!.advice, group.length)}`,
    );
  return lines;
}

/** The index of each phone in the last context, to find it in earlier ones without a scan (phones keep their place). */
function phoneAt(cluster: ClusterState | null, id: string, hint: number): PhoneState | undefined {
  const phones = cluster?.phones ?? [];
  const at = phones[hint];
  return at?.id === id ? at : phones.find((p) => p.id === id);
}

/** When the ITL a phone holds at the end was installed: the first event of the last run of contexts in which it held it. Pure. */
function installedOf(contexts: ClusterContext[], phone: PhoneState, hint: number): Installed | undefined {
  let k = contexts.length - 1;
  if (!phone.itl || phoneAt(contexts[k]?.cluster ?? null, phone.id, hint)?.itl !== phone.itl) return undefined;
  while (k > 0 && phoneAt(contexts[k - 1]!.cluster, phone.id, hint)?.itl === phone.itl) k--;
  return { event: k + 1, version: contexts[k]!.cluster!.version };
}

/** A locked phone's causal history, when the replay kept its contexts. Pure. */
function history(
  events: LogEvent[],
  reports: EventReport[],
  contexts: ClusterContext[],
  final: ClusterState,
  id: string,
) {
  if (contexts.length === 0) return undefined;
  const trace = { events: events.slice(0, contexts.length), contexts, reports: reports.slice(0, contexts.length) };
  const story = phoneStory(trace, id, contexts.length - 1);
  const hint = final.phones.findIndex((p) => p.id === id);
  return story && storyText(story, events, installedOf(contexts, final.phones[hint]!, hint));
}

/** The diagnosis of each locked phone (the first FIRST_LOCKED unless `all`): its history, why, and its recovery. Pure. */
export function diagnosis(
  events: LogEvent[],
  final: ClusterContext,
  reports: EventReport[],
  diagnoses: Diagnosis[],
  all: boolean,
  contexts: ClusterContext[],
): string[] {
  if (diagnoses.length === 0) return ['Locked phones: none'];
  const shown = all ? diagnoses : diagnoses.slice(0, FIRST_LOCKED);
  const lines = [
    diagnoses.length > shown.length
      ? `Locked phones: diagnosis of the first ${shown.length} of ${diagnoses.length} (--phones all diagnoses every one)`
      : 'Locked phones: diagnosis',
  ];
  for (const d of shown) {
    lines.push(`${d.phone}: ${d.ctlFailures.length ? 'CTL update failed' : 'Trust List Update Failed'}`);
    const story = history(events, reports, contexts, final.cluster!, d.phone);
    if (story) lines.push(`  history: ${story}`);
    for (const failure of d.ctlFailures) lines.push(`  ${ctlReasonText(failure)}`);
    for (const failure of d.failures) lines.push(`  ${reasonText(failure)}`);
    lines.push(`  recovery (${d.recovery}): ${adviceText(d.advice)}`);
  }
  return lines;
}
