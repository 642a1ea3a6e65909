import type { NodeState, PhoneState } from '../cluster/clusterState.ts';
import type { RecordSummary, StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { askTvs, type TvsAnswer } from './askTvs.ts';
import { attemptFailures, type RuleFailure } from './ruleFailures.ts';
import type { TrustCrypto } from './trustCrypto.ts';

/** Everything a phone's ITL decision reads (domain.md §3.2). */
export interface ItlCheck {
  phone: PhoneState;
  installed: StoredItl | null;
  candidate: StoredItl;
  nodes: NodeState[];
  crypto: TrustCrypto;
}

/** The candidate's signer record (the SAST record its header names), if it has one. Pure. */
export function signerRecord(itl: StoredItl): RecordSummary | undefined {
  return itl.records[itl.signer.recordIndex];
}

/** The installed ITL's SAST record that names the candidate's signer (same serial and issuer). Pure. */
export function matchingSast(installed: StoredItl, candidate: StoredItl): RecordSummary | undefined {
  return installed.records.find(
    (r) => r.role === Role.SAST && r.serial === candidate.signer.serial && r.issuer === candidate.signer.issuer,
  );
}

/** R2: the signer is a SAST record of the installed ITL and the signature verifies with that record's key. */
export function sastVerifies(check: ItlCheck): boolean {
  const record = check.installed && matchingSast(check.installed, check.candidate);
  return !!record && check.crypto.itlSignedBy(check.candidate, { sha1: record.certSha1, der: record.cert });
}

/** R3's answer from TVS about the candidate's signer (none when the candidate names no signer record). Pure. */
export function tvsAnswerForItl(check: ItlCheck): TvsAnswer | undefined {
  const signer = signerRecord(check.candidate);
  if (!check.installed || !signer) return undefined;
  return askTvs(check.phone.tvs, check.installed, check.nodes, signer);
}

/** R3: a TVS the phone could authenticate vouched for the signer, and the signature verifies with the certificate it returned. */
export function tvsVouchesForItl(check: ItlCheck): boolean {
  const answer = tvsAnswerForItl(check);
  return (
    answer?.status === 'valid' &&
    check.crypto.itlSignedBy(check.candidate, { sha1: answer.cert.sha1, der: answer.cert.der })
  );
}

/** Why R2 did not accept the candidate (empty when it did). */
export function sastFailures(check: ItlCheck): RuleFailure[] {
  if (!check.installed) return [];
  const signer = { subject: check.candidate.signer.subject, serial: check.candidate.signer.serial };
  if (!matchingSast(check.installed, check.candidate)) return [{ rule: 'R2', why: 'signerNotSast', signer }];
  return sastVerifies(check) ? [] : [{ rule: 'R2', why: 'badSignature', signer }];
}

/** Why R3 did not accept the candidate (empty when it did). */
export function tvsFailures(check: ItlCheck): RuleFailure[] {
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
