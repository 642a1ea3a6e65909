import type { Certificate } from '../certs/certificate.ts';
import { servedCtl, servedItl } from '../cluster/buildItls.ts';
import type { ClusterState, CtlRule, NodeState, PhoneState, PhoneTrust, Rule } from '../cluster/clusterState.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { itlSigner } from '../releases.ts';
import { askTvs } from './askTvs.ts';
import { ctlRuleFailures, type CtlCheck } from './ctlRules.ts';
import { ctlFailures, holdsCtl, itlFailures, sastFailures, type ItlCheck, type TrustRules } from './itlRules.ts';
import type { RuleFailure } from './ruleFailures.ts';
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

/** What a booting phone meets first in mixed mode: the CTL its TFTP server offers (docs/rules.md §16). */
export interface CtlBoot extends CtlCheck {
  event: number;
}

/** What the release and the switches say about the phones' rules. Pure. */
export function trustRulesOf(state: ClusterState): TrustRules {
  return { from12: itlSigner(state.version) === 'itlRecovery', options: state.options };
}

/** The node a booting phone fetches its files from (a pending `phone.tftp` applies now). Pure. */
function bootNode(state: ClusterState, phone: PhoneState): NodeState {
  const tftp = phone.pendingTftp ?? phone.tftp;
  return state.nodes.find((n) => n.id === tftp)!;
}

/**
 * Prepares a phone's ITL step from the cluster state (after its CTL step). `heldCtl`: whether the
 * phone held a CTL when the boot began (default: it holds one now). Pure.
 */
export function bootOf(
  state: ClusterState,
  phone: PhoneState,
  event: number,
  crypto: TrustCrypto,
  heldCtl: boolean = phone.ctl !== undefined,
): Boot {
  const node = bootNode(state, phone);
  const candidate = state.itls[servedItl(node)!]!;
  const installed = phone.itl ? state.itls[phone.itl]! : null;
  const ctl = phone.ctl ? state.itls[phone.ctl.file]! : null;
  const configSigner = node.tftp?.forgery?.identity.cert ?? node.certs.CallManager.cert;
  return {
    phone: { ...phone, tftp: node.id },
    installed,
    candidate,
    ctl,
    heldCtl,
    nodes: state.nodes,
    crypto,
    rules: trustRulesOf(state),
    event,
    tftp: node.id,
    configSigner,
  };
}

/**
 * Prepares a phone's CTL step, when its TFTP node serves a CTL (mixed mode, or a CTL left after it,
 * A34) that is not the very file the phone holds and trusts: a phone compares the file it downloads
 * with the one it holds before it parses it, so an unchanged CTL is no step at all. Pure.
 */
export function ctlBootOf(
  state: ClusterState,
  phone: PhoneState,
  event: number,
  crypto: TrustCrypto,
): CtlBoot | undefined {
  const served = servedCtl(state, bootNode(state, phone));
  if (!served || (phone.ctl?.file === served && phone.ctl.state === 'installed')) return undefined;
  return {
    phone,
    candidate: state.itls[served]!,
    installedCtl: phone.ctl ? state.itls[phone.ctl.file]! : null,
    installedItl: phone.itl ? state.itls[phone.itl]! : null,
    nodes: state.nodes,
    crypto,
    rules: trustRulesOf(state),
    event,
  };
}

/**
 * What the phone reports, its two regions together: locked when the last ITL or the last CTL it was
 * offered was rejected (docs/rules.md §16); a device without Security By Default by its CTL alone. Pure.
 */
export function phoneTrust(phone: PhoneState): PhoneTrust {
  if (phone.sbd === false) return phone.ctl ? (phone.ctl.state === 'rejected' ? 'locked' : 'trusted') : 'noItl';
  return phone.ctl?.state === 'rejected' ? 'locked' : phone.trust;
}

/** Whether a record names a certificate exactly (serial, issuer and hash). */
function names(r: { serial: string; issuer: string; certSha1: string }, c: Certificate): boolean {
  return r.serial === c.serial && r.issuer === c.issuer && r.certSha1 === c.sha1;
}

/**
 * docs/rules.md §5: a signed configuration is accepted when its signer is the TFTP (or CCM+TFTP)
 * record of the ITL the phone now holds or a CCM+TFTP record of its CTL, or a TVS the phone can
 * authenticate vouches for it. A phone holding the empty rollback ITL accepts any (R0e); a device
 * without Security By Default checks its CTL only (A26). Pure.
 */
export function configAccepted(
  itl: StoredItl | null,
  phone: PhoneState,
  nodes: NodeState[],
  signer: Certificate,
  ctl: StoredItl | null = null,
): boolean {
  if (!itl && !ctl) return true;
  if (itl?.rollbackForm) return true;
  const inCtl =
    !!ctl && ctl.records.some((r) => (r.role === Role.CCM_TFTP || r.role === Role.TFTP) && names(r, signer));
  if (inCtl) return true;
  if (!itl) return false;
  const local = itl.records.some((r) => (r.role === Role.TFTP || r.role === Role.CCM_TFTP) && names(r, signer));
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
  if (phone.unloadableItl !== undefined) next.unloadableItl = undefined;
}

/**
 * H2: the offered ITL is too large to load (SG125: "causing the phone registration to fail"): the
 * phone keeps its ITL and its trust, and is marked as not registering until it loads one. Pure.
 */
export function cannotLoadItl(phone: PhoneState, boot: Boot): PhoneState {
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    status: 'ITL File too large',
    unloadableItl: boot.candidate.sha1,
  };
  endBootState(phone, next);
  next.unloadableItl = boot.candidate.sha1;
  return next;
}

/** Whether the phone reports locked now (either region). */
const locked = (phone: PhoneState) => phoneTrust(phone) === 'locked';

/** Recovered: trusted again after its last lock (also when the ITL was erased by hand in between). Mutates `next`. */
function markRecovered(phone: PhoneState, next: PhoneState, event: number): void {
  if (phone.lockedAt !== undefined && !((phone.recoveredAt ?? -1) > phone.lockedAt) && !locked(next))
    next.recoveredAt = event;
}

/** The failures a rule that accepted leaves behind: why the earlier rules did not (R3 after I1 and R2/I2; I2 after I1). */
function acceptedFailures(boot: Boot, rule: Rule): RuleFailure[] {
  if (rule === 'R3') return [...ctlFailures(boot), ...sastFailures(boot)];
  if (rule === 'I2') return ctlFailures(boot);
  return [];
}

/** The phone after it accepted the offered ITL under a rule (R0, R0e, R2, R3, I1, I2). Pure. */
export function acceptItl(phone: PhoneState, boot: Boot, rule: Rule): PhoneState {
  const failures = acceptedFailures(boot, rule);
  const changed = phone.itl !== boot.candidate.sha1;
  const accepted = configAccepted(boot.candidate, phone, boot.nodes, boot.configSigner, boot.ctl);
  const ctlRejected = phone.ctl?.state === 'rejected';
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    itl: boot.candidate.sha1,
    trust: 'trusted',
    status: ctlRejected ? phone.status : changed || phone.trust !== 'trusted' ? 'Trust List Updated' : phone.status,
    lastDecision: { rule, failures, event: boot.event },
    configAccepted: accepted,
    hasConfig: phone.hasConfig || accepted,
  };
  endBootState(phone, next);
  markRecovered(phone, next, boot.event);
  return next;
}

/** R4 (I3 with a CTL installed): the phone keeps its ITL and shows "Trust List Update Failed" (docs/rules.md §4). Pure. */
export function rejectItl(phone: PhoneState, boot: Boot, rule: 'R4' | 'I3' = holdsCtl(boot) ? 'I3' : 'R4'): PhoneState {
  const accepted = configAccepted(phone.itl ? boot.installed : null, phone, boot.nodes, boot.configSigner, boot.ctl);
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    trust: 'locked',
    status: 'Trust List Update Failed',
    lastDecision: { rule, failures: itlFailures(boot), event: boot.event },
    configAccepted: accepted,
    hasConfig: phone.hasConfig || accepted,
  };
  endBootState(phone, next);
  if (!locked(phone)) next.lockedAt = boot.event;
  return next;
}

/**
 * A device without Security By Default boots: no ITL, no TVS; its signed configuration is checked
 * against its CTL alone (A26). Pure.
 */
export function bootWithoutItl(phone: PhoneState, boot: Boot): PhoneState {
  const accepted = configAccepted(null, phone, boot.nodes, boot.configSigner, boot.ctl);
  const next: PhoneState = {
    ...phone,
    tftp: boot.tftp,
    configAccepted: accepted,
    hasConfig: phone.hasConfig || accepted,
  };
  endBootState(phone, next);
  return next;
}

/** The ITL is erased from the settings menu: back to R0 (docs/rules.md §12). Pure. */
export function eraseItl(phone: PhoneState): PhoneState {
  return { ...phone, itl: null, trust: 'noItl', status: 'Erasing CTL and ITL files' };
}

/** The phone after it accepted the offered CTL under C0, C1 or C2 (AG8800: `CTL Installed`, `Trust List updated`). Pure. */
export function acceptCtl(phone: PhoneState, boot: CtlBoot, rule: Exclude<CtlRule, 'C3'>): PhoneState {
  const failures = rule === 'C2' ? ctlRuleFailures(boot).filter((f) => f.rule === 'C1') : [];
  const next: PhoneState = {
    ...phone,
    ctl: { file: boot.candidate.sha1, state: 'installed', rule, failures, event: boot.event },
    status: rule === 'C0' ? 'CTL Installed' : 'Trust List Updated',
  };
  markRecovered(phone, next, boot.event);
  return next;
}

/** C3: the phone keeps the CTL it holds and shows `CTL update failed` (AG8800). Pure. */
export function rejectCtl(phone: PhoneState, boot: CtlBoot): PhoneState {
  const next: PhoneState = {
    ...phone,
    ctl: { file: phone.ctl!.file, state: 'rejected', rule: 'C3', failures: ctlRuleFailures(boot), event: boot.event },
    status: 'CTL update failed',
  };
  if (!locked(phone)) next.lockedAt = boot.event;
  return next;
}

/** The CTL is erased from the phone (its menu, or a factory reset): the next CTL is taken on first sight (C0, A20). Pure. */
export function eraseCtl(phone: PhoneState): PhoneState {
  // A phone left with neither file holds no trust list at all: its ITL region is back to `noItl`, so its
  // next boot takes the first ITL on faith (R0), also when its last ITL step was rejected while it held
  // only the CTL (I3 with no ITL: docs/rules.md §16.6, "R0 applies only to a phone that held neither file").
  const trust = phone.itl === null && phone.sbd !== false ? 'noItl' : phone.trust;
  return { ...phone, ctl: undefined, trust, status: 'Erasing CTL and ITL files' };
}
