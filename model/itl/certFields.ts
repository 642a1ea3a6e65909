import { X509Certificate } from 'node:crypto';
import { certificateDer, certificateSignature, type Certificate } from '../certs/certificate.ts';

/** What an ITL record copies out of a certificate. */
export interface CertFields {
  der: Buffer;
  publicKey: Buffer;
  signature: Buffer;
}

const cache = new Map<string, CertFields>();

/**
 * The DER, the PUBLICKEY value (RSAPublicKey DER) and the certificate's own signature, parsed
 * once per certificate (cached by SHA-1: the same certificate always gives the same fields).
 */
export function certFields(cert: Certificate): CertFields {
  const hit = cache.get(cert.sha1);
  if (hit) return hit;
  const der = certificateDer(cert);
  const { publicKey } = new X509Certificate(der);
  const fields = {
    der,
    publicKey: publicKey.export({ type: 'pkcs1', format: 'der' }),
    signature: certificateSignature(der),
  };
  cache.set(cert.sha1, fields);
  return fields;
}
