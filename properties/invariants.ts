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
import { phoneTrust } from '../model/trust/boot.ts';
import { from12, holdsSast, procedureCheck, recoveryCheck, type Eligible12 } from './recovery.ts';
import type { ConcreteCheck, Trace } from './trace.ts';

/** The headline (10.x–11.x, non-secure): the reset recovers every eligible phone whose ITL holds the ITLRECOVERY record of the key it signs with. */
export const recoversHolders: ConcreteCheck = (trace, i) =>
  recoveryCheck(trace, i, (itl, key) => itlRecoveryRecord(itl)?.certSha1 === key);

/**
 * The headline from 12.0: a phone whose ITL (non-secure) or CTL, or ITL when it holds no CTL or the
 * anchors are one pool (A18) (mixed mode), holds the key the documented recovery signs with as a SAST
 * record is trusted after each Reset all of the procedure (recovery.ts `procedures12`).
 */
export const recoversByProcedure: ConcreteCheck = (trace, i) =>
  procedureCheck(trace, i, (cluster, phone, key, options) => {
    const itl = phone.itl ? cluster.itls[phone.itl] : undefined;
    if (!cluster.ctl) return holdsSast(itl, key);
    const ctl = phone.ctl ? cluster.itls[phone.ctl.file] : undefined;
    return holdsSast(ctl, key) || ((!ctl || options.sharedSastPool !== false) && holdsSast(itl, key));
  });

const everyPhone: Eligible12 = () => true;

/**
 * The desired property without its premise (a known weakness): the documented recovery of the release
 * recovers every eligible phone (from 12.0: trusted at the end of the procedure).
 */
export const recoversEveryPhone: ConcreteCheck = (trace, i) =>
  from12(trace.contexts[i]!.cluster!)
    ? procedureCheck(trace, i, everyPhone, true)
    : recoveryCheck(trace, i, () => true);

/** Which trust lists event i erased on a phone (`phone.deleteItl`, `phone.deleteCtl`, `phone.factoryReset`). Pure. */
function erasedBy(trace: Trace, i: number, phone: string): { itl: boolean; ctl: boolean } {
  const event = trace.events[i]!;
  const named = 'phone' in event && event.phone === phone;
  return {
    itl: named && (event.type === 'phone.deleteItl' || event.type === 'phone.factoryReset'),
    ctl: named && (event.type === 'phone.deleteCtl' || event.type === 'phone.factoryReset'),
  };
}

/**
 * A phone before and after prefix i, for the phones whose ITL or CTL changed there, or that took one
 * again after the event erased it (the same file re-installed must pass the rules too).
 */
function trustListChanges(trace: Trace, i: number): Array<{ before: PhoneState | undefined; after: PhoneState }> {
  const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
  return trace.contexts[i]!.cluster!.phones.map((after) => ({
    before: prev?.phones.find((q) => q.id === after.id),
    after,
  })).filter(({ before, after }) => {
    const erased = erasedBy(trace, i, after.id);
    return (
      (after.itl && (after.itl !== before?.itl || erased.itl)) ||
      (after.ctl && (after.ctl.file !== before?.ctl?.file || erased.ctl))
    );
  });
}

/** A record of `roles` in `file` naming the signer of `signed` whose certificate verifies its signature. */
function verifyingRecord(file: StoredItl | undefined, roles: readonly number[], signed: StoredItl): boolean {
  return !!file?.records.some(
    (r) =>
      roles.includes(r.role) &&
      r.serial === signed.signer.serial &&
      r.issuer === signed.signer.issuer &&
      r.cert !== undefined &&
      realCrypto.itlSignedBy(signed, { sha1: r.certSha1, der: r.cert }),
  );
}

/** Whether a TVS the phone can authenticate (its ITL pins it, its list names it) knows the signer of `signed`, which verifies with that certificate. */
function tvsVouched(now: ClusterState, phone: PhoneState, itl: StoredItl | undefined, signed: StoredItl): boolean {
  if (!itl) return false;
  const signer = signed.records[signed.signer.recordIndex];
  const pinned = new Set(tvsHashes(itl));
  const reachable = phone.tvs.some((t) => pinned.has(now.nodes.find((n) => n.id === t)!.certs.TVS.cert.sha1));
  const known = now.nodes
    .flatMap((n) => Object.values(n.certs))
    .find((c) => c && signer && c.cert.sha1 === signer.certSha1);
  return (
    reachable && known !== undefined && realCrypto.itlSignedBy(signed, { sha1: known.cert.sha1, der: known.cert.der })
  );
}

/**
 * Whether the ITL change of a phone is justified: R2 (a SAST record of the old ITL signed it and the
 * signature verifies), I1 (a SAST or CCM+TFTP record of the CTL it holds), or R3 (a TVS the phone
 * authenticated knows the signer, and the signature verifies with its certificate). Never a forged ITL.
 */
function justifiedItl(
  met: ClusterState,
  phone: PhoneState,
  old: StoredItl | undefined,
  ctl: StoredItl | undefined,
  itl: StoredItl,
): string | null {
  if (itl.origin === 'forged') return `${phone.id} replaced its ITL with a forged one`;
  if (verifyingRecord(old, [Role.SAST], itl)) return null;
  if (verifyingRecord(ctl, [Role.SAST, Role.CCM_TFTP], itl)) return null;
  return tvsVouched(met, phone, old, itl)
    ? null
    : `${phone.id} installed ITL ${itl.sha1.slice(0, 12)} (signer ${itl.signer.subject}) that neither a SAST record of its ITL or CTL nor an authenticated TVS vouched for with a signature that verifies`;
}

/** Whether the CTL change of a phone is justified: C1 (a SAST record of its old CTL or ITL signed it, and it verifies) or C2 (a TVS vouched). */
function justifiedCtl(
  met: ClusterState,
  phone: PhoneState,
  oldCtl: StoredItl,
  itl: StoredItl | undefined,
  ctl: StoredItl,
): string | null {
  if (verifyingRecord(oldCtl, [Role.SAST], ctl) || verifyingRecord(itl, [Role.SAST], ctl)) return null;
  return tvsVouched(met, phone, itl, ctl)
    ? null
    : `${phone.id} installed CTL ${ctl.sha1.slice(0, 12)} (signer ${ctl.signer.subject}) that neither a SAST record of its CTL or ITL nor an authenticated TVS vouched for with a signature that verifies`;
}

/**
 * Security: a phone installs an ITL only on first use (no ITL and no CTL: R0, or with the CTL it took
 * on first sight in the same boot), by a SAST key of its ITL (R2), a SAST or CCM+TFTP key of its CTL
 * (I1), or when an authenticated TVS vouched (R3); and a CTL only on first sight (C0), by a SAST key of
 * its CTL or ITL (C1), or when an authenticated TVS vouched (C2); always with a signature that verifies.
 */
export const installsOnlyVerified: ConcreteCheck = (trace, i) => {
  const prev = i > 0 ? trace.contexts[i - 1]!.cluster! : null;
  const cluster = trace.contexts[i]!.cluster!;
  for (const { before, after } of trustListChanges(trace, i)) {
    const { itl: erasedItl, ctl: erasedCtl } = erasedBy(trace, i, after.id);
    // A phone back from an automatic restart (A14) booted against the world before this event.
    const met = prev && (trace.reports[i]!.ended?.booted.includes(after.id) ?? false) ? prev : cluster;
    const oldItl = prev && before?.itl && !erasedItl ? prev.itls[before.itl] : undefined;
    const oldCtl = prev && before?.ctl && !erasedCtl ? prev.itls[before.ctl.file] : undefined;
    const ctl = after.ctl ? cluster.itls[after.ctl.file] : undefined;
    if (ctl && oldCtl && after.ctl!.file !== before?.ctl?.file) {
      const why = justifiedCtl(met, after, oldCtl, oldItl, ctl);
      if (why) return { phone: after.id, why };
    }
    if (!after.itl || (after.itl === before?.itl && !erasedItl)) continue;
    // First use: neither an ITL nor a CTL before (R0; with a CTL taken on first sight in the same boot, I1).
    if (!oldItl && !oldCtl) {
      if (!ctl && after.lastDecision?.rule !== 'R0')
        return { phone: after.id, why: `${after.id} installed its first ITL under ${after.lastDecision?.rule}` };
      continue;
    }
    // R0e: a phone holding the empty rollback ITL (as served, or re-signed by utils itl reset) takes any
    // ITL, as on first use (§17.2, A25).
    if (oldItl?.rollbackForm) continue;
    const why = justifiedItl(met, after, oldItl, ctl, cluster.itls[after.itl]!);
    if (why) return { phone: after.id, why };
  }
  return null;
};

/** The hold timer (§4.2, A13): never two accepted regenerations on one node less than 300 s apart. */
export const regenerationsSpaced: ConcreteCheck = (trace, i) => {
  const event = trace.events[i]!;
  if (event.type !== 'cert.regenerate' || trace.reports[i]!.refusals.length > 0) return null;
  const publisher = publisherOf(trace.contexts[i]!.cluster!).id;
  for (let j = i - 1; j >= 0; j--) {
    const e = trace.events[j]!;
    if ((Date.parse(event.at) - Date.parse(e.at)) / 1000 >= 300) break;
    // A rebuilt publisher starts without its hold timer (docs/rules.md §7).
    if (e.type === 'publisher.rebuild' && event.node === publisher) break;
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

/** Phones locked (either region) once the automatic restarts under way at prefix i have ended. */
function lockedSettled(trace: Trace, i: number): string[] {
  return settleContext(trace.contexts[i]!)
    .cluster!.phones.filter((p) => phoneTrust(p) === 'locked')
    .map((p) => p.id);
}

/** The hold timer's purpose: with only the install, phones plugged in and `set cert regen`, no phone locks, also once restarts end. */
export const noLockByRegeneration: ConcreteCheck = (trace, i) => {
  if (!trace.events.slice(0, i + 1).every((e) => REGEN_ONLY_EVENTS.has(e.type))) return null;
  const locked = lockedSettled(trace, i);
  return locked.length ? { phone: locked[0]!, why: `${locked.join(', ')} locked by regenerations alone` } : null;
};

/** The events of a log `noLockByUpgrade` speaks of. */
const UPGRADE_ONLY_EVENTS = new Set([
  'cluster.install',
  'phone.add',
  'phone.power',
  'devices.reset',
  'ctl.setCluster',
  'cluster.upgrade',
]);

/** An upgrade keeps trust (a known weakness, FN70613): with only phones plugged in or powered, Reset all, set-cluster and upgrades, no phone locks. */
export const noLockByUpgrade: ConcreteCheck = (trace, i) => {
  if (!trace.events.slice(0, i + 1).every((e) => UPGRADE_ONLY_EVENTS.has(e.type))) return null;
  const locked = lockedSettled(trace, i);
  return locked.length ? { phone: locked[0]!, why: `${locked.join(', ')} locked after an upgrade` } : null;
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

/** Whether a phone of the cluster holds a forged ITL. Pure. */
const holdsForged = (cluster: ClusterState, phone: PhoneState): boolean =>
  !!phone.itl && cluster.itls[phone.itl]!.origin === 'forged';

/** The phones of a cluster that hold a forged ITL. Pure. */
const holdingForged = (cluster: ClusterState): string[] =>
  cluster.phones.filter((p) => holdsForged(cluster, p)).map((p) => p.id);

/** Trust on first use (a known weakness): no phone holds a forged ITL. */
export const holdsNoForgedItl: ConcreteCheck = (trace, i) => {
  const cluster = trace.contexts[i]!.cluster!;
  const phone = cluster.phones.find((p) => holdsForged(cluster, p));
  return phone
    ? { phone: phone.id, why: `${phone.id} installed a forged ITL (${phone.lastDecision?.rule ?? 'no rule'})` }
    : null;
};

/** What advises a locked phone: the tool's diagnosis (a test gives a worse one to show the property can fail). */
export type Advisor = (context: ClusterContext, phone: string, at: string) => Diagnosis;

/**
 * Advice is safe: following the remedy the tool advises for a locked phone never leaves any phone
 * trusting a key the cluster never had (an attacker's), where it would not without the advice. The
 * remedy is replayed and then time passes (`settled`), so the baseline lets the same time pass: a
 * phone whose automatic restart under way ends on an impersonated node takes the forgery with or
 * without the advice (found by `check` on its random logs: the rollback ITL, then a forgery).
 */
export function safeAdvice(advise: Advisor): ConcreteCheck {
  return (trace, i) => {
    const context = trace.contexts[i]!;
    const cluster = context.cluster!;
    const locked = cluster.phones.filter((p) => p.trust === 'locked');
    if (locked.length === 0) return null;
    const forgedBefore = new Set([
      ...holdingForged(cluster),
      ...holdingForged(replayFrom(context, []).settled.cluster!),
    ]);
    for (const phone of locked) {
      const advice = advise(context, phone.id, trace.events[i]!.at);
      const after = replayFrom(context, advice.remedy).settled.cluster!;
      const fooled = after.phones.find((p) => holdsForged(after, p) && !forgedBefore.has(p.id));
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
