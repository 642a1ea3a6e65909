/**
 * A phone's decision on an offered ITL (docs/rules.md §4, §16): R0 the first ITL, R0e the empty
 * rollback ITL, then without a CTL R2 (a SAST record of the installed ITL), R3 (TVS), R4 (reject);
 * with a CTL installed I1 (a SAST or CCM+TFTP record of the CTL), I2 (a SAST record of the ITL, A18),
 * TVS only before 12.0 (docs/rules.md §4 R1) or with the `itlViaTvsWithCtl` switch, else I3 (reject). The
 * phone machine's guards are these predicates. Pure.
 */
import type { ModelOptions, NodeState, PhoneState } from '../cluster/clusterState.ts';
import type { RecordSummary, StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { askTvs, type TvsAnswer } from './askTvs.ts';
import { attemptFailures, type RuleFailure } from './ruleFailures.ts';
import type { TrustCrypto } from './trustCrypto.ts';

/** What the release and the switches say about the phone's rules (docs/rules.md §15). */
export interface TrustRules {
  /** 12.0 and later: no TVS for an ITL while a CTL is installed (A18), and TVS does not vouch for own CTL signers (A19). */
  from12: boolean;
  options: ModelOptions;
}

/** Everything a phone's ITL decision reads (docs/rules.md §4). */
export interface ItlCheck {
  phone: PhoneState;
  installed: StoredItl | null;
  candidate: StoredItl;
  /** The CTL the phone holds after this boot's CTL step (null: none). */
  ctl: StoredItl | null;
  /** Whether the phone held a CTL when the boot began (before its CTL step): a phone with neither file takes both on faith. */
  heldCtl: boolean;
  nodes: NodeState[];
  crypto: TrustCrypto;
  rules: TrustRules;
}

/** The candidate's signer record (the SAST record its header names), if it has one. Pure. */
export function signerRecord(itl: StoredItl): RecordSummary | undefined {
  return itl.records[itl.signer.recordIndex];
}

/** The signer of a candidate as the failures name it. Pure. */
export function signerOf(candidate: StoredItl) {
  return { subject: candidate.signer.subject, serial: candidate.signer.serial };
}

/** A record of `roles` in `file` naming the candidate's signer (same serial and issuer). Pure. */
export function recordNaming(
  file: StoredItl,
  candidate: StoredItl,
  roles: readonly number[],
): RecordSummary | undefined {
  return file.records.find(
    (r) => roles.includes(r.role) && r.serial === candidate.signer.serial && r.issuer === candidate.signer.issuer,
  );
}

/** The installed ITL's SAST record that names the candidate's signer (same serial and issuer). Pure. */
export function matchingSast(installed: StoredItl, candidate: StoredItl): RecordSummary | undefined {
  return recordNaming(installed, candidate, [Role.SAST]);
}

/** Whether the candidate's signature verifies with a record's certificate. */
function verifiesWith(check: ItlCheck, record: RecordSummary | undefined): boolean {
  return !!record && check.crypto.itlSignedBy(check.candidate, { sha1: record.certSha1, der: record.cert });
}

/** Whether the phone holds a CTL whose records anchor ITLs (every CTL has SAST records). Pure. */
export function holdsCtl(check: ItlCheck): boolean {
  return check.ctl !== null;
}

/**
 * R0: the phone held neither an ITL nor a CTL when the boot began, so it takes the first ITL on faith,
 * as it took the first CTL (SRND12: "a one-time leap of faith"; scenario r21: a factory-new phone in
 * mixed mode takes the CTL by C0 and the ITL by R0). Pure.
 */
export function firstTrustList(check: ItlCheck): boolean {
  return check.installed === null && !check.heldCtl;
}

/** H2: an ITL of more than 39 records or 64 KB, which a phone cannot load (SG125; SG14). */
export const ITL_MAX_RECORDS = 39;
export const ITL_MAX_BYTES = 65_535;

/** H2: the offered ITL is too large for the phone to load: it keeps what it has, and does not register (SG125). Pure. */
export function itlTooLarge(check: ItlCheck): boolean {
  return check.candidate.records.length > ITL_MAX_RECORDS || check.candidate.length > ITL_MAX_BYTES;
}

/** A25, R0e: the phone holds the empty rollback ITL, so it accepts any new ITL. Pure. */
export function holdsRollbackItl(check: ItlCheck): boolean {
  return check.installed?.rollbackForm === true;
}

/** R2 (no CTL installed): the signer is a SAST record of the installed ITL and the signature verifies with that record's key. */
export function sastVerifies(check: ItlCheck): boolean {
  return !holdsCtl(check) && !!check.installed && verifiesWith(check, matchingSast(check.installed, check.candidate));
}

/** I1: the signer is a SAST or CCM+TFTP record of the installed CTL and the signature verifies with it (SG125; MIGR). */
export function ctlVouchesForItl(check: ItlCheck): boolean {
  return !!check.ctl && verifiesWith(check, recordNaming(check.ctl, check.candidate, [Role.SAST, Role.CCM_TFTP]));
}

/** I2 (A18): with a CTL installed, the signer is a SAST record of the installed ITL, when the anchors are one pool. */
export function itlSastAnchors(check: ItlCheck): boolean {
  return (
    holdsCtl(check) &&
    check.rules.options.sharedSastPool &&
    !!check.installed &&
    verifiesWith(check, matchingSast(check.installed, check.candidate))
  );
}

/** Whether the phone may ask TVS about an ITL: always without a CTL; with one only before 12.0 or with the switch (A18). Pure. */
export function mayAskTvsForItl(check: ItlCheck): boolean {
  return !holdsCtl(check) || !check.rules.from12 || check.rules.options.itlViaTvsWithCtl;
}

/** R3's answer from TVS about the candidate's signer (none when the candidate names no signer record or no ITL pins a TVS). Pure. */
export function tvsAnswerForItl(check: ItlCheck): TvsAnswer | undefined {
  const signer = signerRecord(check.candidate);
  if (!check.installed || !signer) return undefined;
  return askTvs(check.phone.tvs, check.installed, check.nodes, signer, check.rules.options.tvsVouchesOwnItlRecovery);
}

/** R3: a TVS the phone could authenticate vouched for the signer, and the signature verifies with the certificate it returned. */
export function tvsVouchesForItl(check: ItlCheck): boolean {
  if (!mayAskTvsForItl(check)) return false;
  const answer = tvsAnswerForItl(check);
  return (
    answer?.status === 'valid' &&
    check.crypto.itlSignedBy(check.candidate, { sha1: answer.cert.sha1, der: answer.cert.der })
  );
}

/** Why a SAST-record rule (R2, or I2 with a CTL) did not accept the candidate (empty when it did). */
export function sastFailures(check: ItlCheck): RuleFailure[] {
  if (!check.installed) return [];
  const rule = holdsCtl(check) ? 'I2' : 'R2';
  if (rule === 'I2' && !check.rules.options.sharedSastPool) return [];
  const signer = signerOf(check.candidate);
  if (!matchingSast(check.installed, check.candidate)) return [{ rule, why: 'signerNotSast', signer }];
  return verifiesWith(check, matchingSast(check.installed, check.candidate))
    ? []
    : [{ rule, why: 'badSignature', signer }];
}

/** Why I1 did not accept the candidate (empty without a CTL, or when it did). */
export function ctlFailures(check: ItlCheck): RuleFailure[] {
  if (!check.ctl) return [];
  const signer = signerOf(check.candidate);
  const record = recordNaming(check.ctl, check.candidate, [Role.SAST, Role.CCM_TFTP]);
  if (!record) return [{ rule: 'I1', why: 'signerNotInCtl', signer }];
  return verifiesWith(check, record) ? [] : [{ rule: 'I1', why: 'badSignature', signer }];
}

/** Why R3 did not accept the candidate (empty when it did); with a CTL from 12.0, that TVS is not asked (I3). */
export function tvsFailures(check: ItlCheck): RuleFailure[] {
  if (!mayAskTvsForItl(check)) return [{ rule: 'I3', why: 'noTvsWithCtl' }];
  // Without an ITL no TVS certificate is pinned, so no TVS can be authenticated (a phone holding only a CTL).
  if (!check.installed) return [{ rule: 'R3', why: 'noTvsReachable' }];
  const answer = tvsAnswerForItl(check);
  if (!answer) return [{ rule: 'R3', why: 'noSignerRecord' }];
  const steps = attemptFailures(answer.attempts);
  if (answer.status === 'unreachable')
    return [
      ...steps,
      check.phone.tvs.length === 0 ? { rule: 'R3', why: 'emptyTvsList' } : { rule: 'R3', why: 'noTvsReachable' },
    ];
  if (answer.status === 'valid' && !tvsVouchesForItl(check))
    return [...steps, { rule: 'R3', why: 'badSignature', tvs: answer.via }];
  return steps;
}

/** Every failure of a rejected (or R3-accepted) candidate, in rule order: I1, R2/I2, then the TVS walk. */
export function itlFailures(check: ItlCheck): RuleFailure[] {
  return [...ctlFailures(check), ...sastFailures(check), ...tvsFailures(check)];
}
