import { createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { Role } from '../model/itl/tags.ts';

/*
 * Test support: an independent port of usecallmanager.nz's `tlvfile --parse` rules, so tests can
 * check that the files we write are read by another implementation of the format the way ours
 * reads them. Written from tlvfile's source, not from decodeItl.
 */

/** PrintableString's alphabet (X.680 §41.4): no `_`, `@`, `*`, `&`. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Rejects a DER certificate holding a PrintableString outside its alphabet, as Python's
 * `cryptography` (which tlvfile uses to load every CERTIFICATE) does; Node's parser lets it pass.
 */
export function checkPrintableStrings(der: Uint8Array): void {
  const walk = (node: forge.asn1.Asn1): void => {
    if (Array.isArray(node.value)) return node.value.forEach(walk);
    if (
      node.tagClass === forge.asn1.Class.UNIVERSAL &&
      node.type === forge.asn1.Type.PRINTABLESTRING &&
      !PRINTABLE.test(node.value)
    ) {
      throw new Error(`error parsing asn1 value: AttributeValue::PrintableString ${JSON.stringify(node.value)}`);
    }
  };
  walk(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary'))));
}

/**
 * What tlvfile's `parse_tlv` reads and accepts, step by step: the header loop up to HEADER
 * LENGTH (PADDING has no length; groups 3, 7, 9 are entered; unknown tags are rejected), the
 * record loop (record tags 2-12, anything else rejected), the signer = the CERTIFICATE of the
 * last SAST record whose serial equals the header's, and PKCS#1 v1.5 over the file without
 * the SIGNATURE element. A record may lack any tag but RECORD LENGTH (the certificate-less
 * records of a non-secure CTL); a SAST record without a certificate leaves no signer. Written
 * from its source, independently of decodeItl. With `strictCertificates` it also rejects the
 * certificates Python's `cryptography` cannot load.
 */
export function tlvfileRead(data: Uint8Array, options = { strictCertificates: true }) {
  let i = 0;
  const u8 = () => {
    if (i + 1 > data.length) throw new Error(`unpack past the end at ${i}`);
    return data[i++]!;
  };
  const u16 = () => (u8() << 8) | u8();
  const take = (n: number) => {
    const v = data.subarray(i, i + n);
    i += n;
    return v;
  };
  // tlvfile decodes `value[:-1]`: it assumes one trailing NUL; we also insist the NUL is there.
  const name = (v: Uint8Array) => {
    if (v[v.length - 1] !== 0) throw new Error('name without its trailing NUL');
    return Buffer.from(v.subarray(0, -1)).toString('utf8');
  };
  const fixed = (what: string, want: number) => {
    const length = u16();
    if (length !== want) throw new Error(`Unsupported length for ${what}: ${length}`);
    return length;
  };
  if (u8() !== 1) throw new Error('Tag is not HEADER_VERSION');
  fixed('HEADER_VERSION', 2);
  const version = `${u8()}.${u8()}`;
  if (u8() !== 2) throw new Error('Tag is not HEADER_LENGTH');
  fixed('HEADER_LENGTH', 2);
  const headerLength = u16();
  const header: Record<string, string | number> = { version, headerLength };
  let signatureIndex = -1;
  let signatureLength = 0;
  while (i < headerLength) {
    const tag = u8();
    if (tag === 13) continue;
    const length = u16();
    if (tag === 3 || tag === 7 || tag === 9) continue;
    if (tag === 28) {
      if (length !== 2) throw new Error('Unsupported length for HEADER_SIGNER_VERSION');
      header.signerVersion = `${u8()}.${u8()}`;
    } else if (tag === 4) header.signerName = name(take(length));
    else if (tag === 5) header.serial = Buffer.from(take(length)).toString('hex');
    else if (tag === 6) header.caName = name(take(length));
    else if (tag === 8 || tag === 10 || tag === 11) {
      if (length !== 1) throw new Error(`Unsupported length for header tag ${tag}: ${length}`);
      const value = u8();
      if (tag === 8) header.digest = value;
    } else if (tag === 12) {
      take(length);
      signatureIndex = i - 3 - length;
      signatureLength = length;
      header.signatureLength = length;
    } else if (tag === 14) header.filename = name(take(length));
    else if (tag === 15) {
      if (length !== 4) throw new Error(`Unsupported length for HEADER_TIMESTAMP: ${length}`);
      header.timestamp = ((u16() << 16) >>> 0) + u16();
    } else throw new Error(`Unknown HEADER tag: ${tag}`);
  }
  if (header.serial === undefined) throw new Error('Missing HEADER_SERIAL_NUMBER');
  if (header.digest === undefined) throw new Error('Missing HEADER_DIGEST_ALGORITHM');
  if (header.digest !== 1 && header.digest !== 3)
    throw new Error(`Unsupported HEADER_DIGEST_ALGORITHM: ${header.digest}`);
  if (signatureIndex === -1) throw new Error('Missing HEADER_SIGNATURE');
  const records: Array<Record<string, string | number>> = [];
  let signerCertificate: X509Certificate | undefined;
  while (i < data.length) {
    const recordIndex = i;
    if (u8() !== 1) throw new Error('Tag is not RECORD_LENGTH');
    fixed('RECORD_LENGTH', 2);
    const record: Record<string, string | number> = { length: u16() };
    let certificate: X509Certificate | undefined;
    while (i < recordIndex + (record.length as number)) {
      const tag = u8();
      const length = u16();
      if (tag === 2) record.dnsName = name(take(length));
      else if (tag === 3) record.subject = name(take(length));
      else if (tag === 4) {
        if (length !== 2) throw new Error(`Unsupported length for RECORD_FUNCTION: ${length}`);
        record.role = u16();
      } else if (tag === 5) record.issuer = name(take(length));
      else if (tag === 6) record.serial = Buffer.from(take(length)).toString('hex');
      else if (tag === 7) record.publicKeyLength = take(length).length;
      else if (tag === 8) record.signatureLength = take(length).length;
      else if (tag === 9) {
        const der = take(length);
        if (options.strictCertificates) checkPrintableStrings(der);
        certificate = new X509Certificate(der);
        if (certificate.publicKey.asymmetricKeyType !== 'rsa' && certificate.publicKey.asymmetricKeyType !== 'ec')
          throw new Error('Unsupported RECORD_CERTIFICATE type');
        record.certificateLength = length;
        // tlvfile prints the certificate's SHA-1 fingerprint whatever the file's digest.
        record.certificateHash = createHash('sha1').update(der).digest('hex');
      } else if (tag === 10 || tag === 11 || tag === 12)
        take(length); // IP ADDRESS, CERTIFICATE HASH, HASH ALGORITHM: skipped
      else throw new Error(`Unknown RECORD tag: ${tag}`);
    }
    if (record.role === Role.SAST && record.serial === header.serial) signerCertificate = certificate;
    records.push(record);
  }
  if (!signerCertificate) throw new Error('Missing RECORD with FUNCTION_SAST');
  const content = Buffer.concat([
    data.subarray(0, signatureIndex),
    data.subarray(signatureIndex + 3 + signatureLength),
  ]);
  const signature = data.subarray(signatureIndex + 3, signatureIndex + 3 + signatureLength);
  const valid = verify(header.digest === 1 ? 'sha1' : 'sha512', content, signerCertificate.publicKey, signature);
  return { header, records, valid };
}
