import { X509Certificate } from 'node:crypto';
import type { StoredItl } from '../cluster/itlStore.ts';
import { verifySignature, type DigestName } from '../crypto/pkcs1.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { signedBytes } from '../itl/encodeItl.ts';
import type { CertHandle, TrustCrypto } from './trustCrypto.ts';

const DIGESTS: Record<number, DigestName> = { 1: 'sha1', 2: 'sha256', 3: 'sha512' };
const verdicts = new Map<string, boolean>();

function verify(itl: StoredItl, cert: CertHandle): boolean {
  if (!cert.der) return false;
  const bytes = Buffer.from(itl.bytes, 'base64');
  const file = decodeItl(bytes);
  const digest = DIGESTS[file.digestAlgorithm];
  if (!digest) return false;
  const key = new X509Certificate(Buffer.from(cert.der, 'base64')).publicKey;
  return verifySignature(key, digest, signedBytes(bytes, file), file.signature);
}

/**
 * Real RSA PKCS#1 v1.5 verification of the ITL's bytes. The verdict for the same file (by
 * SHA-1) and the same certificate is computed once per process: a cache of a pure function.
 */
export const realCrypto: TrustCrypto = {
  name: 'real',
  itlSignedBy(itl, cert) {
    const id = `${itl.sha1}/${cert.sha1}`;
    let verdict = verdicts.get(id);
    if (verdict === undefined) {
      verdict = verify(itl, cert);
      verdicts.set(id, verdict);
    }
    return verdict;
  },
};
