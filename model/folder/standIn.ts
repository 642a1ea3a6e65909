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

/**
 * A certificate carried whole by a record: its fields as the model keeps them (subject and issuer as
 * the record writes them, the SHA-1 of the DER); undefined when its DER, key or dates do not read (a
 * damaged file: its signature fails too), or when its key is not RSA: the model's keys are all RSA
 * (ECDSA is not modelled, docs/rules.md A35), and a file it rebuilds copies an RSA key out of each
 * whole certificate. Pure.
 */
function wholeCertificate(record: RecordSummary): Certificate | undefined {
  try {
    const x509 = new X509Certificate(Buffer.from(record.cert!, 'base64'));
    if (x509.publicKey.asymmetricKeyType !== 'rsa') return undefined;
    return {
      der: record.cert!,
      subject: record.subject,
      issuer: record.issuer,
      serial: record.serial,
      bits: x509.publicKey.asymmetricKeyDetails!.modulusLength!,
      sha1: record.certSha1,
      notBefore: isoOf(x509.validFrom),
      notAfter: isoOf(x509.validTo),
    };
  } catch {
    return undefined;
  }
}

/**
 * A certificate known only by its hash (a CERTHASH record: TVS, CAPF): the record's identity (SHA-1,
 * serial, issuer, subject) on a certificate the model makes with the stand-in key, so that a file the
 * model rebuilds can carry it (its PUBLICKEY and SIGNATURE fields are the stand-in's; its CERTHASH the
 * real one, which is what phones pin). Validity is unknown: the stand-in's dates are `at` plus 5 years.
 */
function hashedCertificate(record: RecordSummary, at: string): Certificate {
  const key = standInKey(record.certSha1, 1024);
  const made = createCertificate({
    key,
    name: { CN: commonName(record.subject) || 'stand-in' },
    serialSeed: key.seed,
    notBefore: at,
    validityYears: 5,
  });
  return { ...made, subject: record.subject, issuer: record.issuer, serial: record.serial, sha1: record.certSha1 };
}

/**
 * The stand-in identity of a record's certificate: whole, or known by its hash (a CERTHASH record,
 * a whole certificate that does not read, or one whose key is not RSA). Pure.
 */
export function standInIdentity(record: RecordSummary, at: string): Identity {
  const whole = record.cert ? wholeCertificate(record) : undefined;
  const cert = whole ?? hashedCertificate(record, at);
  return { cert, key: standInKey(cert.sha1, whole ? whole.bits : 1024) };
}
