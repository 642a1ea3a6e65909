import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueCertificate, type IssueRequest } from '../certs/issueCertificate.ts';
import { keyFor } from '../crypto/keyStore.ts';
import { buildItl, type ItlSpec } from './buildItl.ts';
import { decodeItl } from './decodeItl.ts';
import { signedBytes } from './encodeItl.ts';
import { HeaderTag, Role } from './tags.ts';
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
});
