import forge from 'node-forge';
import { byteStream } from '../crypto/drbg.ts';
import { keyFor, type KeyRef } from '../crypto/keyStore.ts';
import { hashHex, signDigestPkcs1 } from '../crypto/pkcs1.ts';
import { cucmName, NAME_ORDER, type NameAttributes } from './names.ts';

/** A certificate as plain data: the DER and what the model reads from it. */
export interface Certificate {
  /** Base64 DER. */
  der: string;
  /** Subject in CUCM form (CN first, `;`). */
  subject: string;
  issuer: string;
  /** 16-byte serial number, 32 lowercase hex digits. */
  serial: string;
  bits: number;
  /** SHA-1 of the DER, lowercase hex: what ITL CERTHASH fields and TLS pinning compare. */
  sha1: string;
  notBefore: string;
  notAfter: string;
}

/** What a self-signed certificate is made from. */
export interface CertificateSpec {
  key: KeyRef;
  name: NameAttributes;
  /** Seed of the serial number (distinct per certificate generation). */
  serialSeed: string;
  /** ISO time the certificate becomes valid: the `at` of the event that made it. */
  notBefore: string;
  validityYears: number;
}

/** A 16-byte serial with the top bit clear (a positive INTEGER) and a non-zero first byte (minimal DER). Pure. */
export function serialFromSeed(seed: string): string {
  const bytes = byteStream(`serial:${seed}`)(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

/** UTF8String for every attribute but the country (PrintableString by X.520), as CUCM's and tlvfile's certificates do: PrintableString cannot hold the `_` of `ITLRECOVERY_`. */
function forgeAttributes(name: NameAttributes): forge.pki.CertificateField[] {
  return NAME_ORDER.filter((k) => name[k]).map((k) => ({
    shortName: k,
    value: name[k],
    valueTagClass: (k === 'C' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }));
}

/** node-forge's certificate signer asks the key for `sign(md)`; we answer with Node's native RSA. */
function nativeSigner(ref: KeyRef): forge.pki.rsa.PrivateKey {
  const { privateKey } = keyFor(ref);
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      const hash = Buffer.from(md.digest().getBytes(), 'binary');
      return signDigestPkcs1(privateKey, 'sha256', hash).toString('binary');
    },
  };
  return signer as unknown as forge.pki.rsa.PrivateKey;
}

/**
 * Builds a real self-signed X.509 certificate (node-forge), deterministic for a given spec. Pure.
 */
export function createCertificate(spec: CertificateSpec): Certificate {
  const { numbers } = keyFor(spec.key);
  const cert = forge.pki.createCertificate();
  const BigInteger = forge.jsbn.BigInteger;
  cert.publicKey = forge.pki.setRsaPublicKey(
    new BigInteger(numbers.n.toString(16), 16),
    new BigInteger(numbers.e.toString(16), 16),
  );
  cert.serialNumber = serialFromSeed(spec.serialSeed);
  const notBefore = new Date(spec.notBefore);
  const notAfter = new Date(spec.notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + spec.validityYears);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = forgeAttributes(spec.name);
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(nativeSigner(spec.key), forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    der: der.toString('base64'),
    subject: cucmName(spec.name),
    issuer: cucmName(spec.name),
    serial: cert.serialNumber,
    bits: spec.key.bits,
    sha1: hashHex('sha1', der),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}

/** The DER bytes of a certificate. Pure. */
export function certificateDer(cert: Certificate): Buffer {
  return Buffer.from(cert.der, 'base64');
}

/** The signature value of a DER certificate (its last BIT STRING), via Node's parser for the fields. Pure. */
export function certificateSignature(der: Uint8Array): Buffer {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
  const bitString = (asn1.value as forge.asn1.Asn1[])[2]!;
  // BIT STRING value starts with the count of unused bits (0 for signatures).
  return Buffer.from((bitString.value as string).slice(1), 'binary');
}
