import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import type { Diagnosis } from '../machines/diagnose.ts';
import { publisherOf, servedItl } from '../model/cluster/buildItls.ts';
import type { ClusterState, NodeState, PhoneState } from '../model/cluster/clusterState.ts';
import { itlRecoveryRecord, type StoredItl } from '../model/cluster/itlStore.ts';
import type { LogEvent } from '../model/events.ts';
import { eventNode } from './describeEvent.ts';
import { adviceText } from './adviceText.ts';
import { ctlReasonText, reasonText } from './reasonText.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { secureRegistration } from '../model/trust/secureRegistration.ts';
import { refusalText } from './refusalText.ts';
import { alertText, noteText } from './noteText.ts';
import { HAZARD_IDS } from '../model/cluster/hazards.ts';
import { storyText } from './storyText.ts';
import type { LogCheck, LogViolation } from '../properties/logCheck.ts';

const TRUST = { noItl: 'none', trusted: 'trusted', locked: 'locked' } as const;

/** Whether a phone's installed ITL lacks the publisher's current ITLRecovery entry (SEED's verification view). Pure. */
export function atRisk(cluster: ClusterState, phone: PhoneState): boolean {
  const current = publisherOf(cluster).certs.ITLRecovery?.cert.sha1;
  const record = phone.itl ? itlRecoveryRecord(cluster.itls[phone.itl]!) : undefined;
  return !!current && record?.certSha1 !== current;
}

/** A CTL as `--json` names it. Pure. */
function ctlJson(ctl: StoredItl | undefined) {
  return ctl ? { sha1: ctl.sha1, md5: ctl.md5, length: ctl.length, signer: ctl.signer.subject } : null;
}

function phoneJson(cluster: ClusterState, phone: PhoneState, diagnosis: Diagnosis | undefined) {
  const itl = phone.itl ? cluster.itls[phone.itl]! : null;
  const ctl = phone.ctl ? cluster.itls[phone.ctl.file] : undefined;
  const secure = secureRegistration(cluster, phone);
  return {
    trust: TRUST[phoneTrust(phone)],
    status: phone.status,
    itl: itl && { sha1: itl.sha1, md5: itl.md5, signer: itl.signer.subject, hasItlRecovery: !!itlRecoveryRecord(itl) },
    tftp: phone.pendingTftp ?? phone.tftp,
    online: phone.online,
    recovery: diagnosis?.recovery ?? null,
    rule: phone.lastDecision?.rule ?? null,
    reasons: (phone.lastDecision?.failures ?? []).map(reasonText),
    failures: phone.lastDecision?.failures ?? [],
    configAccepted: phone.configAccepted,
    atRisk: atRisk(cluster, phone),
    ...(diagnosis ? { remedy: adviceText(diagnosis.advice) } : {}),
    ctl: ctl ? { sha1: ctl.sha1, md5: ctl.md5, signer: ctl.signer.subject } : null,
    ...(phone.ctl
      ? {
          ctlState: phone.ctl.state,
          ctlRule: phone.ctl.rule,
          ctlFailures: phone.ctl.failures,
          ctlReasons: phone.ctl.failures.map(ctlReasonText),
        }
      : {}),
    ...(phone.sbd === false ? { sbd: false } : {}),
    // H2: the ITL its last boot offered was too large to load; it does not register.
    ...(phone.unloadableItl ? { itlTooLarge: true, registers: false } : {}),
    ...(secure === undefined ? {} : { securityProfile: phone.securityProfile, secureRegistration: secure }),
  };
}

function nodeItl(itl: StoredItl | undefined) {
  return itl
    ? { sha1: itl.sha1, md5: itl.md5, length: itl.length, signer: itl.signer.subject, origin: itl.origin }
    : null;
}

function nodeJson(cluster: ClusterState, node: NodeState) {
  const served = servedItl(node);
  const certs = Object.fromEntries(
    Object.entries(node.certs).map(([kind, id]) => [
      kind,
      { serial: id.cert.serial, subject: id.cert.subject, sha1: id.cert.sha1, bits: id.cert.bits },
    ]),
  );
  return {
    hostname: node.hostname,
    role: node.role,
    tftp: !!node.tftp,
    itl: nodeItl(served ? cluster.itls[served] : undefined),
    ctl: ctlJson(cluster.ctl && node.tftp ? cluster.itls[cluster.ctl] : undefined),
    certs,
  };
}

/** A property the log violates, as `--json` gives it. Pure. */
function violationJson(v: LogViolation, events: LogEvent[]) {
  return {
    property: v.property.name,
    event: v.event,
    ...(v.phone ? { phone: v.phone } : {}),
    expectedToHold: v.property.expectedToHold,
    options: v.options,
    forbids: v.property.forbids,
    explanation: v.story ? storyText(v.story, events) : v.why,
  };
}

/** The `replay --json` document of README.md (`itl-model replay`); `violations` is absent with --no-check. Pure. */
export function replayJson(
  events: LogEvent[],
  final: ClusterContext,
  reports: EventReport[],
  diagnoses: Diagnosis[],
  check?: LogCheck,
) {
  const cluster = final.cluster!;
  const byPhone = new Map(diagnoses.map((d) => [d.phone, d]));
  return {
    events: reports.filter((r) => r.type !== 'clock').length,
    version: cluster.version,
    securityMode: cluster.securityMode === 'mixed' ? 1 : 0,
    parameters: cluster.parameters,
    phones: Object.fromEntries(cluster.phones.map((p) => [p.id, phoneJson(cluster, p, byPhone.get(p.id))])),
    nodes: Object.fromEntries(cluster.nodes.map((n) => [n.id, nodeJson(cluster, n)])),
    messages: reports.flatMap((r) =>
      r.refusals.map((refusal) => ({
        event: r.event,
        node: eventNode(events[r.event - 1]!) ?? null,
        kind: refusal.kind,
        text: refusalText(refusal),
      })),
    ),
    alerts: reports.flatMap((r) =>
      r.alerts.map((a) => ({
        event: r.event,
        kind: a.kind,
        ...(a.kind === 'itlrecovery-not-backed-up' ? {} : { hazard: HAZARD_IDS[a.kind], ...a }),
        text: alertText(a),
      })),
    ),
    ...(check
      ? {
          violations: check.violations.map((v) => violationJson(v, events)),
          propertiesCheckedAfter: check.checkedAfter,
        }
      : {}),
    timeline: reports.flatMap((r) => [
      ...(r.ended
        ? [
            {
              event: r.event,
              type: 'restarts-end' as const,
              at: r.ended.at,
              notes: [],
              booted: r.ended.booted.length,
              locked: r.ended.locked,
              stillLocked: r.ended.stillLocked,
              recovered: r.ended.recovered,
            },
          ]
        : []),
      ...(r.type === 'clock'
        ? []
        : [
            {
              event: r.event,
              type: r.type,
              at: r.at,
              notes: r.notes.map(noteText),
              booted: r.booted.length,
              locked: r.locked,
              stillLocked: r.stillLocked,
              recovered: r.recovered,
            },
          ]),
    ]),
  };
}
