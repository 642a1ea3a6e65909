import type { RuleFailure } from '../model/trust/ruleFailures.ts';
import { nodeLabel } from './noteText.ts';

/** Why a rule failed, in the words the reports have always used. Pure. */
export function reasonText(f: RuleFailure): string {
  switch (f.why) {
    case 'signerNotSast':
      return `R2: signer ${f.signer.subject} (serial ${f.signer.serial}) is not a SAST record of the installed ITL`;
    case 'badSignature':
      return f.rule === 'R2'
        ? `R2: the signature does not verify with the SAST record of ${f.signer.subject} (serial ${f.signer.serial})`
        : `R3: the signature does not verify with the certificate TVS ${nodeLabel(f.tvs)} returned`;
    case 'tlsFailed':
      return `R3: TLS to TVS ${nodeLabel(f.tvs)} failed: its certificate is not a TVS record of the installed ITL`;
    case 'unknownSigner':
      return `R3: TVS ${nodeLabel(f.tvs)} does not know ${f.signer.subject} (serial ${f.signer.serial})`;
    case 'noTvsReachable':
      return "R3: no TVS in the phone's list could be authenticated";
    case 'emptyTvsList':
      return 'R3: the TVS list is empty';
    case 'noSignerRecord':
      return 'R3: the ITL names no signer record';
    default: {
      const never: never = f;
      return String(never);
    }
  }
}
