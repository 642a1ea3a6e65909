import { phoneTrust } from '../model/trust/boot.ts';
import type { Certificate } from '../model/certs/certificate.ts';
import type { NodeState, PhoneState, TftpState } from '../model/cluster/clusterState.ts';
import type { StoredItl } from '../model/cluster/itlStore.ts';
import { eventFields } from '../model/eventSchemas.ts';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from '../model/replay/evolve.ts';
import type { SignerEvent } from '../model/cluster/signer.ts';
import type { PhoneEvent } from '../model/trust/phoneStep.ts';
import type { NodeEvent } from './nodeMachine.ts';

/**
 * What the inspector may see of the machines' contexts and of the events they receive: named fields
 * only (an allow-list: a field not named here is not shown), certificates by subject, serial and
 * SHA-1, ITL and CTL files by SHA-1; never a key, a seed, file bytes, a certificate's DER or a password.
 */

/** A phone machine's context as the inspector shows it. Pure. */
export function phoneContextView(p: PhoneState) {
  return {
    id: p.id,
    trust: p.trust,
    status: p.status,
    tftp: p.pendingTftp ?? p.tftp,
    tvs: p.tvs,
    online: p.online,
    firmware: p.firmware,
    itl: p.itl,
    ctl: p.ctl ? { file: p.ctl.file, state: p.ctl.state, rule: p.ctl.rule, failures: p.ctl.failures } : null,
    rule: p.lastDecision?.rule ?? null,
    failures: p.lastDecision?.failures ?? [],
    decidedAt: p.lastDecision?.event ?? null,
    restartingUntil: p.restartingUntil ?? null,
    lockedAt: p.lockedAt ?? null,
    recoveredAt: p.recoveredAt ?? null,
  };
}

/** A node machine's context as the inspector shows it: its certificates and its hold timer's start. Pure. */
export function nodeContextView(n: NodeState) {
  const certs = Object.fromEntries(
    Object.entries(n.certs).map(([kind, id]) => [
      kind,
      { subject: id.cert.subject, serial: id.cert.serial, sha1: id.cert.sha1 },
    ]),
  );
  return {
    id: n.id,
    hostname: n.hostname,
    role: n.role,
    holdTimer: n.holdTimer,
    lastRegen: n.lastRegen ?? null,
    certs,
  };
}

/** A signer machine's context as the inspector shows it: the files it can serve, by SHA-1. Pure. */
export function signerContextView(t: TftpState | undefined) {
  return {
    normalItl: t?.normalItl ?? null,
    resetItl: t?.resetItl ?? null,
    forgedItl: t?.forgery?.itl ?? null,
    corruptedItl: t?.corruption?.itl ?? null,
    loadedItlRecovery: t?.loadedItlRecovery
      ? { subject: t.loadedItlRecovery.cert.subject, sha1: t.loadedItlRecovery.cert.sha1 }
      : null,
  };
}

/** The cluster machine's context as the inspector shows it: counts and what the last event caused. Pure. */
export function clusterView(context: ClusterContext) {
  const cluster = context.cluster;
  const count = (trust: string) => cluster?.phones.filter((p) => phoneTrust(p) === trust).length ?? 0;
  const last = context.last;
  return {
    events: context.events,
    version: cluster?.version ?? null,
    domain: cluster?.domain ?? null,
    nodes: cluster?.nodes.map((n) => n.id) ?? [],
    phones: {
      total: cluster?.phones.length ?? 0,
      noItl: count('noItl'),
      trusted: count('trusted'),
      locked: count('locked'),
    },
    last: last && {
      event: last.event,
      type: last.type,
      at: last.at,
      notes: last.notes,
      refusals: last.refusals.map((r) => r.kind),
      alerts: last.alerts.map((a) => a.kind),
      booted: last.booted.length,
      locked: last.locked,
      recovered: last.recovered,
    },
  };
}

/** A certificate as the inspector shows it: subject, serial and SHA-1, not its DER. Pure. */
function certView(cert: Certificate) {
  return { subject: cert.subject, serial: cert.serial, sha1: cert.sha1 };
}

/** An ITL or CTL file as the inspector shows it: its SHA-1, whose it is and who signed it, not its bytes. Pure. */
function fileView(file: StoredItl | null) {
  return (
    file && {
      sha1: file.sha1,
      origin: file.origin,
      node: file.node,
      signer: { subject: file.signer.subject, serial: file.signer.serial },
      records: file.records.length,
      ...(file.corrupted ? { corrupted: true } : {}),
    }
  );
}

/** An event as the inspector shows it: its type and the named fields shown for that type. */
export type EventView = { type: string } & Record<string, unknown>;

/** What the phone, node and signer machines receive (and `INSTALLED`, which the live replay makes up for their first snapshot). */
export type MachineEvent = PhoneEvent | NodeEvent | SignerEvent | { type: 'INSTALLED' };

/**
 * An event a phone, node or signer machine received, as the inspector shows it: per type, the fields
 * a person watching needs (the phone, the log event, the TFTP node, the files by SHA-1), never the
 * cluster's nodes, keys or file bytes the event carries for the machine's guards. A type not named
 * here shows its type only. Pure.
 */
export function machineEventView(event: MachineEvent): EventView {
  switch (event.type) {
    case 'BOOT': {
      const { boot } = event;
      return {
        type: event.type,
        phone: boot.phone.id,
        event: boot.event,
        tftp: boot.tftp,
        candidate: fileView(boot.candidate),
        installed: fileView(boot.installed),
        ctl: fileView(boot.ctl),
        heldCtl: boot.heldCtl,
        configSigner: certView(boot.configSigner),
      };
    }
    case 'CTL': {
      const { boot } = event;
      return {
        type: event.type,
        phone: boot.phone.id,
        event: boot.event,
        candidate: fileView(boot.candidate),
        installedCtl: fileView(boot.installedCtl),
        installedItl: fileView(boot.installedItl),
      };
    }
    case 'RESTART':
      return { type: event.type, until: event.until };
    case 'REGENERATE':
      return { type: event.type, cert: event.cert };
    default:
      return { type: event.type };
  }
}

/**
 * A log event as the inspector shows it: the fields its schema names (model/eventSchemas.ts
 * `eventFields`: anything else is left out), the security password replaced by a mark. Pure.
 */
export function logEventView(event: LogEvent): EventView {
  const shown: EventView = { type: event.type };
  const source = event as Record<string, unknown>;
  for (const field of eventFields(event.type))
    if (source[field] !== undefined) shown[field] = field === 'securityPassword' ? '(hidden)' : source[field];
  return shown;
}
