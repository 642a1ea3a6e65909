import { phoneTrust } from '../model/trust/boot.ts';
import type { NodeState, PhoneState, TftpState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from '../model/replay/evolve.ts';

/**
 * What the inspector may see of the machines' contexts: named fields only, certificates by subject,
 * serial and SHA-1, ITLs by SHA-1; never a key, a seed, ITL bytes or a password.
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

/** A log event as the inspector shows it: the cluster security password replaced by a mark. Pure. */
export function logEventView(event: LogEvent): LogEvent {
  return 'securityPassword' in event ? ({ ...event, securityPassword: '(hidden)' } as LogEvent) : event;
}
