/**
 * Stand-in identities (docs/cluster-folder.md, "Import"): a cluster folder holds no private key, so
 * every certificate read from it is the real certificate (SHA-1, serial, issuer, subject) with a key
 * reference of its own, named by the certificate's SHA-1. What the model signs later with such a key
 * verifies symbolically (model/trust/symbolicCrypto.ts). Pure.
 */
import { X509Certificate } from 'node:crypto';
import { createCertificate, type Certificate } from '../certs/certificate.ts';
import type { Identity } from '../certs/issueCertificate.ts';
import type { RecordSummary } from '../cluster/itlStore.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import { commonName } from './certNames.ts';

/** The key a certificate of the folder is represented by: its SHA-1 names it (the real key is not in the folder). Pure. */
export function standInKey(sha1: string, bits: number): KeyRef {
  return { seed: `stand-in:${sha1}`, bits: bits === 1024 || bits === 4096 ? bits : 2048 };
}

/** The ISO form of an X509Certificate date (`Mar  4 09:01:00 2024 GMT`). */
function isoOf(text: string): string {
  return new Date(text).toISOString();
}

/** What the model keeps of a readable certificate: its key type and size, and its validity. */
interface Reading {
  rsaBits: number | undefined;
  notBefore: string;
  notAfter: string;
}

/** A whole certificate's reading; undefined when its DER, key or dates do not read (a damaged file: its signature fails too). Pure. */
function readCertificate(der: string): Reading | undefined {
  try {
    const x509 = new X509Certificate(Buffer.from(der, 'base64'));
    const rsa = x509.publicKey.asymmetricKeyType === 'rsa';
    return {
      rsaBits: rsa ? x509.publicKey.asymmetricKeyDetails!.modulusLength! : undefined,
      notBefore: isoOf(x509.validFrom),
      notAfter: isoOf(x509.validTo),
    };
  } catch {
    return undefined;
  }
}

/**
 * A certificate known only by its identity (SHA-1, serial, issuer, subject), on a certificate the
 * model makes with the stand-in key, so that a file the model rebuilds can carry it: a CERTHASH record
 * (TVS, CAPF; a rebuilt file writes its CERTHASH, the real one, which is what phones pin), or a whole
 * certificate the model cannot hold as it is (a key that is not RSA). `bits` is the stand-in key's
 * size; the validity is the real one when known, else `at` plus 5 years.
 */
function standInCertificate(
  record: RecordSummary,
  at: string,
  bits: number,
  validity?: { notBefore: string; notAfter: string },
): Certificate {
  const key = standInKey(record.certSha1, bits);
  const made = createCertificate({
    key,
    name: { CN: commonName(record.subject) || 'stand-in' },
    serialSeed: key.seed,
    notBefore: at,
    validityYears: 5,
  });
  return {
    ...made,
    subject: record.subject,
    issuer: record.issuer,
    serial: record.serial,
    sha1: record.certSha1,
    ...validity,
  };
}

/**
 * The stand-in identity of a record's certificate. An RSA certificate carried whole is kept whole
 * (its DER, size and dates). One whose key is not RSA (an EC key: the model's keys are all RSA, ECDSA
 * is not modelled, docs/rules.md A35, and a file it rebuilds copies an RSA key out of each
 * certificate) keeps its identity and dates on a 2048-bit stand-in certificate: it has no RSA size,
 * and 2048 bits is the size no key-size rule flags. A CERTHASH record, or a certificate that does not
 * read, gets a 1024-bit stand-in. Pure.
 */
export function standInIdentity(record: RecordSummary, at: string): Identity {
  const reading = record.cert ? readCertificate(record.cert) : undefined;
  const cert = !reading
    ? standInCertificate(record, at, 1024)
    : reading.rsaBits === undefined
      ? standInCertificate(record, at, 2048, { notBefore: reading.notBefore, notAfter: reading.notAfter })
      : wholeCertificate(record, reading.rsaBits, reading);
  return { cert, key: standInKey(cert.sha1, cert.bits) };
}

/** An RSA certificate carried whole, as the model keeps it (subject and issuer as the record writes them, the SHA-1 of the DER). Pure. */
function wholeCertificate(record: RecordSummary, bits: number, { notBefore, notAfter }: Reading): Certificate {
  return {
    der: record.cert!,
    subject: record.subject,
    issuer: record.issuer,
    serial: record.serial,
    bits,
    sha1: record.certSha1,
    notBefore,
    notAfter,
  };
}
