import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { replay, replayFrom, settleContext } from '../machines/replay.ts';
import type { ClusterState, ModelOptions, PhoneState } from '../model/cluster/clusterState.ts';
import { itlRecoveryRecord, tvsHashes, type StoredItl } from '../model/cluster/itlStore.ts';
import type { LogEvent } from '../model/events.ts';
import { Role } from '../model/itl/tags.ts';
import { realCrypto } from '../model/trust/realCrypto.ts';

/** A replayed log: its events, the context after each event, each event's report, and the options used. */
export interface Trace {
  events: LogEvent[];
  contexts: ClusterContext[];
  reports: EventReport[];
  options?: ModelOptions;
}

/** A named invariant: checked at prefix `i` (0-based index of the last event); returns why it is violated, or null. */
export interface Invariant {
  name: string;
  /** False for a known weakness of the real system (style.md convention 9): the checker must find its counterexample. */
  expectedToHold: boolean;
  check(trace: Trace, i: number): string | null;
}

function later(at: string, seconds: number): string {
  return new Date(Date.parse(at) + seconds * 1000).toISOString();
}

/** The keys `utils itl reset` would sign with now, as the events that run it: localkey, and remotekey for every saved p12. */
export function resetCommands(cluster: ClusterState, at: string): LogEvent[] {
  const pub = publisherOf(cluster);
  const remote = cluster.backups.map((b): LogEvent => {
    const [userHost, path] = b.location.split(':') as [string, string];
    const [user, host] = userHost.split('@') as [string, string];
    return { type: 'itl.reset', at, node: pub.id, key: 'remotekey', host, user, path };
  });
  return [{ type: 'itl.reset', at, node: pub.id, key: 'localkey' }, ...remote];
}

/** The certificate SHA-1 a reset command would sign with, or undefined when the command fails (A7, A8). */
function resetKeySha1(context: ClusterContext, reset: LogEvent): string | undefined {
  const after = replayFrom(context, [reset]);
  if (after.reports[0]!.messages.length > 0) return undefined;
  const pub = publisherOf(after.final.cluster!);
  return pub.certs.ITLRecovery?.cert.sha1;
}

/** Phones the headline speaks of: powered on, holding an ITL, booting from a node no attacker impersonates. */
function candidates(cluster: ClusterState): PhoneState[] {
  return cluster.phones.filter((p) => p.online && p.itl && !cluster.nodes.find((n) => n.id === (p.pendingTftp ?? p.tftp))?.tftp?.forgery);
}

/** Simulates reset + Reset all, then for each phone's node a TFTP restart + Reset all; returns the phones that are not trusted. */
export function failsRecovery(context: ClusterContext, reset: LogEvent, phones: PhoneState[]): string[] {
  const at = reset.at;
  const first = replayFrom(context, [reset, { type: 'devices.reset', at: later(at, 60) }]).final;
  const bad = phones.filter((p) => first.cluster!.phones.find((q) => q.id === p.id)!.trust !== 'trusted').map((p) => `${p.id} is ${first.cluster!.phones.find((q) => q.id === p.id)!.trust} after ${reset.type} ${'key' in reset ? reset.key : ''} + devices.reset`);
  const nodes = [...new Set(phones.map((p) => first.cluster!.phones.find((q) => q.id === p.id)!.tftp))];
  for (const node of nodes) {
    const again = replayFrom(first, [{ type: 'tftp.restart', at: later(at, 120), node }, { type: 'devices.reset', at: later(at, 180) }]).final;
    for (const p of phones.filter((x) => first.cluster!.phones.find((q) => q.id === x.id)!.tftp === node)) {
      const trust = again.cluster!.phones.find((q) => q.id === p.id)!.trust;
      if (trust !== 'trusted' && !bad.some((b) => b.startsWith(p.id))) bad.push(`${p.id} is ${trust} after a later tftp.restart of ${node} + devices.reset`);
    }
  }
  return bad;
}

/** The headline over one context, for phones selected by `eligible(phone, keySha1)`. */
function recoveryCheck(trace: Trace, i: number, eligible: (itl: StoredItl, keySha1: string) => boolean): string | null {
  const context = trace.contexts[i]!;
  const cluster = context.cluster!;
  for (const reset of resetCommands(cluster, later(trace.events[i]!.at, 60))) {
    const key = resetKeySha1(context, reset);
    if (!key) continue;
    const phones = candidates(cluster).filter((p) => eligible(cluster.itls[p.itl!]!, key));
    if (phones.length === 0) continue;
    const bad = failsRecovery(context, reset, phones);
    if (bad.length) return bad.join('; ');
  }
  return null;
}

function itlChanges(trace: Trace, i: number): Array<{ before: PhoneState | undefined; after: PhoneState }> {
  const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
  return trace.contexts[i]!.cluster!.phones.filter((p) => p.itl && p.itl !== prev?.phones.find((q) => q.id === p.id)?.itl).map((after) => ({ before: prev?.phones.find((q) => q.id === after.id), after }));
}

/** Whether the ITL change of a phone is justified by R0, R2 (a SAST of its old ITL signed it) or R3 (an authenticated TVS vouched). */
function justified(prev: ClusterState, now: ClusterState, before: PhoneState | undefined, after: PhoneState, itl: StoredItl): string | null {
  if (!before?.itl) return after.lastDecision?.rule === 'R0' ? null : `${after.id} installed its first ITL under ${after.lastDecision?.rule}`;
  if (itl.origin === 'forged') return `${after.id} replaced its ITL with a forged one`;
  const old = prev.itls[before.itl]!;
  const signer = itl.records[itl.signer.recordIndex];
  const sast = old.records.find((r) => r.role === Role.SAST && r.serial === itl.signer.serial && r.issuer === itl.signer.issuer);
  if (sast && realCrypto.itlSignedBy(itl, { sha1: sast.certSha1, der: sast.cert })) return null;
  const pinned = new Set(tvsHashes(old));
  const reachable = after.tvs.some((t) => pinned.has(now.nodes.find((n) => n.id === t)!.certs.TVS.cert.sha1));
  const known = signer && now.nodes.some((n) => Object.values(n.certs).some((c) => c && c.cert.sha1 === signer.certSha1));
  return reachable && known ? null : `${after.id} installed ITL ${itl.sha1.slice(0, 12)} (signer ${itl.signer.subject}) that neither a SAST record nor an authenticated TVS vouched for`;
}

/** The events of a log `regenerationsKeepTrust` speaks of. */
const REGEN_ONLY_EVENTS = new Set(['cluster.install', 'phone.add', 'cert.regenerate']);

const CN = /(?:^|[;,])CN=ITLRECOVERY_([^;,]+)/;

/** The registry (style.md convention 7). The README's "## Invariants" section lists exactly these names. */
export const invariants: Invariant[] = [
  {
    // Headline: `utils itl reset` + Reset all recovers every powered-on phone whose ITL holds the ITLRECOVERY
    // record of the key the reset signs with (localkey, or a p12 that opens), and a later TFTP restart keeps it trusted.
    name: 'recoveryWithItlRecovery',
    expectedToHold: true,
    check: (trace, i) => recoveryCheck(trace, i, (itl, key) => itlRecoveryRecord(itl)?.certSha1 === key),
  },
  {
    // Security: a phone installs an ITL only on first boot (R0), by a SAST key of its ITL (R2), or when a TVS it
    // authenticated vouched (R3); a phone that had an ITL never installs a forged one.
    name: 'noUnverifiedItl',
    expectedToHold: true,
    check: (trace, i) => {
      const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
      const cluster = trace.contexts[i]!.cluster!;
      const event = trace.events[i]!;
      for (const { before, after } of itlChanges(trace, i)) {
        // An ITL erased from the phone's menu (§3.6) puts it back on R0 in the same event.
        const erased = event.type === 'phone.deleteItl' && event.phone === after.id && after.lastDecision?.rule === 'R0';
        if (erased) continue;
        // A phone back from an automatic restart (A14) booted against the world before this event.
        const met = prev && trace.reports[i]!.back.includes(after.id) ? prev : cluster;
        const why = prev ? justified(prev, met, before, after, cluster.itls[after.itl!]!) : after.lastDecision?.rule === 'R0' ? null : 'first ITL not by R0';
        if (why) return why;
      }
      return null;
    },
  },
  {
    // The 5-minute hold timer (§4.2, A13): never two accepted regenerations on one node less than 300 s apart.
    name: 'holdTimer',
    expectedToHold: true,
    check: (trace, i) => {
      const event = trace.events[i]!;
      if (event.type !== 'cert.regenerate' || trace.reports[i]!.messages.length > 0) return null;
      for (let j = i - 1; j >= 0; j--) {
        const e = trace.events[j]!;
        if ((Date.parse(event.at) - Date.parse(e.at)) / 1000 >= 300) break;
        if (e.type === 'cert.regenerate' && e.node === event.node && trace.reports[j]!.messages.length === 0) return `${event.node}: ${e.cert} at ${e.at} and ${event.cert} at ${event.at} both accepted`;
      }
      return null;
    },
  },
  {
    // §2.3/SEED: the ITLRECOVERY record keeps the publisher's FQDN from when the key was made; a rename or
    // domain change never alters it (only install, upgrade to 10.x, or a rebuild names a new key).
    name: 'recoveryNameStable',
    expectedToHold: true,
    check: (trace, i) => {
      const names = new Set(trace.contexts.slice(0, i + 1).map((c) => publisherOf(c.cluster!).recoveryFqdn));
      const prev = i > 0 ? publisherOf(trace.contexts[i - 1]!.cluster!).recoveryFqdn : undefined;
      const now = publisherOf(trace.contexts[i]!.cluster!).recoveryFqdn;
      if (prev !== undefined && prev !== now && !['cluster.upgrade', 'publisher.rebuild'].includes(trace.events[i]!.type)) return `${trace.events[i]!.type} renamed the recovery key ${prev} -> ${now}`;
      const cluster = trace.contexts[i]!.cluster!;
      for (const node of cluster.nodes) {
        const itl = node.tftp && cluster.itls[node.tftp.normalItl];
        const name = itl && itlRecoveryRecord(itl)?.subject.match(CN)?.[1];
        if (name && !names.has(name)) return `${node.id}'s ITL names ITLRECOVERY_${name}, never the publisher's recovery FQDN`;
      }
      return null;
    },
  },
  {
    // The hold timer's purpose (§4.2, A14): while the log holds only the install, phones plugged in and accepted or
    // refused `set cert regen`, no phone locks, also once the automatic restarts under way have ended.
    name: 'regenerationsKeepTrust',
    expectedToHold: true,
    check: (trace, i) => {
      if (!trace.events.slice(0, i + 1).every((e) => REGEN_ONLY_EVENTS.has(e.type))) return null;
      const locked = settleContext(trace.contexts[i]!).cluster!.phones.filter((p) => p.trust === 'locked').map((p) => p.id);
      return locked.length ? `${locked.join(', ')} locked by regenerations alone` : null;
    },
  },
  {
    // Event sourcing: replay is a pure fold, so replaying the same log again gives the same context (checked on the whole log).
    name: 'replayDeterministic',
    expectedToHold: true,
    check: (trace, i) => (i < trace.contexts.length - 1 || JSON.stringify(replay(trace.events.slice(0, i + 1), { options: trace.options }).final) === JSON.stringify(trace.contexts[i]) ? null : `replaying the first ${i + 1} events again gave another context`),
  },
  {
    // Event sourcing: replaying `b` from the JSON-persisted snapshot after `a` equals replaying `a ++ b`.
    name: 'snapshotReplay',
    expectedToHold: true,
    check: (trace, i) => {
      const last = trace.contexts.length - 1;
      if (i === last) return null;
      const resumed = replayFrom(JSON.parse(JSON.stringify(trace.contexts[i])) as ClusterContext, trace.events.slice(i + 1)).final;
      return JSON.stringify(resumed) === JSON.stringify(trace.contexts[last]) ? null : `resuming from the snapshot after event ${i + 1} diverged`;
    },
  },
  {
    // Known weakness (domain.md §5.5 #1–#3, expected to fail): a phone whose ITL lacks the current recovery key
    // (pre-10.0 ITL, ITLRecovery regenerated without TFTP restart, publisher rebuilt without its p12) stays locked.
    name: 'recoveryForEveryPhone',
    expectedToHold: false,
    check: (trace, i) => recoveryCheck(trace, i, () => true),
  },
  {
    // Known weakness (domain.md §3.2 R0, trust on first use; expected to fail): a phone without an ITL installs whatever
    // its TFTP serves, so one that boots from an impersonated TFTP server holds the attacker's ITL.
    name: 'noForgedItl',
    expectedToHold: false,
    check: (trace, i) => {
      const cluster = trace.contexts[i]!.cluster!;
      const phone = cluster.phones.find((p) => p.itl && cluster.itls[p.itl]!.origin === 'forged');
      return phone ? `${phone.id} installed a forged ITL (${phone.lastDecision?.rule ?? 'no rule'})` : null;
    },
  },
];

/** Checks every invariant of the registry (or those named) at every prefix; returns the first violation per invariant. */
export function violations(trace: Trace, names?: string[]): Array<{ name: string; at: number; reason: string }> {
  const found: Array<{ name: string; at: number; reason: string }> = [];
  for (const inv of invariants.filter((x) => !names || names.includes(x.name))) {
    for (let i = 0; i < trace.events.length; i++) {
      const reason = inv.check(trace, i);
      if (reason) {
        found.push({ name: inv.name, at: i, reason });
        break;
      }
    }
  }
  return found;
}

/** Replays a log keeping every context: the input of the invariants. Pure. */
export function traceOf(events: LogEvent[], options?: ModelOptions, crypto?: 'real' | 'symbolic'): Trace {
  const result = replay(events, { keepContexts: true, ...(options ? { options } : {}), ...(crypto ? { crypto } : {}) });
  return { events, contexts: result.contexts!, reports: result.reports, ...(options ? { options } : {}) };
}
