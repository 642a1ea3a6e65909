import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { rsaFromSeed, type RsaNumbers } from './rsaKeyGen.ts';

/**
 * How the model names a private key: the seed it is derived from and its size. Contexts hold
 * this plain reference, never key material, so snapshots stay JSON and free of secrets.
 */
export interface KeyRef {
  seed: string;
  bits: 1024 | 2048 | 4096;
}

/** A materialised key: the numbers, Node key objects and the PKCS#1 public key bytes. */
export interface KeyMaterial {
  numbers: RsaNumbers;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RSAPublicKey DER (SEQUENCE { n, e }): the ITL's PUBLICKEY field. */
  publicPkcs1: Buffer;
}

const cache = new Map<string, KeyMaterial>();

function b64url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/**
 * Returns the key a reference names, generating it once per process (a cache of a pure
 * function: the same reference always gives the same key).
 */
export function keyFor(ref: KeyRef): KeyMaterial {
  const id = `${ref.bits}:${ref.seed}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const numbers = rsaFromSeed(ref.seed, ref.bits);
  const { n, e, d, p, q, dp, dq, qi } = numbers;
  const jwk = {
    kty: 'RSA',
    n: b64url(n),
    e: b64url(e),
    d: b64url(d),
    p: b64url(p),
    q: b64url(q),
    dp: b64url(dp),
    dq: b64url(dq),
    qi: b64url(qi),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const publicPkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' });
  const material = { numbers, privateKey, publicKey, publicPkcs1 };
  cache.set(id, material);
  return material;
}
