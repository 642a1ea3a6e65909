/**
 * The concrete checks of the registry (properties/registry.ts): each reads a replayed trace (real
 * crypto, the machines' own contexts) at one prefix and says why the property is violated there, or
 * null. They are stated from the rules (docs/rules.md), not from the code that applies them.
 */
import { diagnose, type Diagnosis } from '../machines/diagnose.ts';
import type { ClusterContext } from '../machines/clusterMachine.ts';
import { replay, replayFrom, settleContext } from '../machines/replay.ts';
import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import { itlRecoveryRecord, tvsHashes, type StoredItl } from '../model/cluster/itlStore.ts';
import { Role } from '../model/itl/tags.ts';
import { realCrypto } from '../model/trust/realCrypto.ts';
import { recoveryCheck } from './recovery.ts';
import type { ConcreteCheck, Trace } from './trace.ts';

/** The headline: the reset recovers every eligible phone whose ITL holds the ITLRECOVERY record of the key it signs with. */
export const recoversHolders: ConcreteCheck = (trace, i) =>
  recoveryCheck(trace, i, (itl, key) => itlRecoveryRecord(itl)?.certSha1 === key);

/** The desired property without its premise (a known weakness): the reset recovers every eligible phone. */
export const recoversEveryPhone: ConcreteCheck = (trace, i) => recoveryCheck(trace, i, () => true);

function itlChanges(trace: Trace, i: number): Array<{ before: PhoneState | undefined; after: PhoneState }> {
  const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
  return trace.contexts[i]!.cluster!.phones.filter(
    (p) => p.itl && p.itl !== prev?.phones.find((q) => q.id === p.id)?.itl,
  ).map((after) => ({ before: prev?.phones.find((q) => q.id === after.id), after }));
}

/**
 * Whether the ITL change of a phone is justified: R0 (first ITL), R2 (a SAST record of the old ITL
 * signed it and the signature verifies), or R3 (a TVS the phone authenticated knows the signer, and
 * the signature verifies with its certificate). Never a forged ITL.
 */
function justified(
  prev: ClusterState,
  now: ClusterState,
  before: PhoneState | undefined,
  after: PhoneState,
  itl: StoredItl,
): string | null {
  if (!before?.itl)
    return after.lastDecision?.rule === 'R0'
      ? null
      : `${after.id} installed its first ITL under ${after.lastDecision?.rule}`;
  if (itl.origin === 'forged') return `${after.id} replaced its ITL with a forged one`;
  const old = prev.itls[before.itl]!;
  const signer = itl.records[itl.signer.recordIndex];
  const sast = old.records.find(
    (r) => r.role === Role.SAST && r.serial === itl.signer.serial && r.issuer === itl.signer.issuer,
  );
  if (sast && realCrypto.itlSignedBy(itl, { sha1: sast.certSha1, der: sast.cert })) return null;
  const pinned = new Set(tvsHashes(old));
  const reachable = after.tvs.some((t) => pinned.has(now.nodes.find((n) => n.id === t)!.certs.TVS.cert.sha1));
  const known = now.nodes
    .flatMap((n) => Object.values(n.certs))
    .find((c) => c && signer && c.cert.sha1 === signer.certSha1);
  const verifies = known !== undefined && realCrypto.itlSignedBy(itl, { sha1: known.cert.sha1, der: known.cert.der });
  return reachable && verifies
    ? null
    : `${after.id} installed ITL ${itl.sha1.slice(0, 12)} (signer ${itl.signer.subject}) that neither a SAST record nor an authenticated TVS vouched for with a signature that verifies`;
}

/** Security: a phone installs an ITL only on first boot (R0), by a SAST key of its ITL (R2), or when an authenticated TVS vouched (R3). */
export const installsOnlyVerified: ConcreteCheck = (trace, i) => {
  const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
  const cluster = trace.contexts[i]!.cluster!;
  const event = trace.events[i]!;
  for (const { before, after } of itlChanges(trace, i)) {
    // An ITL erased from the phone's menu puts it back on R0 in the same event.
    const erased = event.type === 'phone.deleteItl' && event.phone === after.id && after.lastDecision?.rule === 'R0';
    if (erased) continue;
    // A phone back from an automatic restart (A14) booted against the world before this event.
    const met = prev && (trace.reports[i]!.ended?.booted.includes(after.id) ?? false) ? prev : cluster;
    const why = prev
      ? justified(prev, met, before, after, cluster.itls[after.itl!]!)
      : after.lastDecision?.rule === 'R0'
        ? null
        : 'first ITL not by R0';
    if (why) return { phone: after.id, why };
  }
  return null;
};

/** The hold timer (§4.2, A13): never two accepted regenerations on one node less than 300 s apart. */
export const regenerationsSpaced: ConcreteCheck = (trace, i) => {
  const event = trace.events[i]!;
  if (event.type !== 'cert.regenerate' || trace.reports[i]!.refusals.length > 0) return null;
  for (let j = i - 1; j >= 0; j--) {
    const e = trace.events[j]!;
    if ((Date.parse(event.at) - Date.parse(e.at)) / 1000 >= 300) break;
    if (e.type === 'cert.regenerate' && e.node === event.node && trace.reports[j]!.refusals.length === 0)
      return { why: `${event.node}: ${e.cert} at ${e.at} and ${event.cert} at ${event.at} both accepted` };
  }
  return null;
};

const CN = /(?:^|[;,])CN=ITLRECOVERY_([^;,]+)/;

/** The ITLRECOVERY record keeps the publisher's FQDN from when the key was made; renames and domain changes never alter it. */
export const recoveryNameKept: ConcreteCheck = (trace, i) => {
  const names = new Set(trace.contexts.slice(0, i + 1).map((c) => publisherOf(c.cluster!).recoveryFqdn));
  const prev = i > 0 ? publisherOf(trace.contexts[i - 1]!.cluster!).recoveryFqdn : undefined;
  const now = publisherOf(trace.contexts[i]!.cluster!).recoveryFqdn;
  if (prev !== undefined && prev !== now && !['cluster.upgrade', 'publisher.rebuild'].includes(trace.events[i]!.type))
    return { why: `${trace.events[i]!.type} renamed the recovery key ${prev} -> ${now}` };
  const cluster = trace.contexts[i]!.cluster!;
  for (const node of cluster.nodes) {
    const itl = node.tftp && cluster.itls[node.tftp.normalItl];
    const name = itl && itlRecoveryRecord(itl)?.subject.match(CN)?.[1];
    if (name && !names.has(name))
      return { why: `${node.id}'s ITL names ITLRECOVERY_${name}, never the publisher's recovery FQDN` };
  }
  return null;
};

/** The events of a log `noLockByRegeneration` speaks of. */
const REGEN_ONLY_EVENTS = new Set(['cluster.install', 'phone.add', 'cert.regenerate']);

/** The hold timer's purpose: with only the install, phones plugged in and `set cert regen`, no phone locks, also once restarts end. */
export const noLockByRegeneration: ConcreteCheck = (trace, i) => {
  if (!trace.events.slice(0, i + 1).every((e) => REGEN_ONLY_EVENTS.has(e.type))) return null;
  const locked = settleContext(trace.contexts[i]!)
    .cluster!.phones.filter((p) => p.trust === 'locked')
    .map((p) => p.id);
  return locked.length ? { phone: locked[0]!, why: `${locked.join(', ')} locked by regenerations alone` } : null;
};

/** Event sourcing: replaying the same log again gives the same context (checked on the whole log). */
export const sameReplayTwice: ConcreteCheck = (trace, i) =>
  i < trace.contexts.length - 1 ||
  JSON.stringify(replay(trace.events.slice(0, i + 1), { options: trace.options }).final) ===
    JSON.stringify(trace.contexts[i])
    ? null
    : { why: `replaying the first ${i + 1} events again gave another context` };

/** Event sourcing: replaying `b` from the JSON-persisted snapshot after `a` equals replaying `a ++ b`. */
export const resumesFromSnapshot: ConcreteCheck = (trace, i) => {
  const last = trace.contexts.length - 1;
  if (i === last) return null;
  const resumed = replayFrom(
    JSON.parse(JSON.stringify(trace.contexts[i])) as ClusterContext,
    trace.events.slice(i + 1),
  ).final;
  return JSON.stringify(resumed) === JSON.stringify(trace.contexts[last])
    ? null
    : { why: `resuming from the snapshot after event ${i + 1} diverged` };
};

/** Trust on first use (a known weakness): no phone holds a forged ITL. */
export const holdsNoForgedItl: ConcreteCheck = (trace, i) => {
  const cluster = trace.contexts[i]!.cluster!;
  const phone = cluster.phones.find((p) => p.itl && cluster.itls[p.itl]!.origin === 'forged');
  return phone
    ? { phone: phone.id, why: `${phone.id} installed a forged ITL (${phone.lastDecision?.rule ?? 'no rule'})` }
    : null;
};

/** What advises a locked phone: the tool's diagnosis (a test gives a worse one to show the property can fail). */
export type Advisor = (context: ClusterContext, phone: string, at: string) => Diagnosis;

/**
 * Advice is safe: following the remedy the tool advises for a locked phone never leaves any phone
 * trusting a key the cluster never had (an attacker's), where it did not before.
 */
export function safeAdvice(advise: Advisor): ConcreteCheck {
  return (trace, i) => {
    const context = trace.contexts[i]!;
    const cluster = context.cluster!;
    const forgedBefore = new Set(
      cluster.phones.filter((p) => p.itl && cluster.itls[p.itl]!.origin === 'forged').map((p) => p.id),
    );
    for (const phone of cluster.phones.filter((p) => p.trust === 'locked')) {
      const advice = advise(context, phone.id, trace.events[i]!.at);
      const after = replayFrom(context, advice.remedy).settled.cluster!;
      const fooled = after.phones.find(
        (p) => p.itl && after.itls[p.itl]!.origin === 'forged' && !forgedBefore.has(p.id),
      );
      if (fooled)
        return {
          phone: phone.id,
          why: `the advice for ${phone.id} (${advice.recovery}) leaves ${fooled.id} trusting an attacker's ITL`,
        };
    }
    return null;
  };
}

/** Advice is safe, for the tool's own diagnosis. */
export const adviceSafe: ConcreteCheck = safeAdvice(diagnose);
