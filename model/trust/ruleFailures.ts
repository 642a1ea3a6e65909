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

/** Why R2 or R3 did not accept a candidate. */
export type RuleFailure =
  | { rule: 'R2'; why: 'signerNotSast'; signer: SignerName }
  | { rule: 'R2'; why: 'badSignature'; signer: SignerName }
  | { rule: 'R3'; why: 'tlsFailed'; tvs: NodeName }
  | { rule: 'R3'; why: 'unknownSigner'; tvs: NodeName; signer: SignerName }
  | { rule: 'R3'; why: 'noTvsReachable' }
  | { rule: 'R3'; why: 'emptyTvsList' }
  | { rule: 'R3'; why: 'noSignerRecord' }
  | { rule: 'R3'; why: 'badSignature'; tvs: NodeName };

/** The R3 failures of a walk down the TVS list. Pure. */
export function attemptFailures(attempts: TvsAttempt[]): RuleFailure[] {
  return attempts.map((a) =>
    a.result === 'tlsFailed'
      ? { rule: 'R3', why: 'tlsFailed', tvs: a.tvs }
      : { rule: 'R3', why: 'unknownSigner', tvs: a.tvs, signer: a.signer },
  );
}
