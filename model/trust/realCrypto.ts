import { X509Certificate, type KeyObject } from 'node:crypto';
import type { StoredItl } from '../cluster/itlStore.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { signatureVerifiesWith } from '../itl/verifyItl.ts';
import type { CertHandle, TrustCrypto } from './trustCrypto.ts';

const verdicts = new Map<string, boolean>();

/** The public key of a certificate given as base64 DER, or undefined when the certificate or its key does not read. */
function publicKeyOf(der: string): KeyObject | undefined {
  try {
    return new X509Certificate(Buffer.from(der, 'base64')).publicKey;
  } catch {
    return undefined;
  }
}

function verify(itl: StoredItl, cert: CertHandle): boolean {
  // A certificate that does not read (a damaged record) verifies nothing.
  const key = cert.der ? publicKeyOf(cert.der) : undefined;
  if (!key) return false;
  const bytes = Buffer.from(itl.bytes, 'base64');
  return signatureVerifiesWith(bytes, decodeItl(bytes), key);
}

/**
 * Real RSA PKCS#1 v1.5 verification of the ITL's bytes. The verdict for the same file (by
 * SHA-1) and the same certificate is computed once per process: a cache of a pure function.
 */
export const realCrypto: TrustCrypto = {
  name: 'real',
  itlSignedBy(itl, cert) {
    // A certificate known only by its hash verifies nothing; it is not cached, so that it never
    // stands for the same certificate given whole (and the other way round).
    if (!cert.der) return false;
    const id = `${itl.sha1}/${cert.sha1}`;
    let verdict = verdicts.get(id);
    if (verdict === undefined) {
      verdict = verify(itl, cert);
      verdicts.set(id, verdict);
    }
    return verdict;
  },
};
