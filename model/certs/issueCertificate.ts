import { byteStream } from '../crypto/drbg.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import type { CertKind } from '../events.ts';
import { createCertificate, type Certificate } from './certificate.ts';
import { commonNames, type SubjectDefaults } from './names.ts';

/** The four certificates a CUCM 10.x node holds in this model (the log's `cert` values). */
export type { CertKind };

/** A certificate with the reference of its private key. */
export interface Identity {
  cert: Certificate;
  key: KeyRef;
}

/** What a certificate of a node is issued from. */
export interface IssueRequest {
  kind: CertKind;
  /** The node's FQDN now (CallManager, TVS) or, for ITLRecovery, the publisher's FQDN at creation. */
  fqdn: string;
  subject: SubjectDefaults;
  bits: 1024 | 2048 | 4096;
  /** Years of validity (default VALIDITY_YEARS; ITLRecovery per release, A30). */
  years?: number;
  /** ISO time of the event that issues it. */
  at: string;
  /** Unique per certificate generation (cluster, node, kind, generation): keys and serials derive from it. */
  seed: string;
}

/** CUCM's self-signed certificates and the ITLRecovery certificate are valid five years (10.x). */
export const VALIDITY_YEARS = 5;

/** `CAPF-` + 8 hex digits, derived from the seed. Pure. */
export function capfSuffix(seed: string): string {
  return byteStream(`capf:${seed}`)(4).toString('hex');
}

function commonName(request: IssueRequest): string {
  switch (request.kind) {
    case 'CallManager':
      return commonNames.callManager(request.fqdn);
    case 'TVS':
      return commonNames.tvs(request.fqdn);
    case 'CAPF':
      return commonNames.capf(capfSuffix(request.seed));
    case 'ITLRecovery':
      return commonNames.itlRecovery(request.fqdn);
    default: {
      const never: never = request.kind;
      throw new Error(`bug: unknown certificate kind ${String(never)}`);
    }
  }
}

/** Issues a node's self-signed certificate with a fresh key, deterministically from the request. Pure. */
export function issueCertificate(request: IssueRequest): Identity {
  const key: KeyRef = { seed: `${request.kind}:${request.seed}`, bits: request.bits };
  const cert = createCertificate({
    key,
    name: { CN: commonName(request), ...request.subject },
    serialSeed: `${request.kind}:${request.seed}`,
    notBefore: request.at,
    validityYears: request.years ?? VALIDITY_YEARS,
  });
  return { cert, key };
}
