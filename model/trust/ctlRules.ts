/**
 * A phone's decision on an offered CTL (docs/rules.md §16; domain C rules): C0 the first CTL (a leap
 * of faith, also when an ITL is installed, A20); C1 its signer is a SAST record of the installed CTL,
 * or of the installed ITL when the anchors are one pool (A18), and the signature verifies; C2 a TVS
 * the phone authenticates vouches for the signer with the SAST role — not for devices without
 * Security By Default (A26), and from 12.0 not for the cluster's own certificates (A19); else C3:
 * the phone keeps its CTL and fails. The phone machine's CTL guards are these predicates. Pure.
 */
import type { NodeState, PhoneState } from '../cluster/clusterState.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { askTvs, type TvsAnswer } from './askTvs.ts';
import { recordNaming, signerOf, signerRecord, type TrustRules } from './itlRules.ts';
import type { CtlFailure } from './ruleFailures.ts';
import type { TrustCrypto } from './trustCrypto.ts';
import { answersWithSast } from './tvsStore.ts';

/** Everything a phone's CTL decision reads. */
export interface CtlCheck {
  phone: PhoneState;
  /** The CTL the TFTP node serves (every node serves the cluster's one CTL, A22). */
  candidate: StoredItl;
  /** The CTL the phone holds, and its ITL (the other half of the pool of anchors, A18). */
  installedCtl: StoredItl | null;
  installedItl: StoredItl | null;
  nodes: NodeState[];
  crypto: TrustCrypto;
  rules: TrustRules;
}

/** Whether the offered CTL is the very file the phone holds (nothing to decide). Pure. */
export function sameCtl(check: CtlCheck): boolean {
  return check.installedCtl?.sha1 === check.candidate.sha1;
}

/** The SAST record, among the phone's anchors, naming the candidate's signer: the CTL's, then (A18) the ITL's. Pure. */
function anchor(check: CtlCheck) {
  const fromCtl = check.installedCtl && recordNaming(check.installedCtl, check.candidate, [Role.SAST]);
  if (fromCtl) return fromCtl;
  if (!check.rules.options.sharedSastPool || !check.installedItl) return undefined;
  return recordNaming(check.installedItl, check.candidate, [Role.SAST]);
}

/** C1: the signer is a local anchor and the signature verifies with its certificate. */
export function ctlAnchored(check: CtlCheck): boolean {
  const record = anchor(check);
  return !!record && check.crypto.itlSignedBy(check.candidate, { sha1: record.certSha1, der: record.cert });
}

/** C2's answer from TVS about the candidate's signer (none without SBD, without an ITL, or without a signer record). Pure. */
export function tvsAnswerForCtl(check: CtlCheck): TvsAnswer | undefined {
  const signer = signerRecord(check.candidate);
  if (check.phone.sbd === false || !check.installedItl || !signer) return undefined;
  return askTvs(check.phone.tvs, check.installedItl, check.nodes, signer, check.rules.options.tvsVouchesOwnItlRecovery);
}

/**
 * Whether C2 may count a TVS's answer about a CTL's signer: before 12.0 always; from 12.0 only for
 * certificates imported into Phone-SAST-trust, which this model has none of, unless `ctlTvsRescueOwn`
 * (A19). Pure.
 */
export function mayAskTvsForCtl(check: CtlCheck): boolean {
  return !check.rules.from12 || check.rules.options.ctlTvsRescueOwn;
}

/**
 * C2: a TVS vouched for the signer with the SAST role (T1, T3), the signature verifies with the
 * certificate it returned, and the answer counts for a CTL: before 12.0 always; from 12.0 only for
 * certificates imported into Phone-SAST-trust, which this model has none of, unless `ctlTvsRescueOwn` (A19).
 */
export function tvsVouchesForCtl(check: CtlCheck): boolean {
  const answer = tvsAnswerForCtl(check);
  return (
    answer?.status === 'valid' &&
    answersWithSast(answer.kind) &&
    mayAskTvsForCtl(check) &&
    check.crypto.itlSignedBy(check.candidate, { sha1: answer.cert.sha1, der: answer.cert.der })
  );
}

/** Why C1 and C2 did not accept the candidate CTL, in rule order. Pure. */
export function ctlRuleFailures(check: CtlCheck): CtlFailure[] {
  const signer = signerOf(check.candidate);
  const record = anchor(check);
  const c1: CtlFailure[] = !record
    ? [{ rule: 'C1', why: 'signerNotAnchor', signer }]
    : ctlAnchored(check)
      ? []
      : [{ rule: 'C1', why: 'badSignature', signer }];
  return [...c1, ...c2Failures(check)];
}

function c2Failures(check: CtlCheck): CtlFailure[] {
  if (check.phone.sbd === false) return [{ rule: 'C2', why: 'noSbd' }];
  if (!check.installedItl) return [{ rule: 'C2', why: 'noItl' }];
  const answer = tvsAnswerForCtl(check);
  if (!answer) return [{ rule: 'C2', why: 'noTvsReachable' }];
  const steps: CtlFailure[] = answer.attempts.map((a) =>
    a.result === 'tlsFailed'
      ? { rule: 'C2', why: 'tlsFailed', tvs: a.tvs }
      : { rule: 'C2', why: 'unknownSigner', tvs: a.tvs, signer: a.signer },
  );
  if (answer.status === 'unreachable')
    return [
      ...steps,
      check.phone.tvs.length === 0 ? { rule: 'C2', why: 'emptyTvsList' } : { rule: 'C2', why: 'noTvsReachable' },
    ];
  if (answer.status === 'invalid') return steps;
  const signer = signerOf(check.candidate);
  if (!answersWithSast(answer.kind)) return [...steps, { rule: 'C2', why: 'notSast', tvs: answer.via, signer }];
  if (!mayAskTvsForCtl(check)) return [...steps, { rule: 'C2', why: 'ownCertificate', tvs: answer.via, signer }];
  return tvsVouchesForCtl(check) ? steps : [...steps, { rule: 'C2', why: 'badSignature', tvs: answer.via }];
}
