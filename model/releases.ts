/**
 * What each CUCM release does differently, in one place (docs/rules.md §15): who signs the ITL, how
 * many ITLRecovery keys there are, what `utils itl reset` signs with, where CAPF lives, whether the
 * "Phone Interaction on Certificate Update" parameter exists, and what an upgrade does. Every rule
 * of the model that depends on the version asks here. Pure.
 */
import { atLeast, compareVersions, requireVersion, type Version } from './version.ts';

const V = (major: number, minor: number, maintenance = 1, update = 0, letter = 0): Version => [
  major,
  minor,
  maintenance,
  update,
  letter,
];

/** 10.0(1): the ITLRecovery key and `utils itl reset` (SEED); the tokenless CTL (`utils ctl`, TOKENLESS). */
export const RELEASE_10_0 = V(10, 0);
/** 10.5: changing "Prepare Cluster for Rollback to pre-8.0" resets every phone (SG125). */
export const RELEASE_10_5 = V(10, 5);
/** 12.0: ITLRecovery signs the ITL and the tokenless CTL (REGEN; SRND12). */
export const RELEASE_12_0 = V(12, 0);
/** 12.5(1): one ITLRecovery for the cluster, made by the publisher (REGEN). */
export const RELEASE_12_5 = V(12, 5);
/** 12.5(1)SU3: the refresh upgrade no longer regenerates ITLRecovery (FN70613). */
export const RELEASE_12_5_SU3 = V(12, 5, 1, 3);
/** 14: "Phone Interaction on Certificate Update"; CAPF on the publisher only; ITLRecovery regenerated into the ITL at once (RN14). */
export const RELEASE_14 = V(14, 0);

/** Whether a release has the ITLRecovery key and `utils itl reset` (10.0(1) and later). Pure. */
export function hasItlRecovery(version: string): boolean {
  return atLeast(version, RELEASE_10_0);
}

/** Whether `utils ctl` (the tokenless CTL) exists: 10.0 and later (TOKENLESS). Pure. */
export function hasTokenlessCtl(version: string): boolean {
  return atLeast(version, RELEASE_10_0);
}

/** Who signs a TFTP node's normal ITL: its CallManager key before 12.0, ITLRecovery from 12.0 (REGEN). Pure. */
export function itlSigner(version: string): 'callManager' | 'itlRecovery' {
  return atLeast(version, RELEASE_12_0) ? 'itlRecovery' : 'callManager';
}

/** Who signs the tokenless CTL: the publisher's CallManager before 12.0, ITLRecovery from 12.0 (TOKENLESS; REGEN). Pure. */
export function ctlSigner(version: string): 'callManager' | 'itlRecovery' {
  return itlSigner(version);
}

/**
 * What `utils itl reset localkey` signs with: the ITLRecovery key before 12.0 (SEED); from 12.0 the
 * publisher's CallManager key, "while the ITL Recovery key is resetting" (SG125; CLI125; A16 for 12.0). Pure.
 */
export function localkeyResetSigner(version: string): 'itlRecovery' | 'callManager' {
  return atLeast(version, RELEASE_12_0) ? 'callManager' : 'itlRecovery';
}

/**
 * Whether the command copies the reset ITL and restarts TFTP itself, so the reset ITL survives that
 * restart (10.x, SEED, Q5), or only transfers the file, served until each node's next TFTP restart
 * (12.5(1)SU5 transcript, CLI125: no restart lines). Pure.
 */
export function resetRestartsTftp(version: string): boolean {
  return !atLeast(version, RELEASE_12_0);
}

/** Whether the cluster has one ITLRecovery, made by the publisher and copied to the subscribers (12.5+, REGEN). Pure. */
export function singleItlRecovery(version: string): boolean {
  return atLeast(version, RELEASE_12_5);
}

/** Whether every node has a CAPF certificate (before 14) or only the publisher (14+, RN14). Pure. */
export function capfOnEveryNode(version: string): boolean {
  return !atLeast(version, RELEASE_14);
}

/** Whether "Phone Interaction on Certificate Update" exists (14+, A24). Pure. */
export function hasPhoneInteractionParameter(version: string): boolean {
  return atLeast(version, RELEASE_14);
}

/**
 * A23: whether a regenerated ITLRecovery is rebuilt into the ITLs at once and resets phones (14+), or
 * waits on disk for each node's next TFTP restart (10.0–12.5, like A10). Pure.
 */
export function itlRecoveryRegenRebuildsAtOnce(version: string): boolean {
  return atLeast(version, RELEASE_14);
}

/**
 * A29 (FN70613, CSCvv13565): a refresh upgrade from before 12.5 to 12.5(1), SU1 or SU2 regenerates
 * ITLRecovery; an L2 upgrade or a target of SU3 or later does not. Pure.
 */
export function upgradeRegeneratesItlRecovery(from: string, to: string, method: 'refresh' | 'l2'): boolean {
  const target = requireVersion(to);
  return (
    method === 'refresh' &&
    !atLeast(from, RELEASE_12_5) &&
    atLeast(to, RELEASE_12_5) &&
    target[0] === 12 &&
    target[1] === 5 &&
    !atLeast(to, RELEASE_12_5_SU3)
  );
}

/**
 * A30: the validity of a new ITLRecovery certificate in years: 5 up to 12.5(1); 20 on 12.5(1)SU1 and
 * later 12.5 SUs; from 14 the `years` the event gives, else 5 (SG14, conflict X5: the shorter one). Pure.
 */
export function itlRecoveryYears(version: string, years?: number): number {
  if (atLeast(version, RELEASE_14)) return years ?? 5;
  if (atLeast(version, V(12, 5, 1, 1))) return 20;
  return 5;
}

/** Whether a change of "Prepare Cluster for Rollback to pre-8.0" resets every phone (10.5 and later, SG125; A25). Pure. */
export function rollbackParameterResetsPhones(version: string): boolean {
  return atLeast(version, RELEASE_10_5);
}

/** Whether "Reuse Certificate" for CallManager exists (14+, REUSE; A38). Pure. */
export function hasCertificateReuse(version: string): boolean {
  return atLeast(version, RELEASE_14);
}

/** Whether two versions are the same release (used to say an upgrade changes nothing). Pure. */
export function sameRelease(a: string, b: string): boolean {
  return compareVersions(a, b) === 0;
}
