import type { ClusterState, NodeState, PhoneState } from '../model/cluster/clusterState.ts';
import { servedItl } from '../model/cluster/buildItls.ts';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from './clusterMachine.ts';
import { nodeSnapshotAt, regenEnv } from './runNodes.ts';

/** An ITL as the inspector shows it: never its bytes. */
export interface ItlView {
  sha1: string;
  signer: string;
  origin: string;
}

function itlView(cluster: ClusterState, sha1: string | null | undefined): ItlView | null {
  const itl = sha1 ? cluster.itls[sha1] : undefined;
  return itl ? { sha1: itl.sha1, signer: itl.signer.subject, origin: itl.origin } : null;
}

/** A phone as its live actor shows it (no key material exists in a phone's state, but only named fields are copied). Pure. */
export function phoneView(cluster: ClusterState, p: PhoneState) {
  return {
    id: p.id,
    trust: p.trust,
    status: p.status,
    tftp: p.pendingTftp ?? p.tftp,
    tvs: p.tvs,
    online: p.online,
    firmware: p.firmware,
    itl: itlView(cluster, p.itl),
    rule: p.lastDecision?.rule ?? null,
    reasons: p.lastDecision?.reasons ?? [],
    decidedAt: p.lastDecision?.event ?? null,
    lockedAt: p.lockedAt ?? null,
    recoveredAt: p.recoveredAt ?? null,
  };
}

/** A node as its live actor shows it: the node machine's state at that moment, certificates by serial and SHA1 (never their keys). Pure. */
export function nodeView(cluster: ClusterState, n: NodeState, at: string) {
  const value = nodeSnapshotAt(n, at, regenEnv(cluster)).value as {
    holdTimer: 'idle' | 'running';
    tftp: 'inactive' | 'normal' | 'reset' | 'forged';
  };
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
    holdTimer: value.holdTimer,
    tftp: value.tftp,
    lastRegen: n.lastRegen ?? null,
    certs,
    serves: itlView(cluster, servedItl(n)),
  };
}

/** The cluster as its live actor shows it after an event: counts and what the event caused, never seeds, keys or passwords. Pure. */
export function clusterView(context: ClusterContext) {
  const cluster = context.cluster;
  const count = (trust: string) => cluster?.phones.filter((p) => p.trust === trust).length ?? 0;
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

/** Types of the views the live actors hold. */
export type PhoneView = ReturnType<typeof phoneView>;
export type NodeView = ReturnType<typeof nodeView>;
export type ClusterView = ReturnType<typeof clusterView>;

/** A log event as the inspector shows it: the cluster security password replaced by a mark. Pure. */
export function logEventView(event: LogEvent): LogEvent {
  return 'securityPassword' in event ? ({ ...event, securityPassword: '(hidden)' } as LogEvent) : event;
}
