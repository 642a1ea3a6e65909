import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../certs/issueCertificate.ts';
import { buildItl, type AnyRecordSpec } from './buildItl.ts';
import { CTL_FILENAME, cucmCtlRecords, type CtlContents, type CtlNode } from './ctlLayout.ts';
import { decodeItl } from './decodeItl.ts';
import { HeaderTag, RecordTag, Role } from './tags.ts';
import { seedCluster, SEED_AT, SEED_FQDN, SEED_TIMESTAMP } from '../../test-support/testCluster.ts';
import { verifyItl } from './verifyItl.ts';

const cluster = seedCluster();
const { publisher, subscriber } = cluster;
const PUB_IP = '10.48.47.153';
const SUB_IP = '10.48.47.154';

const pub: CtlNode = {
  hostname: SEED_FQDN.publisher,
  ip: PUB_IP,
  callManager: publisher.callManager.cert,
  services: 'ccm+tftp',
};
const sub: CtlNode = {
  hostname: SEED_FQDN.subscriber,
  ip: SUB_IP,
  callManager: subscriber.callManager.cert,
  services: 'ccm+tftp',
};
const base: CtlContents = {
  tier: 'pre12',
  mode: 'mixed',
  nodes: [pub, sub],
  capf: publisher.capf.cert,
  itlRecovery: publisher.itlRecovery.cert,
};

/** A record as [role, certificate SHA-1 or 'empty', DNSNAME, IP]. */
const summary = (r: AnyRecordSpec) => [r.role, r.form === 'empty' ? 'empty' : r.cert.sha1, r.dnsName, r.ip];
const cm = (identity: { cert: { sha1: string } }) => identity.cert.sha1;

function build(contents: CtlContents, signer = publisher.callManager): Uint8Array {
  return buildItl({ signer, records: cucmCtlRecords(contents), timestamp: SEED_TIMESTAMP, filename: CTL_FILENAME });
}

describe('cucmCtlRecords', () => {
  it('should list SAST CM_P, CCM+TFTP CM_P, CAPF, then CCM+TFTP of the subscriber when the tier is pre12 (10.5 order)', () => {
    expect(cucmCtlRecords(base).map(summary)).toEqual([
      [Role.SAST, cm(publisher.callManager), SEED_FQDN.publisher, PUB_IP],
      [Role.CCM_TFTP, cm(publisher.callManager), SEED_FQDN.publisher, PUB_IP],
      [Role.CAPF, cm(publisher.capf), SEED_FQDN.publisher, PUB_IP],
      [Role.CCM_TFTP, cm(subscriber.callManager), SEED_FQDN.subscriber, SUB_IP],
    ]);
  });

  it('should list SAST ITLR, SAST CM_P, the nodes publisher first, then CAPF last when the tier is from12', () => {
    expect(cucmCtlRecords({ ...base, tier: 'from12' }).map(summary)).toEqual([
      [Role.SAST, cm(publisher.itlRecovery), SEED_FQDN.publisher, PUB_IP],
      [Role.SAST, cm(publisher.callManager), SEED_FQDN.publisher, PUB_IP],
      [Role.CCM_TFTP, cm(publisher.callManager), SEED_FQDN.publisher, PUB_IP],
      [Role.CCM_TFTP, cm(subscriber.callManager), SEED_FQDN.subscriber, SUB_IP],
      [Role.CAPF, cm(publisher.capf), SEED_FQDN.publisher, PUB_IP],
    ]);
  });

  it('should carry every certificate whole when the CTL is mixed mode', () => {
    for (const tier of ['pre12', 'from12'] as const)
      expect(new Set(cucmCtlRecords({ ...base, tier }).map((r) => r.form))).toEqual(new Set(['certificate']));
  });

  it('should give CCM or TFTP records when a node runs only CallManager or only TFTP', () => {
    const nodes: CtlNode[] = [
      { ...pub, services: 'tftp' },
      { ...sub, services: 'ccm' },
    ];
    for (const tier of ['pre12', 'from12'] as const) {
      const records = cucmCtlRecords({ ...base, tier, nodes });
      const nodeRoles = records.filter((r) => r.role !== Role.SAST && r.role !== Role.CAPF).map((r) => r.role);
      expect({ tier, nodeRoles }).toEqual({ tier, nodeRoles: [Role.TFTP, Role.CCM] });
    }
  });

  it('should leave out CAPF when no CAPF certificate is given', () => {
    for (const tier of ['pre12', 'from12'] as const) {
      const records = cucmCtlRecords({ ...base, tier, capf: undefined });
      expect(records.map((r) => r.role)).not.toContain(Role.CAPF);
      expect(records).toHaveLength(tier === 'pre12' ? 3 : 4);
    }
  });

  it('should leave out ITLRecovery before 12.0 even when it is given', () => {
    const records = cucmCtlRecords(base);
    expect(records.filter((r) => r.form !== 'empty' && r.cert.sha1 === cm(publisher.itlRecovery))).toEqual([]);
  });

  it('should keep SAST and CAPF and empty every node record, keeping its role, name and IP, when the mode is non-secure', () => {
    for (const tier of ['pre12', 'from12'] as const) {
      const mixed = cucmCtlRecords({ ...base, tier });
      const nonSecure = cucmCtlRecords({ ...base, tier, mode: 'non-secure' });
      expect(nonSecure).toHaveLength(mixed.length);
      nonSecure.forEach((record, i) => {
        const was = mixed[i]!;
        if (was.role === Role.SAST || was.role === Role.CAPF) expect(record).toEqual(was);
        else
          expect(record).toEqual({ role: was.role, form: 'empty', dnsName: was.dnsName, ip: was.ip } as AnyRecordSpec);
      });
      expect(nonSecure.filter((r) => r.form === 'empty')).toHaveLength(2);
    }
  });

  it('should refuse a 12.0+ CTL without the ITLRecovery certificate', () => {
    expect(() => cucmCtlRecords({ ...base, tier: 'from12', itlRecovery: undefined })).toThrow(RangeError);
    expect(() => cucmCtlRecords({ ...base, itlRecovery: undefined })).not.toThrow();
  });

  it('should refuse a CTL without nodes (no publisher)', () => {
    expect(() => cucmCtlRecords({ ...base, nodes: [] })).toThrow(/publisher/);
  });
});

describe('CTLs built from cucmCtlRecords', () => {
  it('should write FILENAME CTLFile.tlv (12 bytes with the NUL) and VERSION 1.2 when the filename is CTL_FILENAME', () => {
    const file = decodeItl(build(base));
    expect(file.filename).toBe('CTLFile.tlv');
    const filename = file.header.find((e) => e.kind === 'field' && e.tag === HeaderTag.FILENAME);
    expect(filename?.kind === 'field' && filename.value.length).toBe(12);
    expect(file.version).toBe('1.2');
  });

  it('should write tags 1-10 in order, DNSNAME the hostname and IPADDRESS its 4 bytes, when a record carries a certificate', () => {
    const file = decodeItl(build(base));
    for (const record of file.records)
      expect(record.elements.map((e) => e.tag)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(file.records.map((r) => r.dnsName)).toEqual([
      SEED_FQDN.publisher,
      SEED_FQDN.publisher,
      SEED_FQDN.publisher,
      SEED_FQDN.subscriber,
    ]);
    expect(Array.from(file.records[3]!.ipAddress!)).toEqual([10, 48, 47, 154]);
  });

  it('should write only tags 1, 2, 4 and 10 and RECORDLENGTH 33 when a node record is empty and its hostname has 12 characters (10.0 listing)', () => {
    const node: CtlNode = { ...pub, hostname: 'cucm10pub.lb' };
    const file = decodeItl(build({ ...base, mode: 'non-secure', nodes: [node] }));
    const empty = file.records[1]!;
    expect(empty.elements.map((e) => e.tag)).toEqual([
      RecordTag.RECORD_LENGTH,
      RecordTag.DNS_NAME,
      RecordTag.FUNCTION,
      RecordTag.IP_ADDRESS,
    ]);
    expect(empty.length).toBe(33);
    expect(empty.role).toBe(Role.CCM_TFTP);
    expect(empty.certificate).toBeUndefined();
  });

  it("should reproduce the 10.5 listing's sizes when names have 61 characters and the hostname 15 (HeaderLength 336, SIGNERID 149, RECORDLENGTH = CERTIFICATE + 462)", () => {
    // SIGNERID 149 = 9 + 16 (serial) + 2 x 62 (names with their NUL); RECORDLENGTH 1156 with
    // CERTIFICATE 694 leaves 462 bytes, which with 62-byte names needs a 16-byte DNSNAME (15 + NUL).
    const hostname = 'cucm-1051-a-pub';
    const subject = { OU: 'TAC', O: 'Cisco', L: 'Krakow', ST: 'Malopolska', C: 'PL' };
    const issue = (kind: 'CallManager' | 'CAPF') =>
      issueCertificate({ kind, fqdn: hostname, subject, bits: 1024, at: SEED_AT, seed: 'ctl-test/10.5' });
    const callManager = issue('CallManager');
    expect(callManager.cert.subject).toHaveLength(61);
    const bytes = buildItl({
      signer: callManager,
      records: cucmCtlRecords({
        tier: 'pre12',
        mode: 'mixed',
        nodes: [{ hostname, ip: '10.48.53.55', callManager: callManager.cert, services: 'ccm+tftp' }],
        capf: issue('CAPF').cert,
      }),
      timestamp: SEED_TIMESTAMP,
      filename: CTL_FILENAME,
    });
    const file = decodeItl(bytes);
    const signerId = file.header.find((e) => e.kind === 'group' && e.tag === HeaderTag.SIGNER_ID);
    expect(signerId?.kind === 'group' && signerId.length).toBe(149);
    expect(file.headerLength).toBe(336);
    for (const record of file.records.slice(0, 2)) expect(record.length - record.certificate!.length).toBe(462);
  });

  it('should verify with the first SAST record when CM_P signs a pre12 CTL and ITLRecovery a from12 one', () => {
    const pre12 = build(base);
    expect(verifyItl(pre12, decodeItl(pre12))).toEqual({ status: 'verified', signerIndex: 0 });
    const from12 = build({ ...base, tier: 'from12' }, publisher.itlRecovery);
    expect(verifyItl(from12, decodeItl(from12))).toEqual({ status: 'verified', signerIndex: 0 });
  });

  it('should verify with the second SAST record when CM_P signs a from12 CTL (utils ctl reset localkey)', () => {
    const bytes = build({ ...base, tier: 'from12' }, publisher.callManager);
    expect(verifyItl(bytes, decodeItl(bytes))).toEqual({ status: 'verified', signerIndex: 1 });
  });

  it('should verify a non-secure CTL signed by the same signer as the mixed one', () => {
    for (const tier of ['pre12', 'from12'] as const) {
      const signer = tier === 'pre12' ? publisher.callManager : publisher.itlRecovery;
      const bytes = build({ ...base, tier, mode: 'non-secure' }, signer);
      expect({ tier, status: verifyItl(bytes, decodeItl(bytes)).status }).toEqual({ tier, status: 'verified' });
    }
  });

  it('should not verify when the subscriber signs (its CallManager is in no SAST record)', () => {
    const bytes = build({ ...base, tier: 'from12' }, subscriber.callManager);
    expect(verifyItl(bytes, decodeItl(bytes))).toEqual({ status: 'no-signer' });
  });
});
