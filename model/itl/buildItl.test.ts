import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueCertificate, type IssueRequest } from '../certs/issueCertificate.ts';
import { keyFor } from '../crypto/keyStore.ts';
import { buildItl, ipv4Bytes, type ItlSpec } from './buildItl.ts';
import { decodeItl } from './decodeItl.ts';
import { signedBytes } from './encodeItl.ts';
import { HeaderTag, RecordTag, Role } from './tags.ts';
import {
  identityWithNameLength,
  publisherRecords,
  seedCluster,
  SEED_AT,
  SEED_SUBJECT,
  SEED_TIMESTAMP,
} from '../../test-support/testCluster.ts';
import { verifyItl } from './verifyItl.ts';

const cluster = seedCluster();
const { publisher, subscriber } = cluster;
const seedSpec: ItlSpec = {
  signer: publisher.callManager,
  records: publisherRecords(cluster),
  timestamp: SEED_TIMESTAMP,
};

describe('buildItl', () => {
  it('should write RECORDLENGTH equal to the bytes of the record when records are built', () => {
    const bytes = buildItl(seedSpec);
    const file = decodeItl(bytes);
    file.records.forEach((record, i) => {
      const size = record.elements.reduce((sum, e) => sum + 3 + e.value.length, 0);
      expect({ i, recordLength: record.length }).toEqual({ i, recordLength: size });
      expect(record.offset + record.length).toBe(file.records[i + 1]?.offset ?? bytes.length);
    });
  });

  it('should pad the header to a multiple of 4 with fewer than 4 PADDING bytes when the signer name has any length', () => {
    // Name lengths 60..67 cover every remainder of the header size modulo 4.
    for (let nameLength = 60; nameLength < 68; nameLength++) {
      const signer = identityWithNameLength(nameLength);
      const bytes = buildItl({
        signer,
        records: [{ role: Role.SAST, cert: signer.cert, form: 'certificate' }],
        timestamp: SEED_TIMESTAMP,
      });
      const file = decodeItl(bytes);
      const padding = file.header.filter((e) => e.kind === 'padding').length;
      expect({ nameLength, remainder: file.headerLength % 4 }).toEqual({ nameLength, remainder: 0 });
      expect(padding).toBeLessThan(4);
      expect(file.records[0]!.offset).toBe(file.headerLength);
      expect(verifyItl(bytes, file).status).toBe('verified');
    }
  });

  it('should sign the file without its SIGNATURE element when checked with Node crypto directly', () => {
    const bytes = buildItl(seedSpec);
    const file = decodeItl(bytes);
    const start = file.signatureOffset;
    expect(bytes[start]).toBe(HeaderTag.SIGNATURE);
    const without = Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + 3 + file.signature.length)]);
    expect(Buffer.from(signedBytes(bytes, file)).equals(without)).toBe(true);
    const { publicKey } = keyFor(publisher.callManager.key);
    expect(verify('sha1', signedBytes(bytes, file), publicKey, file.signature)).toBe(true);
    expect(verify('sha1', bytes, publicKey, file.signature)).toBe(false);
  });

  it('should sign with SHA-512 and write digest code 3 when the spec asks for sha512', () => {
    const bytes = buildItl({ ...seedSpec, digest: 'sha512' });
    const file = decodeItl(bytes);
    const { publicKey } = keyFor(publisher.callManager.key);
    expect(file.digestAlgorithm).toBe(3);
    expect(verify('sha512', signedBytes(bytes, file), publicKey, file.signature)).toBe(true);
    expect(verify('sha1', signedBytes(bytes, file), publicKey, file.signature)).toBe(false);
    expect(verifyItl(bytes, file)).toEqual({ status: 'verified', signerIndex: 0 });
  });

  it('should write SIGNATUREMODULUS 2 and a 256-byte signature when the signer key is 2048-bit', () => {
    const bytes = buildItl({ ...seedSpec, signer: subscriber.callManager });
    const file = decodeItl(bytes);
    expect(file.signature.length).toBe(256);
    expect(file.signatureModulus).toBe(2);
    expect(decodeItl(buildItl(seedSpec)).signatureModulus).toBe(1);
  });

  it('should give no-signer when the signing certificate is in no SAST record', () => {
    const bytes = buildItl({ ...seedSpec, signer: subscriber.callManager });
    expect(verifyItl(bytes, decodeItl(bytes))).toEqual({ status: 'no-signer' });
  });

  it('should give no-signer when the signing certificate is listed only in the TFTP role', () => {
    const records = publisherRecords(cluster).filter((r) => r.role !== Role.SAST);
    const bytes = buildItl({ ...seedSpec, records });
    expect(records.some((r) => r.cert.sha1 === publisher.callManager.cert.sha1)).toBe(true);
    expect(verifyItl(bytes, decodeItl(bytes))).toEqual({ status: 'no-signer' });
  });

  it('should give invalid-signature when the header names a SAST record but another key signs', () => {
    const impostor = { cert: publisher.callManager.cert, key: publisher.tvs.key };
    const bytes = buildItl({ ...seedSpec, signer: impostor });
    expect(verifyItl(bytes, decodeItl(bytes))).toEqual({ status: 'invalid-signature', signerIndex: 0 });
  });

  it('should give identical bytes when the same spec is built twice', () => {
    expect(
      Buffer.from(buildItl(seedSpec)).equals(
        Buffer.from(buildItl({ ...seedSpec, records: publisherRecords(cluster) })),
      ),
    ).toBe(true);
    expect(
      Buffer.from(buildItl(seedSpec)).equals(Buffer.from(buildItl({ ...seedSpec, timestamp: SEED_TIMESTAMP + 1 }))),
    ).toBe(false);
  });

  it('should give the identical certificate when issueCertificate gets the same request twice', () => {
    const request: IssueRequest = {
      kind: 'TVS',
      fqdn: 'test10pub.joemar2.lab',
      subject: SEED_SUBJECT,
      bits: 1024,
      at: SEED_AT,
      seed: 'build-test/determinism',
    };
    const first = issueCertificate(request);
    expect(issueCertificate({ ...request })).toEqual(first);
    expect(issueCertificate({ ...request, seed: 'build-test/other' }).cert.der).not.toBe(first.cert.der);
  });

  it('should write the same bytes as before when dnsName and ip are absent or undefined (ITL records)', () => {
    const explicit = publisherRecords(cluster).map((r) => ({ ...r, dnsName: undefined, ip: undefined }));
    expect(Buffer.from(buildItl({ ...seedSpec, records: explicit })).equals(Buffer.from(buildItl(seedSpec)))).toBe(
      true,
    );
    const file = decodeItl(buildItl(seedSpec));
    for (const record of file.records) {
      expect(Array.from(record.elements[1]!.value)).toEqual([0, 0]);
      expect(record.elements.map((e) => e.tag)).not.toContain(RecordTag.IP_ADDRESS);
    }
  });

  it('should write DNSNAME as the text and a NUL and IPADDRESS as 4 bytes after the certificate when given', () => {
    const bytes = buildItl({
      ...seedSpec,
      records: [
        { role: Role.SAST, cert: publisher.callManager.cert, form: 'certificate', dnsName: 'cucm-a', ip: '10.1.2.254' },
        { role: Role.TVS, cert: publisher.tvs.cert, form: 'hash', dnsName: 'cucm-a', ip: '0.0.0.0' },
        { role: Role.CAPF, cert: publisher.capf.cert, form: 'certificate', dnsName: '' },
      ],
    });
    const [sast, tvs, capf] = decodeItl(bytes).records;
    expect(sast!.elements.map((e) => e.tag)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Buffer.from(sast!.elements[1]!.value).toString('latin1')).toBe('cucm-a\u0000');
    expect(Array.from(sast!.ipAddress!)).toEqual([10, 1, 2, 254]);
    expect(tvs!.elements.map((e) => e.tag)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 10]);
    expect(Array.from(tvs!.ipAddress!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(capf!.elements[1]!.value)).toEqual([0]);
    expect(capf!.ipAddress).toBeUndefined();
    expect(verifyItl(bytes, decodeItl(bytes)).status).toBe('verified');
  });

  it('should write only RECORDLENGTH, DNSNAME, FUNCTION and IPADDRESS when the form is empty', () => {
    const bytes = buildItl({
      ...seedSpec,
      records: [
        { role: Role.SAST, cert: publisher.callManager.cert, form: 'certificate' },
        { role: Role.CCM_TFTP, form: 'empty', dnsName: 'test10sub.joemar2.lab', ip: '192.168.1.2' },
        { role: Role.CCM, form: 'empty' },
      ],
    });
    const file = decodeItl(bytes);
    const [, named, bare] = file.records;
    expect(named!.elements.map((e) => e.tag)).toEqual([1, 2, 4, 10]);
    expect(named!).toMatchObject({ role: Role.CCM_TFTP, dnsName: 'test10sub.joemar2.lab', length: 5 + 25 + 5 + 7 });
    expect(bare!.elements.map((e) => [e.tag, e.value.length])).toEqual([
      [1, 2],
      [2, 2],
      [4, 2],
    ]);
    expect(verifyItl(bytes, file)).toEqual({ status: 'verified', signerIndex: 0 });
  });

  it('should refuse an IP that is not a dotted IPv4 address and a DNS name holding a NUL', () => {
    for (const ip of ['256.0.0.1', '10.0.0', '10.0.0.1.2', '010.0.0.1', 'host', '::1', ' 10.0.0.1']) {
      expect(() => ipv4Bytes(ip)).toThrow(RangeError);
      expect(() => buildItl({ ...seedSpec, records: [{ role: Role.CCM, form: 'empty', ip }] })).toThrow(RangeError);
    }
    expect(Array.from(ipv4Bytes('255.255.0.9'))).toEqual([255, 255, 0, 9]);
    expect(() => buildItl({ ...seedSpec, records: [{ role: Role.CCM, form: 'empty', dnsName: 'a\u0000b' }] })).toThrow(
      RangeError,
    );
  });

  it('should give no-signer, not a record without a key, when only a certificate-less SAST record matches an empty header serial and issuer', () => {
    // The header's SERIALNUMBER and CANAME are empty, and so are the serial and issuer of a record
    // that has none: such a record names no certificate and must not be taken for the signer.
    const signer = { key: publisher.callManager.key, cert: { ...publisher.callManager.cert, serial: '', issuer: '' } };
    const bytes = buildItl({ ...seedSpec, signer, records: [{ role: Role.SAST, form: 'empty', dnsName: 'x' }] });
    const file = decodeItl(bytes);
    expect([file.serial, file.caName, file.records[0]!.serial, file.records[0]!.issuerName]).toEqual(['', '', '', '']);
    expect(verifyItl(bytes, file)).toEqual({ status: 'no-signer' });
  });
});
