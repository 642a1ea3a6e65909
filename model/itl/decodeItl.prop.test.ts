import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../certs/issueCertificate.ts';
import type { DigestName } from '../crypto/pkcs1.ts';
import { seedFromEnv } from '../../properties/arbitraries.ts';
import { buildItl, type AnyRecordSpec } from './buildItl.ts';
import { CTL_FILENAME, cucmCtlRecords, type CtlContents } from './ctlLayout.ts';
import { decodeItl } from './decodeItl.ts';
import { encodeItl, layoutOf } from './encodeItl.ts';
import { ItlFormatError, type ItlFile } from './itlTypes.ts';
import { ipAddressText } from './showItlFields.ts';
import { RecordTag, Role, type RoleCode } from './tags.ts';
import {
  publisherItl,
  publisherRecords,
  seedCluster,
  SEED_FQDN,
  SEED_TIMESTAMP,
} from '../../test-support/testCluster.ts';
import { verifyItl } from './verifyItl.ts';

/*
 * Invariants of the codec, stated first:
 *  - TOTAL: any bytes decode to a file or fail with an ItlFormatError whose offset lies in the
 *    input; never another exception, never a value longer than the input.
 *  - TAMPER-EVIDENT: changing any byte of a signed file stops it from verifying.
 *  - ROUND-TRIP: encoding the layout of a decoded file gives the same bytes.
 * Runs use FC_SEED (a fixed default; `random` draws one). Reproduce a failure with
 * FC_SEED=<seed printed by fast-check>.
 */
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: seedFromEnv() });

/** Every byte array the decoder hands out (it hands out views, never copies sized by a length field). */
function decodedValues(file: ItlFile): Uint8Array[] {
  const values: Uint8Array[] = [file.signature];
  for (const e of file.header) if (e.kind === 'field') values.push(e.value);
  for (const r of file.records) for (const e of r.elements) values.push(e.value);
  return values;
}

/** TOTAL: decodes, checking the outcome is a bounded file or a well-placed ItlFormatError. */
function decodeTotal(bytes: Uint8Array): ItlFile | ItlFormatError {
  let file: ItlFile;
  try {
    file = decodeItl(bytes);
  } catch (error) {
    if (!(error instanceof ItlFormatError)) throw error;
    if (!Number.isInteger(error.offset) || error.offset < 0 || error.offset > bytes.length) {
      throw new Error(`ItlFormatError offset ${error.offset} outside [0, ${bytes.length}]: ${error.message}`);
    }
    return error;
  }
  for (const value of decodedValues(file)) {
    if (value.length > bytes.length) throw new Error(`decoded a ${value.length}-byte value from ${bytes.length} bytes`);
  }
  return file;
}

/** TAMPER-EVIDENT: a changed file either fails to decode or does not verify. */
function notVerified(bytes: Uint8Array): boolean {
  const outcome = decodeTotal(bytes);
  return outcome instanceof ItlFormatError || verifyItl(bytes, outcome).status !== 'verified';
}

/** Byte offsets of every 2-byte length field (and the HEADERLENGTH / RECORDLENGTH values) of a decoded file. */
function lengthFieldOffsets(file: ItlFile): number[] {
  const offsets = [1, 6, 8];
  for (const e of file.header) if (e.kind !== 'padding') offsets.push(e.offset + 1);
  for (const r of file.records) {
    offsets.push(r.offset + 3);
    for (const e of r.elements) offsets.push(e.offset + 1);
  }
  return offsets;
}

function withU16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[offset] = value >> 8;
  out[offset + 1] = value & 0xff;
  return out;
}

const cluster = seedCluster();
const { publisher, subscriber } = cluster;
/** A 2048-bit signer over a short record list, to vary sizes and the signature modulus. */
const small2048 = buildItl({
  signer: subscriber.callManager,
  records: [
    { role: Role.SAST, cert: subscriber.callManager.cert, form: 'certificate' },
    { role: Role.TVS, cert: subscriber.tvs.cert, form: 'hash' },
  ],
  timestamp: SEED_TIMESTAMP,
  digest: 'sha512',
});
/** CTLs of the seed's two nodes: DNSNAME and IPADDRESS in every record, certificate-less records when non-secure. */
const ctl = (tier: CtlContents['tier'], mode: CtlContents['mode']) =>
  buildItl({
    signer: tier === 'pre12' ? publisher.callManager : publisher.itlRecovery,
    records: cucmCtlRecords({
      tier,
      mode,
      nodes: [
        {
          hostname: SEED_FQDN.publisher,
          ip: '10.48.47.153',
          callManager: publisher.callManager.cert,
          services: 'ccm+tftp',
        },
        {
          hostname: SEED_FQDN.subscriber,
          ip: '10.48.47.154',
          callManager: subscriber.callManager.cert,
          services: 'tftp',
        },
      ],
      capf: publisher.capf.cert,
      itlRecovery: publisher.itlRecovery.cert,
    }),
    timestamp: SEED_TIMESTAMP,
    filename: CTL_FILENAME,
  });
const variants: Array<[string, Uint8Array]> = [
  ['CallManager-signed (seed)', publisherItl(cluster, 'callManager')],
  ['ITLRecovery-signed (seed reset)', publisherItl(cluster, 'itlRecovery')],
  ['sha512 digest', publisherItl(cluster, 'callManager', 'sha512')],
  ['2048-bit signer', small2048],
  ['CTL 10.x mixed', ctl('pre12', 'mixed')],
  ['CTL 12.0+ non-secure', ctl('from12', 'non-secure')],
];
const variant = fc.constantFrom(...variants.map(([, bytes]) => bytes));

describe('decodeItl (totality)', () => {
  it('should return a file or an ItlFormatError when given random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        decodeTotal(bytes);
      }),
      params(5000),
    );
  });

  it('should return a file or an ItlFormatError when random bytes follow a valid VERSION and HEADERLENGTH', () => {
    const prefix = (headerLength: number) => [1, 0, 2, 1, 2, 2, 0, 2, headerLength >> 8, headerLength & 0xff];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.uint8Array({ maxLength: 700 }), (headerLength, rest) => {
        decodeTotal(Uint8Array.from([...prefix(headerLength), ...rest]));
      }),
      params(5000),
    );
  });

  it('should return a file or an ItlFormatError when random TLVs with known tags are strung together', () => {
    const tlv = fc
      .record({
        tag: fc.integer({ min: 1, max: 16 }),
        value: fc.uint8Array({ maxLength: 24 }),
        lie: fc.option(fc.integer({ min: 0, max: 0xffff })),
      })
      .map(({ tag, value, lie }) => [tag, (lie ?? value.length) >> 8, (lie ?? value.length) & 0xff, ...value]);
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 200 }), fc.array(tlv, { maxLength: 20 }), (headerLength, tlvs) => {
        decodeTotal(Uint8Array.from([1, 0, 2, 1, 2, 2, 0, 2, headerLength >> 8, headerLength & 0xff, ...tlvs.flat()]));
      }),
      params(5000),
    );
  });

  it('should return a file or an ItlFormatError, and never a verified file, when a valid file is cut at any point', () => {
    for (const [label, bytes] of variants) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const prefix = bytes.subarray(0, cut);
        // A cut at a record boundary decodes (fewer records) but must not verify.
        expect({ label, cut, notVerified: notVerified(prefix) }).toEqual({ label, cut, notVerified: true });
      }
    }
  });

  it('should return a file or an ItlFormatError when random bytes of a valid file are changed', () => {
    const flip = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }));
    fc.assert(
      fc.property(variant, fc.array(flip, { minLength: 1, maxLength: 8 }), (bytes, flips) => {
        const changed = Uint8Array.from(bytes);
        for (const [at, mask] of flips) changed[at % changed.length]! ^= mask;
        decodeTotal(changed);
      }),
      params(5000),
    );
  });

  it('should return a file or an ItlFormatError when a real length field of a valid file is corrupted', () => {
    const decoded = new Map(variants.map(([, bytes]) => [bytes, lengthFieldOffsets(decodeItl(bytes))]));
    const value = fc.oneof(
      fc.constantFrom(0, 1, 2, 3, 0x7fff, 0x8000, 0xfffe, 0xffff),
      fc.integer({ min: 0, max: 0xffff }),
    );
    const nudge = fc.integer({ min: -4, max: 4 });
    fc.assert(
      fc.property(
        variant,
        fc.nat(),
        fc.oneof(
          value.map((v) => ({ set: v })),
          nudge.map((d) => ({ add: d })),
        ),
        (bytes, pick, change) => {
          const offsets = decoded.get(bytes)!;
          const at = offsets[pick % offsets.length]!;
          const old = (bytes[at]! << 8) | bytes[at + 1]!;
          const next = 'set' in change ? change.set : (old + change.add + 0x10000) & 0xffff;
          decodeTotal(withU16(bytes, at, next));
        },
      ),
      params(5000),
    );
  });

  it.each([
    ['HEADERLENGTH', [1, 0, 2, 1, 2, 2, 0, 2, 0xff, 0xff]],
    ['SIGNERNAME inside a 70-byte header', [1, 0, 2, 1, 2, 2, 0, 2, 0, 70, 4, 0xff, 0xff]],
    ['RECORDLENGTH', [1, 0, 2, 1, 2, 2, 0, 2, 0, 17, 8, 0, 1, 1, 12, 0, 0, 1, 0, 2, 0xff, 0xff]],
    [
      'SUBJECTNAME inside a record',
      [1, 0, 2, 1, 2, 2, 0, 2, 0, 17, 8, 0, 1, 1, 12, 0, 0, 1, 0, 2, 0, 53, 3, 0xff, 0xff],
    ],
  ])('should throw ItlFormatError, not RangeError, when a 70-byte input claims %s 65535', (_, start) => {
    const bytes = new Uint8Array(70);
    bytes.set(start);
    const outcome = decodeTotal(bytes);
    expect(outcome).toBeInstanceOf(ItlFormatError);
    expect(outcome).not.toBeInstanceOf(RangeError);
  });
});

describe('verifyItl (tamper evidence)', () => {
  /** The SIGNATURE element: [start, end) of tag, length and value. */
  const signatureElement = (bytes: Uint8Array): [number, number] => {
    const file = decodeItl(bytes);
    return [file.signatureOffset, file.signatureOffset + 3 + file.signature.length];
  };

  it('should verify every variant when nothing is changed', () => {
    for (const [label, bytes] of variants)
      expect({ label, status: verifyItl(bytes, decodeItl(bytes)).status }).toEqual({ label, status: 'verified' });
  });

  it('should not verify when any single byte outside the SIGNATURE element is changed', () => {
    const [, seedFile] = variants[0]!;
    const [start, end] = signatureElement(seedFile);
    for (let at = 0; at < seedFile.length; at++) {
      if (at >= start && at < end) continue;
      const changed = Uint8Array.from(seedFile);
      changed[at]! ^= 0x01;
      expect({ at, notVerified: notVerified(changed) }).toEqual({ at, notVerified: true });
    }
  });

  it('should not verify when any byte of a DNSNAME, IPADDRESS or certificate-less record of a CTL is changed', () => {
    const bytes = variants.find(([label]) => label === 'CTL 12.0+ non-secure')![1];
    const file = decodeItl(bytes);
    const offsets = file.records.flatMap((r) => {
      const named = r.elements.filter((e) => e.tag === RecordTag.DNS_NAME || e.tag === RecordTag.IP_ADDRESS);
      const all = r.certificate ? named : r.elements;
      return all.flatMap((e) => Array.from({ length: 3 + e.value.length }, (_, i) => e.offset + i));
    });
    expect(offsets.length).toBeGreaterThan(100);
    for (const at of offsets) {
      const changed = Uint8Array.from(bytes);
      changed[at]! ^= 0x01;
      expect({ at, notVerified: notVerified(changed) }).toEqual({ at, notVerified: true });
    }
  });

  it('should not verify when random bytes of the signed region are changed', () => {
    fc.assert(
      fc.property(variant, fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, pick, mask) => {
        const [start, end] = signatureElement(bytes);
        const signedLength = bytes.length - (end - start);
        const index = pick % signedLength;
        const at = index < start ? index : index + (end - start);
        const changed = Uint8Array.from(bytes);
        changed[at]! ^= mask;
        return notVerified(changed);
      }),
      params(1000),
    );
  });

  it('should not verify when a byte of the SIGNATURE element itself is changed', () => {
    fc.assert(
      fc.property(variant, fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, pick, mask) => {
        const [start, end] = signatureElement(bytes);
        const changed = Uint8Array.from(bytes);
        changed[start + (pick % (end - start))]! ^= mask;
        return notVerified(changed);
      }),
      params(1000),
    );
  });
});

describe('encodeItl (round trip)', () => {
  const identities: Identity[] = [
    publisher.callManager,
    publisher.tvs,
    publisher.capf,
    publisher.itlRecovery,
    subscriber.callManager,
    subscriber.tvs,
    subscriber.itlRecovery,
  ];
  const signers = [publisher.callManager, publisher.itlRecovery, subscriber.callManager];
  const roles = Object.values(Role) as RoleCode[];
  /** A DNS name: absent (the ITL's empty DNSNAME), empty, a host name, or any text without NUL. */
  const dnsName = fc.option(
    fc.oneof(
      fc.constant(''),
      fc.domain(),
      fc.string({ unit: 'grapheme', maxLength: 40 }).filter((t) => !t.includes('\u0000')),
    ),
    { nil: undefined },
  );
  const ip = fc.option(fc.ipV4(), { nil: undefined });
  const recordSpec: fc.Arbitrary<AnyRecordSpec> = fc
    .record({
      identity: fc.constantFrom(...identities),
      role: fc.constantFrom(...roles),
      form: fc.constantFrom('certificate' as const, 'hash' as const, 'empty' as const),
      dnsName,
      ip,
    })
    .map(({ identity, role, form, dnsName, ip }): AnyRecordSpec => {
      const named = { ...(dnsName === undefined ? {} : { dnsName }), ...(ip === undefined ? {} : { ip }) };
      return form === 'empty' ? { role, form, ...named } : { role, cert: identity.cert, form, ...named };
    });
  const spec = fc.record({
    signer: fc.constantFrom(...signers),
    records: fc.oneof(fc.shuffledSubarray(publisherRecords(cluster)), fc.array(recordSpec, { maxLength: 8 })),
    digest: fc.constantFrom<DigestName>('sha1', 'sha512'),
    timestamp: fc.integer({ min: 0, max: 0xffffffff }),
    filename: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  });

  it('should give back the same bytes when a built file is decoded and its layout encoded', () => {
    fc.assert(
      fc.property(spec, ({ signer, records, digest, timestamp, filename }) => {
        const bytes = buildItl({ signer, records, digest, timestamp, ...(filename === undefined ? {} : { filename }) });
        const file = decodeItl(bytes);
        expect(Buffer.from(encodeItl(layoutOf(file))).equals(Buffer.from(bytes))).toBe(true);
        expect(file.timestamp).toBe(timestamp);
        // It verifies exactly when the signer is among the SAST records.
        const signerListed = records.some(
          (r) => r.role === Role.SAST && r.form !== 'empty' && r.cert.sha1 === signer.cert.sha1,
        );
        expect(verifyItl(bytes, file).status).toBe(signerListed ? 'verified' : 'no-signer');
      }),
      params(500),
    );
  });

  it('should give back each record as specified: role, DNSNAME, IPADDRESS, and the certificate fields only when it has a certificate', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { maxLength: 8 }),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        (records, filename) => {
          const bytes = buildItl({
            signer: publisher.callManager,
            records,
            timestamp: SEED_TIMESTAMP,
            ...(filename === undefined ? {} : { filename }),
          });
          const file = decodeItl(bytes);
          expect(file.records).toHaveLength(records.length);
          records.forEach((spec, i) => {
            const record = file.records[i]!;
            const tags = record.elements.map((e) => e.tag);
            expect(record.role).toBe(spec.role);
            expect(record.dnsName).toBe(spec.dnsName ?? '');
            // Absent: the two NUL bytes of CUCM's ITL records; present: the text and one NUL.
            expect(tags[1]).toBe(RecordTag.DNS_NAME);
            expect(record.elements[1]!.value.length).toBe(
              spec.dnsName === undefined ? 2 : Buffer.byteLength(spec.dnsName) + 1,
            );
            expect(record.ipAddress === undefined ? undefined : ipAddressText(record.ipAddress)).toBe(spec.ip);
            if (spec.ip !== undefined) expect(tags.at(-1)).toBe(RecordTag.IP_ADDRESS);
            if (spec.form === 'empty') {
              expect(tags).toEqual([1, 2, 4, ...(spec.ip === undefined ? [] : [10])]);
            } else {
              expect(record.subjectName).toBe(spec.cert.subject);
              expect(record.serial).toBe(spec.cert.serial);
              expect(spec.form === 'certificate' ? record.certificate : record.certHash).toBeDefined();
            }
            expect(record.length).toBe(record.elements.reduce((sum, e) => sum + 3 + e.value.length, 0));
          });
          expect(Buffer.from(encodeItl(layoutOf(file))).equals(Buffer.from(bytes))).toBe(true);
        },
      ),
      params(300),
    );
  });
});
