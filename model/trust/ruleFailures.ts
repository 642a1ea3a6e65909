import type { NodeName } from '../cluster/notes.ts';

/**
 * Why a rule did not accept an offered ITL, as data (style.md: outcomes are typed). The phone's
 * last decision keeps them; cli/reasonText.ts says them in words.
 */

/** The signer an ITL's header names. */
export interface SignerName {
  subject: string;
  serial: string;
}

/** One TVS the phone tried (R3), in the order of its TVS list. */
export type TvsAttempt =
  /** TLS failed: the TVS's certificate is not a TVS record of the installed ITL (Q7); the phone moves on (A3). */
  | { result: 'tlsFailed'; tvs: NodeName }
  /** The TVS answered: it does not know the signer's certificate (Q8). */
  | { result: 'unknownSigner'; tvs: NodeName; signer: SignerName };

/** Why R2 or R3 (or, with a CTL installed, I1, I2, I3) did not accept a candidate ITL. */
export type RuleFailure =
  | { rule: 'R2'; why: 'signerNotSast'; signer: SignerName }
  | { rule: 'R2'; why: 'badSignature'; signer: SignerName }
  /** I1: the signer is no SAST or CCM+TFTP record of the installed CTL. */
  | { rule: 'I1'; why: 'signerNotInCtl'; signer: SignerName }
  | { rule: 'I1'; why: 'badSignature'; signer: SignerName }
  /** I2: the signer is no SAST record of the installed ITL (or the shared pool is off, A18). */
  | { rule: 'I2'; why: 'signerNotSast'; signer: SignerName }
  | { rule: 'I2'; why: 'badSignature'; signer: SignerName }
  /** I3: 12.0 and later, a phone holding a CTL does not ask TVS about an ITL (A18). */
  | { rule: 'I3'; why: 'noTvsWithCtl' }
  | { rule: 'R3'; why: 'tlsFailed'; tvs: NodeName }
  | { rule: 'R3'; why: 'unknownSigner'; tvs: NodeName; signer: SignerName }
  | { rule: 'R3'; why: 'noTvsReachable' }
  | { rule: 'R3'; why: 'emptyTvsList' }
  | { rule: 'R3'; why: 'noSignerRecord' }
  | { rule: 'R3'; why: 'badSignature'; tvs: NodeName };

/** Why C1 or C2 did not accept a candidate CTL (docs/rules.md §16). */
export type CtlFailure =
  /** C1: the signer is no SAST record of the installed CTL (nor, with the shared pool, of the installed ITL, A18). */
  | { rule: 'C1'; why: 'signerNotAnchor'; signer: SignerName }
  | { rule: 'C1'; why: 'badSignature'; signer: SignerName }
  /** C2: a device without Security By Default has no TVS to ask (A26). */
  | { rule: 'C2'; why: 'noSbd' }
  /** C2: 12.0 and later, TVS does not vouch for the cluster's own certificates as CTL signers (A19). */
  | { rule: 'C2'; why: 'ownCertificate'; tvs: NodeName; signer: SignerName }
  /** C2: TVS vouched for the signer, but not with the SAST role a CTL signer needs (T4). */
  | { rule: 'C2'; why: 'notSast'; tvs: NodeName; signer: SignerName }
  | { rule: 'C2'; why: 'tlsFailed'; tvs: NodeName }
  | { rule: 'C2'; why: 'unknownSigner'; tvs: NodeName; signer: SignerName }
  | { rule: 'C2'; why: 'noTvsReachable' }
  | { rule: 'C2'; why: 'emptyTvsList' }
  | { rule: 'C2'; why: 'noItl' }
  | { rule: 'C2'; why: 'badSignature'; tvs: NodeName };

/** The R3 failures of a walk down the TVS list. Pure. */
export function attemptFailures(attempts: TvsAttempt[]): RuleFailure[] {
  return attempts.map((a) =>
    a.result === 'tlsFailed'
      ? { rule: 'R3', why: 'tlsFailed', tvs: a.tvs }
      : { rule: 'R3', why: 'unknownSigner', tvs: a.tvs, signer: a.signer },
  );
}
