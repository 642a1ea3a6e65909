import type { StoredItl } from '../cluster/itlStore.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { certificateKey, signatureVerifiesWith } from '../itl/verifyItl.ts';
import type { TrustCrypto } from './trustCrypto.ts';

const verdicts = new Map<string, boolean>();

function verify(itl: StoredItl, der: string): boolean {
  // A certificate that does not read (a damaged record) verifies nothing.
  const key = certificateKey(Buffer.from(der, 'base64'));
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
      verdict = verify(itl, cert.der);
      verdicts.set(id, verdict);
    }
    return verdict;
  },
};
