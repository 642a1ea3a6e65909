import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeItl } from './decodeItl.ts';
import { encodeItl, layoutOf } from './encodeItl.ts';
import type { ItlFile } from './itlTypes.ts';
import { Role } from './tags.ts';
import { publisherItl, seedCluster } from '../../test-support/testCluster.ts';
import { verifyItl } from './verifyItl.ts';
import { checkPrintableStrings, tlvfileRead } from '../../test-support/tlvfilePort.ts';

/*
 * test-support/fixtures/tlvfile/ was written by usecallmanager.nz's `tlvfile` (an independent
 * implementation of the format): ITLFile.tlv, its `tlvfile --parse` output and the PEM
 * certificates it was built from (its README says how).
 */
const FIXTURES = fileURLToPath(new URL('../../test-support/fixtures/tlvfile/', import.meta.url));
const fixture = new Uint8Array(readFileSync(`${FIXTURES}ITLFile.tlv`));
const parsedText = readFileSync(`${FIXTURES}ITLFile.parsed.txt`, 'utf8');

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** tlvfile's names for FUNCTION codes (it calls APP-SERVER "HTTPS"). */
const ROLE_NAMES: Record<number, string> = {
  [Role.SAST]: 'SAST',
  [Role.CCM]: 'CCM',
  [Role.CCM_TFTP]: 'CCM+TFTP',
  [Role.TFTP]: 'TFTP',
  [Role.CAPF]: 'CAPF',
  [Role.APP_SERVER]: 'HTTPS',
  [Role.TVS]: 'TVS',
};
const DIGEST_NAMES: Record<number, string> = { 1: 'SHA1', 3: 'SHA512' };

/** `tlvfile --parse` output as blocks of `Key: value` lines (blocks end at blank lines), plus its last line. */
function parseTlvfileOutput(text: string): {
  header: Map<string, string>;
  records: Array<Map<string, string>>;
  verdict: string;
} {
  const blocks = text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => block.split('\n'));
  const last = blocks.pop()!;
  const toMap = (lines: string[]) =>
    new Map(
      lines.map((line) => {
        const colon = line.indexOf(':');
        if (colon === -1) throw new Error(`not a "Key: value" line: ${line}`);
        return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as const;
      }),
    );
  const [header, ...records] = blocks.map(toMap);
  return { header: header!, records, verdict: last.join('\n').trim() };
}

/** `2026-11-23 08:56:39` for a Unix time, in UTC. */
function utcText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

function get(map: Map<string, string>, key: string): string {
  const value = map.get(key);
  if (value === undefined) throw new Error(`tlvfile output has no "${key}"`);
  return value;
}

/** A number followed by " bytes". */
const bytesOf = (text: string) => Number(/^(\d+) bytes$/.exec(text)?.[1] ?? NaN);

/** Our decoder's reading in the shape of `tlvfileRead`'s. */
function ourReading(bytes: Uint8Array, file: ItlFile) {
  const header: Record<string, string | number> = {
    version: file.version,
    headerLength: file.headerLength,
    ...(file.signerVersion ? { signerVersion: file.signerVersion } : {}),
    signerName: file.signerName,
    serial: file.serial,
    caName: file.caName,
    digest: file.digestAlgorithm,
    signatureLength: file.signature.length,
    ...(file.filename !== undefined ? { filename: file.filename } : {}),
    ...(file.timestamp !== undefined ? { timestamp: file.timestamp } : {}),
  };
  const records = file.records.map((r) => ({
    length: r.length,
    ...(r.dnsName !== undefined ? { dnsName: r.dnsName } : {}),
    subject: r.subjectName,
    role: r.role,
    issuer: r.issuerName,
    serial: r.serial,
    ...(r.publicKey ? { publicKeyLength: r.publicKey.length } : {}),
    ...(r.signature ? { signatureLength: r.signature.length } : {}),
    ...(r.certificate
      ? {
          certificateLength: r.certificate.length,
          certificateHash: createHash(file.digestAlgorithm === 1 ? 'sha1' : 'sha512')
            .update(r.certificate)
            .digest('hex'),
        }
      : {}),
  }));
  return { header, records, valid: verifyItl(bytes, file).status === 'verified' };
}

describe('tlvfile fixture (ITLFile.tlv written by usecallmanager tlvfile)', () => {
  const file = decodeItl(fixture);
  const text = parseTlvfileOutput(parsedText);

  it('should decode and verify when the file comes from tlvfile', () => {
    expect(verifyItl(fixture, file)).toEqual({ status: 'verified', signerIndex: 0 });
  });

  it('should read the header as tlvfile printed it when both parse the same file', () => {
    const h = text.header;
    expect(file.version).toBe(get(h, 'Version'));
    expect(file.headerLength).toBe(bytesOf(get(h, 'Header Length')));
    expect(file.signerVersion).toBe(get(h, 'Signer Version'));
    expect(file.signerName).toBe(get(h, 'Signer Name'));
    expect(file.caName).toBe(get(h, 'Issuer Name'));
    expect(file.serial).toBe(get(h, 'Serial Number'));
    expect(DIGEST_NAMES[file.digestAlgorithm]).toBe(get(h, 'Digest Algorithm'));
    expect(file.signature.length).toBe(bytesOf(get(h, 'Signature')));
    expect(file.filename).toBe(get(h, 'Filename'));
  });

  it('should show the timestamp tlvfile printed when read as UTC', () => {
    // tlvfile prints datetime.fromtimestamp(), the local time of the machine that ran it; it
    // matches our UTC rendering, so that machine ran in UTC.
    expect(utcText(file.timestamp!)).toBe(get(text.header, 'Timestamp'));
  });

  it('should read every record as tlvfile printed it when both parse the same file', () => {
    expect(file.records).toHaveLength(text.records.length);
    file.records.forEach((record, index) => {
      const r = text.records[index]!;
      expect({ index, length: record.length }).toEqual({ index, length: bytesOf(get(r, 'Record Length')) });
      expect(record.subjectName).toBe(get(r, 'Subject Name'));
      expect(record.issuerName).toBe(get(r, 'Issuer Name'));
      expect(record.serial).toBe(get(r, 'Serial Numer')); // sic: tlvfile's spelling
      expect(ROLE_NAMES[record.role]).toBe(get(r, 'Role'));
      expect(record.publicKey?.length).toBe(bytesOf(get(r, 'Public Key')));
      expect(record.signature?.length).toBe(bytesOf(get(r, 'Signature')));
      expect(record.certificate?.length).toBe(bytesOf(get(r, 'Certificate')));
      expect(new X509Certificate(record.certificate!).publicKey.asymmetricKeyType?.toUpperCase()).toBe(
        get(r, 'Key Algorithm'),
      );
      expect(sha1(record.certificate!)).toBe(get(r, 'Certificate Hash'));
    });
  });

  it('should agree with tlvfile on the signature when tlvfile printed "Valid signature"', () => {
    expect(text.verdict).toBe('Valid signature');
    expect(verifyItl(fixture, file).status).toBe('verified');
  });

  it('should re-encode the fixture byte for byte when its layout is written back', () => {
    expect(Buffer.from(encodeItl(layoutOf(file))).equals(Buffer.from(fixture))).toBe(true);
  });

  it('should find every PEM certificate of the fixture in the records when compared by SHA-1', () => {
    const pems = readdirSync(FIXTURES).filter((name) => name.endsWith('.crt'));
    expect(pems.length).toBeGreaterThan(0);
    const recordHashes = new Set(file.records.map((r) => sha1(r.certificate!)));
    const pemHashes = new Set(pems.map((name) => sha1(new X509Certificate(readFileSync(`${FIXTURES}${name}`)).raw)));
    for (const hash of pemHashes) expect(recordHashes).toContain(hash);
    for (const hash of recordHashes) expect(pemHashes).toContain(hash);
  });

  it('should match the signer certificate cm.crt when the SAST record signs', () => {
    const cm = new X509Certificate(readFileSync(`${FIXTURES}cm.crt`));
    expect(Buffer.from(file.records[0]!.certificate!).equals(cm.raw)).toBe(true);
    expect(file.serial).toBe(cm.serialNumber.toLowerCase());
  });

  it('should read the fixture like our decoder when the tlvfile walk reads it', () => {
    expect(tlvfileRead(fixture)).toEqual(ourReading(fixture, file));
  });
});

describe('tlvfile compatibility of the files we build', () => {
  const cluster = seedCluster();
  const builds = {
    'CallManager-signed': publisherItl(cluster, 'callManager'),
    'ITLRecovery-signed': publisherItl(cluster, 'itlRecovery'),
    'sha512-signed': publisherItl(cluster, 'callManager', 'sha512'),
  };
  const HEADER_TAGS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 28]);
  const RECORD_TAGS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

  for (const [label, bytes] of Object.entries(builds)) {
    it(`should write only tags tlvfile accepts when the file is ${label}`, () => {
      const file = decodeItl(bytes);
      // VERSION and HEADER LENGTH are read before the header loop, so they are not in `header`.
      const headerTags = [1, 2, ...file.header.map((e) => (e.kind === 'padding' ? 13 : e.tag))];
      for (const tag of headerTags) expect(HEADER_TAGS).toContain(tag);
      for (const tag of file.records.flatMap((r) => r.elements.map((e) => e.tag))) expect(RECORD_TAGS).toContain(tag);
    });

    it(`should be read by the tlvfile walk exactly as by our decoder when the file is ${label}`, () => {
      // Lenient about certificate strings: the known bug below is tested on its own.
      const reading = tlvfileRead(bytes, { strictCertificates: false });
      expect(reading.valid).toBe(true);
      // CUCM's empty DNS name is two NUL bytes; tlvfile drops only the last one and prints a
      // lone NUL (invisible on a terminal), where we read the empty string.
      for (const record of reading.records) expect(record.dnsName).toBe('\u0000');
      const visible = { ...reading, records: reading.records.map((r) => ({ ...r, dnsName: '' })) };
      expect(visible).toEqual(ourReading(bytes, decodeItl(bytes)));
    });
  }

  // Names are UTF8String (C PrintableString) as in the fixture's certificates: PrintableString
  // has no `_`, and Python's cryptography (tlvfile) refuses a certificate that puts one there.
  it('should be accepted by tlvfile when a CN holds "_" (ITLRECOVERY_<fqdn>)', () => {
    expect(() => checkPrintableStrings(Buffer.from(cluster.publisher.itlRecovery.cert.der, 'base64'))).not.toThrow();
    expect(tlvfileRead(builds['CallManager-signed']).valid).toBe(true);
  });

  it('should accept the fixture certificates when the strict string check reads them', () => {
    for (const record of decodeItl(fixture).records)
      expect(() => checkPrintableStrings(record.certificate!)).not.toThrow();
    expect(() => checkPrintableStrings(Buffer.from(cluster.publisher.callManager.cert.der, 'base64'))).not.toThrow();
  });

  it('should be rejected by the tlvfile walk when an unknown record tag is written', () => {
    const bytes = Uint8Array.from(builds['CallManager-signed']);
    const file = decodeItl(bytes);
    // Turn the first record's DNSNAME tag (2) into 13, which tlvfile does not know in a record.
    bytes[file.records[0]!.elements[1]!.offset] = 13;
    expect(() => tlvfileRead(bytes)).toThrow('Unknown RECORD tag: 13');
  });
});
