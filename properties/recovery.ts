import type { ClusterContext } from '../machines/clusterMachine.ts';
import { replayFrom } from '../machines/replay.ts';
import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, ModelOptions, PhoneState } from '../model/cluster/clusterState.ts';
import type { StoredItl } from '../model/cluster/itlStore.ts';
import type { LogEvent } from '../model/events.ts';
import { Role } from '../model/itl/tags.ts';
import { itlSigner } from '../model/releases.ts';
import { phoneTrust } from '../model/trust/boot.ts';
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

/** The certificate SHA-1 a 10.x reset command would sign with (the ITLRecovery after it), or undefined when the command fails (A7, A8). */
function resetKeySha1(context: ClusterContext, reset: LogEvent): string | undefined {
  const after = replayFrom(context, [reset]);
  if (after.reports[0]!.refusals.length > 0) return undefined;
  return publisherOf(after.final.cluster!).certs.ITLRecovery?.cert.sha1;
}

/** Phones the headline speaks of: powered on, holding an ITL (or, `withCtl`, a CTL), booting from a node no attacker impersonates. */
function candidates(cluster: ClusterState, withCtl = false): PhoneState[] {
  return cluster.phones.filter(
    (p) =>
      p.online &&
      (p.itl || (withCtl && p.ctl)) &&
      !cluster.nodes.find((n) => n.id === (p.pendingTftp ?? p.tftp))?.tftp?.forgery,
  );
}

const phoneIn = (c: ClusterContext, id: string) => c.cluster!.phones.find((q) => q.id === id)!;

/** Simulates reset + Reset all, then for each phone's node a TFTP restart + Reset all; returns the phones that are not trusted. */
export function failsRecovery(context: ClusterContext, reset: LogEvent, phones: PhoneState[]): Finding[] {
  const at = reset.at;
  const first = replayFrom(context, [reset, { type: 'devices.reset', at: later(at, 60) }]).final;
  const bad: Finding[] = phones
    .filter((p) => phoneTrust(phoneIn(first, p.id)) !== 'trusted')
    .map((p) => ({
      phone: p.id,
      why: `${p.id} is ${phoneTrust(phoneIn(first, p.id))} after ${reset.type} ${'key' in reset ? reset.key : ''} + devices.reset`,
    }));
  const nodes = [...new Set(phones.map((p) => phoneIn(first, p.id).tftp))];
  for (const node of nodes) {
    const again = replayFrom(first, [
      { type: 'tftp.restart', at: later(at, 120), node },
      { type: 'devices.reset', at: later(at, 180) },
    ]).final;
    for (const p of phones.filter((x) => phoneIn(first, x.id).tftp === node)) {
      const trust = phoneTrust(phoneIn(again, p.id));
      if (trust !== 'trusted' && !bad.some((b) => b.phone === p.id))
        bad.push({ phone: p.id, why: `${p.id} is ${trust} after a later tftp.restart of ${node} + devices.reset` });
    }
  }
  return bad;
}

/** Whether the cluster runs a release from 12.0 (ITLRecovery signs the ITL; the 12.0+ procedures apply). Pure. */
export function from12(cluster: ClusterState): boolean {
  return itlSigner(cluster.version) === 'itlRecovery';
}

/** Recovery over one context (10.x–11.x, non-secure), for the phones whose ITL `eligible` accepts given the key the reset signs with. */
export function recoveryCheck(
  trace: Trace,
  i: number,
  eligible: (itl: StoredItl, keySha1: string) => boolean,
): Finding | null {
  const context = trace.contexts[i]!;
  const cluster = context.cluster!;
  if (from12(cluster) || cluster.ctl) return null;
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

/** A documented 12.0+ recovery: the key it signs with, and its steps, each ending with Reset all, checked or not. */
interface Procedure {
  keySha1: string;
  steps: Array<{ events: LogEvent[]; checkpoint: boolean }>;
}

/**
 * The documented recoveries from 12.0 (docs/rules.md §15.4, §16.8), at times after `at`: non-secure, `utils
 * itl reset localkey` (signs with the publisher's CallManager) or `remotekey` (a saved p12's key) →
 * Reset all → TFTP restart on every TFTP node → Reset all; mixed mode (the cluster has a CTL), `utils
 * ctl reset localkey` (the publisher's CallManager) → Reset all → `utils ctl update CTLFile` and TFTP
 * restarts → Reset all. Commands the cluster refuses are left out.
 */
export function procedures12(context: ClusterContext, at: string): Procedure[] {
  const cluster = context.cluster!;
  const pub = publisherOf(cluster);
  const tftpNodes = cluster.nodes.filter((n) => n.tftp).map((n) => n.id);
  let t = 0;
  const next = () => later(at, 60 * ++t);
  const restarts = (): LogEvent[] => [
    ...tftpNodes.map((node): LogEvent => ({ type: 'tftp.restart', at: next(), node })),
    { type: 'devices.reset', at: next() },
  ];
  const cmP = pub.certs.CallManager.cert.sha1;
  if (cluster.ctl) {
    const reset: LogEvent = { type: 'ctl.reset', at: next(), node: pub.id, key: 'localkey' };
    return [
      {
        keySha1: cmP,
        steps: [
          { events: [reset, { type: 'devices.reset', at: next() }], checkpoint: false },
          { events: [{ type: 'ctl.update', at: next(), node: pub.id }, ...restarts()], checkpoint: true },
        ],
      },
    ];
  }
  const out: Procedure[] = [];
  for (const reset of resetCommands(cluster, next())) {
    if (replayFrom(context, [reset]).reports[0]!.refusals.length > 0) continue;
    const backup =
      reset.type === 'itl.reset' && reset.key === 'remotekey'
        ? cluster.backups.find((b) => b.location === `${reset.user}@${reset.host}:${reset.path}`)
        : undefined;
    out.push({
      keySha1: backup ? backup.cert.sha1 : cmP,
      steps: [
        { events: [reset, { type: 'devices.reset', at: next() }], checkpoint: true },
        { events: restarts(), checkpoint: true },
      ],
    });
  }
  return out;
}

/** Whether a file (ITL or CTL) holds the certificate as a SAST record. Pure. */
export function holdsSast(file: StoredItl | undefined, certSha1: string): boolean {
  return !!file && file.records.some((r) => r.role === Role.SAST && r.certSha1 === certSha1);
}

/** Which phones a 12.0+ procedure signing with the key must recover (of those powered on, holding an ITL or a CTL, on a genuine node). */
export type Eligible12 = (
  cluster: ClusterState,
  phone: PhoneState,
  keySha1: string,
  options: Partial<ModelOptions>,
) => boolean;

/**
 * Recovery over one context from 12.0 (non-secure and mixed mode), for the phones `eligible` accepts:
 * trusted after each checkpoint of the procedure (`finalOnly`: at its end).
 */
export function procedureCheck(trace: Trace, i: number, eligible: Eligible12, finalOnly = false): Finding | null {
  const context = trace.contexts[i]!;
  const cluster = context.cluster!;
  if (!from12(cluster)) return null;
  for (const proc of procedures12(context, trace.events[i]!.at)) {
    const phones = candidates(cluster, true).filter((p) => eligible(cluster, p, proc.keySha1, trace.options ?? {}));
    if (phones.length === 0) continue;
    let now = context;
    const shown: string[] = [];
    for (const [k, step] of proc.steps.entries()) {
      now = replayFrom(now, step.events).final;
      shown.push(...step.events.map((e) => ('key' in e ? `${e.type} ${e.key}` : e.type)));
      if (finalOnly ? k < proc.steps.length - 1 : !step.checkpoint) continue;
      const bad = phones.find((p) => phoneTrust(phoneIn(now, p.id)) !== 'trusted');
      if (bad)
        return { phone: bad.id, why: `${bad.id} is ${phoneTrust(phoneIn(now, bad.id))} after ${shown.join(' + ')}` };
    }
  }
  return null;
}
