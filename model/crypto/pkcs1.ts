import { constants, createHash, privateEncrypt, sign, verify, type KeyObject } from 'node:crypto';

/** Digest algorithms of the ITL header (tag 8): 1 SHA-1, 2 SHA-256, 3 SHA-512. */
export type DigestName = 'sha1' | 'sha256' | 'sha512';

/** DER prefixes of the PKCS#1 v1.5 DigestInfo for each digest (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<DigestName, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha512: '3051300d060960864801650304020305000440',
};

/** RSA PKCS#1 v1.5 signature of data, with Node's native RSA. Pure (deterministic). */
export function signPkcs1(key: KeyObject, digest: DigestName, data: Uint8Array): Buffer {
  return sign(digest, data, { key, padding: constants.RSA_PKCS1_PADDING });
}

/** RSA PKCS#1 v1.5 signature over an already computed digest (node-forge's certificate signer hands us one). */
export function signDigestPkcs1(key: KeyObject, digest: DigestName, hash: Uint8Array): Buffer {
  const info = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[digest], 'hex'), hash]);
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, info);
}

/** Checks an RSA (or EC) signature of data with a public key; a malformed key or signature is simply false. Pure. */
export function verifySignature(key: KeyObject, digest: DigestName, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(digest, data, key, signature);
  } catch {
    return false;
  }
}

/** Hex digest of bytes. Pure. */
export function hashHex(algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512', data: Uint8Array): string {
  return createHash(algorithm).update(data).digest('hex');
}
