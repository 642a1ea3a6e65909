import type { ClusterContext } from '../machines/clusterMachine.ts';
import { replayFrom } from '../machines/replay.ts';
import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import type { StoredItl } from '../model/cluster/itlStore.ts';
import type { LogEvent } from '../model/events.ts';
import { later, type Finding, type Trace } from './trace.ts';

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
  if (after.reports[0]!.refusals.length > 0) return undefined;
  return publisherOf(after.final.cluster!).certs.ITLRecovery?.cert.sha1;
}

/** Phones the headline speaks of: powered on, holding an ITL, booting from a node no attacker impersonates. */
function candidates(cluster: ClusterState): PhoneState[] {
  return cluster.phones.filter(
    (p) => p.online && p.itl && !cluster.nodes.find((n) => n.id === (p.pendingTftp ?? p.tftp))?.tftp?.forgery,
  );
}

/** Simulates reset + Reset all, then for each phone's node a TFTP restart + Reset all; returns the phones that are not trusted. */
export function failsRecovery(context: ClusterContext, reset: LogEvent, phones: PhoneState[]): Finding[] {
  const at = reset.at;
  const trustIn = (c: ClusterContext, id: string) => c.cluster!.phones.find((q) => q.id === id)!;
  const first = replayFrom(context, [reset, { type: 'devices.reset', at: later(at, 60) }]).final;
  const bad: Finding[] = phones
    .filter((p) => trustIn(first, p.id).trust !== 'trusted')
    .map((p) => ({
      phone: p.id,
      why: `${p.id} is ${trustIn(first, p.id).trust} after ${reset.type} ${'key' in reset ? reset.key : ''} + devices.reset`,
    }));
  const nodes = [...new Set(phones.map((p) => trustIn(first, p.id).tftp))];
  for (const node of nodes) {
    const again = replayFrom(first, [
      { type: 'tftp.restart', at: later(at, 120), node },
      { type: 'devices.reset', at: later(at, 180) },
    ]).final;
    for (const p of phones.filter((x) => trustIn(first, x.id).tftp === node)) {
      const trust = trustIn(again, p.id).trust;
      if (trust !== 'trusted' && !bad.some((b) => b.phone === p.id))
        bad.push({ phone: p.id, why: `${p.id} is ${trust} after a later tftp.restart of ${node} + devices.reset` });
    }
  }
  return bad;
}

/** Recovery over one context, for the phones whose ITL `eligible` accepts given the key the reset signs with. */
export function recoveryCheck(
  trace: Trace,
  i: number,
  eligible: (itl: StoredItl, keySha1: string) => boolean,
): Finding | null {
  const context = trace.contexts[i]!;
  const cluster = context.cluster!;
  for (const reset of resetCommands(cluster, later(trace.events[i]!.at, 60))) {
    const key = resetKeySha1(context, reset);
    if (!key) continue;
    const phones = candidates(cluster).filter((p) => eligible(cluster.itls[p.itl!]!, key));
    if (phones.length === 0) continue;
    const bad = failsRecovery(context, reset, phones);
    if (bad.length) return { phone: bad[0]!.phone!, why: bad.map((b) => b.why).join('; ') };
  }
  return null;
}
