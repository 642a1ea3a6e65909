import type { Certificate } from '../certs/certificate.ts';
import { servedItl } from '../cluster/buildItls.ts';
import type { ClusterState, NodeState, PhoneState, Rule } from '../cluster/clusterState.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { askTvs } from './askTvs.ts';
import { sastFailures, tvsFailures, type ItlCheck } from './itlRules.ts';
import type { TrustCrypto } from './trustCrypto.ts';

/** What a booting phone meets: the ITL its TFTP server offers, who signed its configuration, and the cluster's TVS. */
export interface Boot extends ItlCheck {
  /** 1-based number of the log event that caused the boot. */
  event: number;
  /** The TFTP node the phone boots from (a pending `phone.tftp` applies now). */
  tftp: string;
  /** Signer of the `SEP<MAC>.cnf.xml.sgn` the node serves: its CallManager, or the attacker's certificate. */
  configSigner: Certificate;
}

/** Prepares a phone's boot from the cluster state. Pure. */
export function bootOf(state: ClusterState, phone: PhoneState, event: number, crypto: TrustCrypto): Boot {
  const tftp = phone.pendingTftp ?? phone.tftp;
  const node = state.nodes.find((n) => n.id === tftp)!;
  const candidate = state.itls[servedItl(node)!]!;
  const installed = phone.itl ? state.itls[phone.itl]! : null;
  const configSigner = node.tftp?.forgery?.identity.cert ?? node.certs.CallManager.cert;
  return { phone: { ...phone, tftp }, installed, candidate, nodes: state.nodes, crypto, event, tftp, configSigner };
}

/**
 * domain.md §3.3: a signed configuration is accepted when its signer is the TFTP (or CCM+TFTP)
 * record of the ITL the phone now holds, or a TVS the phone can authenticate vouches for it. Pure.
 */
export function configAccepted(
  itl: StoredItl | null,
  phone: PhoneState,
  nodes: NodeState[],
  signer: Certificate,
): boolean {
  if (!itl) return true;
  const local = itl.records.some(
    (r) =>
      (r.role === Role.TFTP || r.role === Role.CCM_TFTP) &&
      r.serial === signer.serial &&
      r.issuer === signer.issuer &&
      r.certSha1 === signer.sha1,
  );
  return (
    local ||
    askTvs(phone.tvs, itl, nodes, {
      subject: signer.subject,
      issuer: signer.issuer,
      serial: signer.serial,
      certSha1: signer.sha1,
    }).status === 'valid'
  );
}

/*
 * Every boot decides whether the signed configuration is accepted with the ITL the phone now holds
 * (§3.3), in one object literal per boot, fields in one order: this is the replay's hot path.
 */

/**
 * A boot applies the pending TFTP change and ends any automatic restart (A14). The fields are set to
 * undefined, not deleted (the phone machine's assign merges into the old context; `tidyPhone` drops
 * them), and only when the phone had them, so most boots keep one object shape. Mutates `next`.
 */
function endBootState(phone: PhoneState, next: PhoneState): void {
  if (phone.pendingTftp !== undefined) next.pendingTftp = undefined;
  if (phone.restartingUntil !== undefined) next.restartingUntil = undefined;
}

/** The phone after it accepted the offered ITL under a rule (R0, R2 or R3). Pure. */
export function acceptItl(phone: PhoneState, boot: Boot, rule: Rule): PhoneState {
  const failures = rule === 'R3' ? sastFailures(boot) : [];
  const changed = phone.itl !== boot.candidate.sha1;
  const accepted = configAccepted(boot.candidate, phone, boot.nodes, boot.configSigner);
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    itl: boot.candidate.sha1,
    trust: 'trusted',
    status: changed || phone.trust !== 'trusted' ? 'Trust List Updated' : phone.status,
    lastDecision: { rule, failures, event: boot.event },
    configAccepted: accepted,
    hasConfig: phone.hasConfig || accepted,
  };
  endBootState(phone, next);
  // Recovered: trusted again after its last lock (also when the ITL was erased by hand in between).
  if (phone.lockedAt !== undefined && !((phone.recoveredAt ?? -1) > phone.lockedAt)) next.recoveredAt = boot.event;
  return next;
}

/** R4: the phone keeps its ITL and shows "Trust List Update Failed" (domain.md §3.2). Pure. */
export function rejectItl(phone: PhoneState, boot: Boot): PhoneState {
  const accepted = configAccepted(phone.itl ? boot.installed : null, phone, boot.nodes, boot.configSigner);
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    trust: 'locked',
    status: 'Trust List Update Failed',
    lastDecision: { rule: 'R4', failures: [...sastFailures(boot), ...tvsFailures(boot)], event: boot.event },
    configAccepted: accepted,
    hasConfig: phone.hasConfig || accepted,
  };
  endBootState(phone, next);
  if (phone.trust !== 'locked') next.lockedAt = boot.event;
  return next;
}

/** The ITL is erased from the settings menu: back to R0 (domain.md §3.6). Pure. */
export function eraseItl(phone: PhoneState): PhoneState {
  return { ...phone, itl: null, trust: 'noItl', status: 'Erasing CTL and ITL files' };
}
