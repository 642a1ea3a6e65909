import type { CtlFailure, RuleFailure } from '../model/trust/ruleFailures.ts';
import { nodeLabel } from './noteText.ts';

/** Why a rule failed on an offered ITL, in the words the reports have always used. Pure. */
export function reasonText(f: RuleFailure): string {
  switch (f.why) {
    case 'signerNotSast':
      return `${f.rule}: signer ${f.signer.subject} (serial ${f.signer.serial}) is not a SAST record of the installed ITL`;
    case 'badSignature':
      return f.rule === 'R3'
        ? `R3: the signature does not verify with the certificate TVS ${nodeLabel(f.tvs)} returned`
        : `${f.rule}: the signature does not verify with the ${f.rule === 'I1' ? 'CTL' : 'SAST'} record of ${f.signer.subject} (serial ${f.signer.serial})`;
    case 'signerNotInCtl':
      return `I1: signer ${f.signer.subject} (serial ${f.signer.serial}) is not a SAST or CCM+TFTP record of the installed CTL`;
    case 'noTvsWithCtl':
      return 'I3: a phone holding a CTL does not ask TVS about an ITL (12.0 and later, A18)';
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

/** Why a rule failed on an offered CTL. Pure. */
export function ctlReasonText(f: CtlFailure): string {
  switch (f.why) {
    case 'signerNotAnchor':
      return `C1: signer ${f.signer.subject} (serial ${f.signer.serial}) is not a SAST record of the installed CTL or ITL`;
    case 'badSignature':
      return f.rule === 'C1'
        ? `C1: the signature does not verify with the SAST record of ${f.signer.subject} (serial ${f.signer.serial})`
        : `C2: the signature does not verify with the certificate TVS ${nodeLabel(f.tvs)} returned`;
    case 'noSbd':
      return 'C2: a device without Security By Default has no TVS to ask (A26)';
    case 'ownCertificate':
      return `C2: TVS ${nodeLabel(f.tvs)} knows ${f.signer.subject}, but from 12.0 TVS does not vouch for the cluster's own certificates as CTL signers (A19)`;
    case 'notSast':
      return `C2: TVS ${nodeLabel(f.tvs)} knows ${f.signer.subject}, but not with the SAST role a CTL signer needs`;
    case 'tlsFailed':
      return `C2: TLS to TVS ${nodeLabel(f.tvs)} failed: its certificate is not a TVS record of the installed ITL`;
    case 'unknownSigner':
      return `C2: TVS ${nodeLabel(f.tvs)} does not know ${f.signer.subject} (serial ${f.signer.serial})`;
    case 'noTvsReachable':
      return "C2: no TVS in the phone's list could be authenticated";
    case 'emptyTvsList':
      return 'C2: the TVS list is empty';
    case 'noItl':
      return 'C2: without an ITL no TVS can be authenticated';
    default: {
      const never: never = f;
      return String(never);
    }
  }
}
