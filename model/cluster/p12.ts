import forge from 'node-forge';
import { byteStream, sha256Hex } from '../crypto/drbg.ts';
import { keyFor, type KeyRef } from '../crypto/keyStore.ts';
import type { Certificate } from '../certs/certificate.ts';

/** The ITLRecovery.p12 password, derived from the cluster security password (SEED: "a password based off of the cluster security password"). Pure. */
export function p12Password(securityPassword: string): string {
  return sha256Hex(`ITLRecovery.p12:${securityPassword}`).slice(0, 32);
}

function forgeKey(ref: KeyRef): forge.pki.rsa.PrivateKey {
  const { n, e, d, p, q, dp, dq, qi } = keyFor(ref).numbers;
  const big = (v: bigint) => new forge.jsbn.BigInteger(v.toString(16), 16);
  return forge.pki.setRsaPrivateKey(big(n), big(e), big(d), big(p), big(q), big(dp), big(dq), big(qi));
}

/**
 * Writes a real PKCS#12 (node-forge) holding the key and certificate, encrypted with the password.
 * The key bag uses PKCS#12's own 3DES PBE (pbeWithSHAAnd3-KeyTripleDES-CBC), the default of the Java
 * keytool and OpenSSL 1.x of the releases modelled, which every PKCS#12 reader opens (OpenSSL 3
 * without `-legacy` too); both bags carry the friendly name `ITLRecovery`, so a listing names the
 * entry. Salts and IVs come from a stream seeded by the inputs, so the same backup gives the same bytes. Pure.
 */
export function writeP12(ref: KeyRef, cert: Certificate, password: string, seed: string): string {
  const forgeCert = forge.pki.certificateFromAsn1(
    forge.asn1.fromDer(Buffer.from(cert.der, 'base64').toString('binary')),
  );
  const random = forge.random as unknown as { getBytes: (n: number) => string; getBytesSync: (n: number) => string };
  const original = { getBytes: random.getBytes, getBytesSync: random.getBytesSync };
  const next = byteStream(`p12:${seed}`);
  random.getBytes = random.getBytesSync = (count: number) => next(count).toString('binary');
  try {
    const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey(ref), [forgeCert], password, {
      algorithm: '3des',
      friendlyName: 'ITLRecovery',
    });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary').toString('base64');
  } finally {
    Object.assign(random, original);
  }
}

/** What opening a p12 gave: the key's modulus (to match it with the key it should hold) and the certificate's DER. */
export type P12Opened = { ok: true; modulusHex: string; certDer: string } | { ok: false; reason: string };

/** Opens a PKCS#12 with a password (real MAC check and decryption); a wrong password or broken file is a reason, not a throw. Pure. */
export function openP12(p12: string, password: string): P12Opened {
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(p12, 'base64').toString('binary'));
    const bag = forge.pkcs12.pkcs12FromAsn1(asn1, password);
    const keyBag = bag.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
      forge.pki.oids.pkcs8ShroudedKeyBag!
    ]?.[0];
    const certBag = bag.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]?.[0];
    const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
    if (!key || !certBag?.cert) return { ok: false, reason: 'the file holds no key and certificate' };
    const certDer = Buffer.from(
      forge.asn1.toDer(forge.pki.certificateToAsn1(certBag.cert)).getBytes(),
      'binary',
    ).toString('base64');
    return { ok: true, modulusHex: key.n.toString(16), certDer };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
