import { describe, expect, it } from 'vitest';
import { issueCertificate, type CertKind } from '../certs/issueCertificate.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { buildItl } from './buildItl.ts';
import { CTL_FILENAME, cucmCtlRecords, type CtlContents } from './ctlLayout.ts';
import { cucmItlRecords } from './cucmLayout.ts';
import { decodeItl } from './decodeItl.ts';
import { formatShowItl } from './formatShowItl.ts';
import { showItlJson } from './showItlJson.ts';
import { HeaderTag, Role } from './tags.ts';
import { verifyItl } from './verifyItl.ts';

/*
 * The seed's first `admin:show itl` listing (test10pub, signed by its CallManager key), with
 * the values that depend on key material replaced by «placeholders» that only fix their shape.
 * The date is the seed's instant in UTC (the seed prints 10:24:27 PST). Two deliberate
 * departures: the ITLRECOVERY names are 69 bytes, not the seed's 66 (the seed prints a
 * 68-character name next to 66; see seedTable.test.ts), and that name is on one line where the
 * seed's web page wrapped it.
 */
const SEED_LISTING = `The checksum value of the ITL file:
«md5»(MD5)
«sha1»(SHA1)
Length of ITL file: «n»
The ITL File was last modified on Wed Feb 26 18:24:27 UTC 2014
Parse ITL File
----------------
Version: 1.2
HeaderLength: 324 (BYTES)
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
3 SIGNERID 2 139
4 SIGNERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
5 SERIALNUMBER 16 «serial»
6 CANAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
7 SIGNATUREINFO 2 15
8 DIGESTALGORTITHM 1
9 SIGNATUREALGOINFO 2 8
10 SIGNATUREALGORTITHM 1
11 SIGNATUREMODULUS 1
12 SIGNATURE 128
${'«dump»\n'.repeat(16)}14 FILENAME 12
15 TIMESTAMP 4
ITL Record #:1
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 «n»
2 DNSNAME 2
3 SUBJECTNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 System Administrator Security Token
5 ISSUERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 140
8 SIGNATURE 128
9 CERTIFICATE «n» «sha1hex»
(SHA1 Hash HEX)
This etoken was used to sign the ITL file.
ITL Record #:2
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 «n»
2 DNSNAME 2
3 SUBJECTNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 TFTP
5 ISSUERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 140
8 SIGNATURE 128
9 CERTIFICATE «n» «sha1hex»
(SHA1 Hash HEX)
ITL Record #:3
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 439
2 DNSNAME 2
3 SUBJECTNAME 49 CN=CAPF-«capf»;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 CAPF
5 ISSUERNAME 49 CN=CAPF-«capf»;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 140
8 SIGNATURE 128
11 CERTHASH 20 «sha1hex»
12 HASH ALGORITHM 1 SHA-1
ITL Record #:4
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 455
2 DNSNAME 2
3 SUBJECTNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 TVS
5 ISSUERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 140
8 SIGNATURE 128
11 CERTHASH 20 «sha1hex»
12 HASH ALGORITHM 1 SHA-1
ITL Record #:5
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 «n»
2 DNSNAME 2
3 SUBJECTNAME 69 CN=ITLRECOVERY_test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 System Administrator Security Token
5 ISSUERNAME 69 CN=ITLRECOVERY_test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 140
8 SIGNATURE 128
9 CERTIFICATE «n» «sha1hex»
(SHA1 Hash HEX)
This etoken was not used to sign the ITL file.
ITL Record #:6
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 713
2 DNSNAME 2
3 SUBJECTNAME 57 CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
4 FUNCTION 2 TVS
5 ISSUERNAME 57 CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY 270
8 SIGNATURE 256
11 CERTHASH 20 «sha1hex»
12 HASH ALGORITHM 1 SHA-1
The ITL file was verified successfully.`;

const PLACEHOLDERS: Record<string, string> = {
  md5: '[0-9a-f]{32}',
  sha1: '[0-9a-f]{40}',
  n: '\\d+',
  serial: '(?:[0-9A-F]{2}:){15}[0-9A-F]{2}',
  // CUCM drops leading zeros: "8f d4 0 cb a8 23 bc b0".
  dump: '(?:[1-9a-f]?[0-9a-f] ){7}[1-9a-f]?[0-9a-f]',
  sha1hex: '(?:[0-9A-F]{2} ){19}[0-9A-F]{2}',
  capf: '[0-9a-f]{8}',
};

/** A line of the template as a whole-line pattern: literal text, placeholders as their shapes. */
function linePattern(line: string): RegExp {
  const parts = line.split(/«(\w+)»/);
  const source = parts
    .map((part, i) => (i % 2 ? PLACEHOLDERS[part] : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const subject = { OU: 'tac', O: 'cisco', L: 'rtp', ST: 'nc', C: 'US' };
const AT = '2014-02-26T10:24:27-08:00';
const iss = (kind: CertKind, fqdn: string, bits: 1024 | 2048, node: string) =>
  issueCertificate({ kind, fqdn, subject, bits, at: AT, seed: `t/${node}` });

const cm = iss('CallManager', 'test10pub.joemar2.lab', 1024, 'pub');
const tvsP = iss('TVS', 'test10pub.joemar2.lab', 1024, 'pub');
const capf = iss('CAPF', 'test10pub.joemar2.lab', 1024, 'pub');
const itlr = iss('ITLRecovery', 'test10pub.joemar2.lab', 1024, 'pub');
const tvsS = iss('TVS', 'test10sub.joemar2.lab', 2048, 'sub');
const bytes = buildItl({
  signer: cm,
  records: cucmItlRecords({
    callManager: cm.cert,
    capf: capf.cert,
    tvs: [tvsP.cert, tvsS.cert],
    itlRecovery: itlr.cert,
  }),
  timestamp: 1393439067,
});

const show = (data: Uint8Array) => {
  const file = decodeItl(data);
  return formatShowItl(data, file, verifyItl(data, file));
};
const colon = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');
const spaced = (hex: string) => hex.toUpperCase().match(/../g)!.join(' ');

/** A copy of the bytes with one byte inverted. */
function flipped(data: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(data);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

describe('formatShowItl', () => {
  const lines = show(bytes);

  it("should reproduce the seed's listing line for line when the publisher's CallManager key signs", () => {
    const expected = SEED_LISTING.split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => expect(line).toMatch(linePattern(expected[i]!)));
  });

  it('should print the checksums and length of the bytes when given a file', () => {
    expect(lines.slice(1, 4)).toEqual([
      `${hashHex('md5', bytes)}(MD5)`,
      `${hashHex('sha1', bytes)}(SHA1)`,
      `Length of ITL file: ${bytes.length}`,
    ]);
  });

  it('should print serials and certificate hashes from the certificates when the records carry them', () => {
    expect(lines).toContain(`5 SERIALNUMBER 16 ${colon(cm.cert.serial)}`);
    expect(lines).toContain(`6 SERIALNUMBER 16 ${colon(tvsS.cert.serial)}`);
    expect(lines).toContain(`9 CERTIFICATE ${Buffer.from(cm.cert.der, 'base64').length} ${spaced(cm.cert.sha1)}`);
    expect(lines).toContain(`11 CERTHASH 20 ${spaced(capf.cert.sha1)}`);
  });

  it('should dump the signature 8 bytes a line without leading zeros when printing the header', () => {
    const file = decodeItl(bytes);
    const start = lines.indexOf('12 SIGNATURE 128') + 1;
    const dumped = lines.slice(start, start + 16).flatMap((line) => line.split(' ').map((b) => parseInt(b, 16)));
    expect(dumped).toEqual(Array.from(file.signature));
  });

  it('should say the file could not be verified when one byte inside a record is flipped', () => {
    const file = decodeItl(bytes);
    const capfRecord = file.records[2]!;
    const tampered = show(flipped(bytes, capfRecord.offset + capfRecord.length - 10));
    expect(tampered.at(-1)).toBe("The ITL file could not be verified: the signature does not match the signer's key.");
    expect(tampered).toContain('This etoken was used to sign the ITL file.');
  });

  it("should say no etoken signed it when the header's serial matches no SAST record", () => {
    const file = decodeItl(bytes);
    const serial = file.header.find((e) => e.kind === 'field' && e.tag === HeaderTag.SERIAL_NUMBER)!;
    const tampered = show(flipped(bytes, serial.offset + 3));
    expect(tampered.at(-1)).toBe(
      "The ITL file could not be verified: no System Administrator Security Token record matches the header's serial number and issuer.",
    );
    expect(tampered.filter((l) => l.startsWith('This etoken'))).toEqual([
      'This etoken was not used to sign the ITL file.',
      'This etoken was not used to sign the ITL file.',
    ]);
  });

  it('should say the date is unknown when the file has no TIMESTAMP', () => {
    const file = decodeItl(bytes);
    const out = formatShowItl(bytes, { ...file, timestamp: undefined }, verifyItl(bytes, file));
    expect(out[4]).toBe('The ITL File was last modified on (unknown: the file has no TIMESTAMP)');
  });
});

describe('showItlJson', () => {
  const file = decodeItl(bytes);
  const json = showItlJson(bytes, file, verifyItl(bytes, file));

  it('should describe the file and its signer when the file verifies', () => {
    expect(json).toMatchObject({
      md5: hashHex('md5', bytes),
      length: bytes.length,
      version: '1.2',
      headerLength: 324,
      signer: { name: cm.cert.subject, serial: cm.cert.serial, issuer: cm.cert.issuer },
      digestAlgorithm: 'SHA-1',
      timestamp: '2014-02-26T18:24:27Z',
      filename: 'ITLFile.tlv',
      verified: true,
    });
    expect(json).not.toHaveProperty('reason');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('should mark only the signing SAST record and carry hashes when listing records', () => {
    expect(json.records.map((r) => [r.index, r.roleName, r.signedTheFile])).toEqual([
      [1, 'System Administrator Security Token', true],
      [2, 'TFTP', false],
      [3, 'CAPF', false],
      [4, 'TVS', false],
      [5, 'System Administrator Security Token', false],
      [6, 'TVS', false],
    ]);
    expect(json.records[0]).toMatchObject({ certificateSha1: cm.cert.sha1, publicKeyLength: 140 });
    expect(json.records[5]).toMatchObject({ certHash: tvsS.cert.sha1, publicKeyLength: 270, length: 713 });
  });

  it('should give the reason when the signature does not verify', () => {
    const tampered = flipped(bytes, file.signatureOffset + 3);
    const out = showItlJson(tampered, decodeItl(tampered), verifyItl(tampered, decodeItl(tampered)));
    expect(out).toMatchObject({ verified: false, reason: "the signature does not match the signer's key" });
  });
});

/*
 * `show ctl` (TOKENLESS 10.5 and NONSEC 10.0 listings; no 12.x listing exists, A21): the same
 * table as `show itl` with CTL in every sentence, DNSNAME holding the node's hostname and
 * `10 IPADDRESS 4` (no value printed) closing each record. Here the 12.0+ layout of the seed's
 * two nodes, signed by ITLRecovery (SIGNERID 9 + 16 + 2 x 69 = 163).
 */
const PUB = 'CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
const SUB = 'CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
const ITLR = 'CN=ITLRECOVERY_test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
const CAPF = 'CN=CAPF-«capf»;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
const ctlRecord = (
  n: number,
  host: string,
  name: string,
  role: string,
  bits: 1024 | 2048,
  signed?: boolean,
) => `CTL Record #:${n}
----
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
1 RECORDLENGTH 2 «n»
2 DNSNAME ${host.length + 1} ${host}
3 SUBJECTNAME ${name.replace('«capf»', 'xxxxxxxx').length + 1} ${name}
4 FUNCTION 2 ${role}
5 ISSUERNAME ${name.replace('«capf»', 'xxxxxxxx').length + 1} ${name}
6 SERIALNUMBER 16 «serial»
7 PUBLICKEY ${bits === 1024 ? 140 : 270}
8 SIGNATURE ${bits / 8}
9 CERTIFICATE «n» «sha1hex»
(SHA1 Hash HEX)
10 IPADDRESS 4${signed === undefined ? '' : `\nThis etoken was ${signed ? '' : 'not '}used to sign the CTL file.`}`;

const CTL_LISTING = `The checksum value of the CTL file:
«md5»(MD5)
«sha1»(SHA1)
Length of CTL file: «n»
The CTL File was last modified on Wed Feb 26 18:24:27 UTC 2014
Parse CTL File
----------------
Version: 1.2
HeaderLength: 348 (BYTES)
BYTEPOS TAG LENGTH VALUE
------- --- ------ -----
3 SIGNERID 2 163
4 SIGNERNAME 69 ${ITLR}
5 SERIALNUMBER 16 «serial»
6 CANAME 69 ${ITLR}
7 SIGNATUREINFO 2 15
8 DIGESTALGORTITHM 1
9 SIGNATUREALGOINFO 2 8
10 SIGNATUREALGORTITHM 1
11 SIGNATUREMODULUS 1
12 SIGNATURE 128
${'«dump»\n'.repeat(16)}14 FILENAME 12
15 TIMESTAMP 4
${ctlRecord(1, 'test10pub.joemar2.lab', ITLR, 'System Administrator Security Token', 1024, true)}
${ctlRecord(2, 'test10pub.joemar2.lab', PUB, 'System Administrator Security Token', 1024, false)}
${ctlRecord(3, 'test10pub.joemar2.lab', PUB, 'CCM+TFTP', 1024)}
${ctlRecord(4, 'test10sub.joemar2.lab', SUB, 'CCM+TFTP', 2048)}
${ctlRecord(5, 'test10pub.joemar2.lab', CAPF, 'CAPF', 1024)}
The CTL file was verified successfully.`;

const cmS = iss('CallManager', 'test10sub.joemar2.lab', 2048, 'sub');
const ctlContents: CtlContents = {
  tier: 'from12',
  mode: 'mixed',
  nodes: [
    { hostname: 'test10pub.joemar2.lab', ip: '10.48.47.153', callManager: cm.cert, services: 'ccm+tftp' },
    { hostname: 'test10sub.joemar2.lab', ip: '10.48.47.154', callManager: cmS.cert, services: 'ccm+tftp' },
  ],
  capf: capf.cert,
  itlRecovery: itlr.cert,
};
const buildCtl = (contents: CtlContents, signer = itlr) =>
  buildItl({ signer, records: cucmCtlRecords(contents), timestamp: 1393439067, filename: CTL_FILENAME });
const ctl = buildCtl(ctlContents);

describe('formatShowItl on a CTL (show ctl)', () => {
  const lines = show(ctl);

  it("should print show ctl's listing line for line when the header FILENAME is CTLFile.tlv", () => {
    const expected = CTL_LISTING.split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) =>
      expect({ i, line }).toEqual({ i, line: expect.stringMatching(linePattern(expected[i]!)) }),
    );
  });

  it('should print the checksums and length of the bytes with CTL in the sentences', () => {
    expect(lines.slice(0, 4)).toEqual([
      'The checksum value of the CTL file:',
      `${hashHex('md5', ctl)}(MD5)`,
      `${hashHex('sha1', ctl)}(SHA1)`,
      `Length of CTL file: ${ctl.length}`,
    ]);
  });

  it('should print each certificate-less record as RECORDLENGTH, DNSNAME, FUNCTION and IPADDRESS when the CTL is non-secure', () => {
    const out = show(buildCtl({ ...ctlContents, mode: 'non-secure' }));
    const start = out.indexOf('CTL Record #:3');
    expect(out.slice(start, start + 13)).toEqual([
      'CTL Record #:3',
      '----',
      'BYTEPOS TAG LENGTH VALUE',
      '------- --- ------ -----',
      '1 RECORDLENGTH 2 42',
      '2 DNSNAME 22 test10pub.joemar2.lab',
      '4 FUNCTION 2 CCM+TFTP',
      '10 IPADDRESS 4',
      'CTL Record #:4',
      '----',
      'BYTEPOS TAG LENGTH VALUE',
      '------- --- ------ -----',
      '1 RECORDLENGTH 2 42',
    ]);
    expect(out.at(-1)).toBe('The CTL file was verified successfully.');
  });

  it('should say the CTL file could not be verified, and which etoken the header names, when one byte inside a record is flipped', () => {
    const file = decodeItl(ctl);
    const last = file.records.at(-1)!;
    const tampered = show(flipped(ctl, last.offset + last.length - 20));
    expect(tampered.at(-1)).toBe("The CTL file could not be verified: the signature does not match the signer's key.");
    expect(tampered.filter((l) => l.startsWith('This etoken'))).toEqual([
      'This etoken was used to sign the CTL file.',
      'This etoken was not used to sign the CTL file.',
    ]);
  });

  it('should name the second SAST record as signer when CM_P signs (utils ctl reset localkey)', () => {
    const out = show(buildCtl(ctlContents, cm));
    expect(out.filter((l) => l.startsWith('This etoken'))).toEqual([
      'This etoken was not used to sign the CTL file.',
      'This etoken was used to sign the CTL file.',
    ]);
    expect(out.at(-1)).toBe('The CTL file was verified successfully.');
  });

  it('should name the CTL record when the signer record has no usable key', () => {
    const file = decodeItl(ctl);
    const out = formatShowItl(ctl, file, { status: 'unusable-key', signerIndex: 0 });
    expect(out.at(-1)).toBe(
      "The CTL file could not be verified: the signer's record (CTL Record #:1) has no usable public key.",
    );
  });

  it('should choose the listing by the header FILENAME only: CTL words for CTLFile.tlv, ITL words otherwise', () => {
    const records = cucmCtlRecords(ctlContents);
    const asItl = show(buildItl({ signer: itlr, records, timestamp: 1393439067 }));
    expect(asItl[0]).toBe('The checksum value of the ITL file:');
    expect(asItl).toContain('ITL Record #:1');
    const itlAsCtl = show(
      buildItl({
        signer: cm,
        records: cucmItlRecords({ callManager: cm.cert, tvs: [] }),
        timestamp: 0,
        filename: CTL_FILENAME,
      }),
    );
    expect(itlAsCtl[0]).toBe('The checksum value of the CTL file:');
    expect(itlAsCtl.at(-1)).toBe('The CTL file was verified successfully.');
  });

  it('should print IPADDRESS without its value in a CTL, as show ctl does, and with it in any other file', () => {
    const records = cucmCtlRecords(ctlContents);
    expect(lines.filter((l) => l.startsWith('10 IPADDRESS'))).toEqual(Array(5).fill('10 IPADDRESS 4'));
    const asItl = show(buildItl({ signer: itlr, records, timestamp: 1393439067 }));
    expect(asItl.filter((l) => l.startsWith('10 IPADDRESS'))).toEqual([
      '10 IPADDRESS 4 10.48.47.153',
      '10 IPADDRESS 4 10.48.47.153',
      '10 IPADDRESS 4 10.48.47.153',
      '10 IPADDRESS 4 10.48.47.154',
      '10 IPADDRESS 4 10.48.47.153',
    ]);
  });
});

describe('showItlJson on a CTL', () => {
  const file = decodeItl(ctl);
  const json = showItlJson(ctl, file, verifyItl(ctl, file));

  it("should say kind 'ctl' for a CTL and 'itl' for an ITL", () => {
    expect(json.kind).toBe('ctl');
    expect(showItlJson(bytes, decodeItl(bytes), verifyItl(bytes, decodeItl(bytes))).kind).toBe('itl');
    expect(Object.keys(json)[0]).toBe('kind');
  });

  it("should give each record's DNSNAME and IPADDRESS and mark the ITLRecovery record as signer", () => {
    expect(json.records.map((r) => [r.index, r.role, r.dnsName, r.ipAddress, r.signedTheFile])).toEqual([
      [1, Role.SAST, 'test10pub.joemar2.lab', '10.48.47.153', true],
      [2, Role.SAST, 'test10pub.joemar2.lab', '10.48.47.153', false],
      [3, Role.CCM_TFTP, 'test10pub.joemar2.lab', '10.48.47.153', false],
      [4, Role.CCM_TFTP, 'test10sub.joemar2.lab', '10.48.47.154', false],
      [5, Role.CAPF, 'test10pub.joemar2.lab', '10.48.47.153', false],
    ]);
    expect(json.records[0]).toMatchObject({ certificateSha1: itlr.cert.sha1, subject: itlr.cert.subject });
    expect(json).toMatchObject({ filename: 'CTLFile.tlv', verified: true, signer: { name: itlr.cert.subject } });
  });

  it('should give a certificate-less record no subject, serial, key or certificate when the CTL is non-secure', () => {
    const nonSecure = buildCtl({ ...ctlContents, mode: 'non-secure' });
    const out = showItlJson(nonSecure, decodeItl(nonSecure), verifyItl(nonSecure, decodeItl(nonSecure)));
    expect(out.records[3]).toEqual({
      index: 4,
      offset: expect.any(Number),
      length: 42,
      role: Role.CCM_TFTP,
      roleName: 'CCM+TFTP',
      subject: '',
      issuer: '',
      serial: '',
      dnsName: 'test10sub.joemar2.lab',
      ipAddress: '10.48.47.154',
      publicKeyLength: 0,
      signedTheFile: false,
    });
  });

  it('should keep ITL records free of dnsName and ipAddress (their DNSNAME is empty and they have no IPADDRESS)', () => {
    const itlJson = showItlJson(bytes, decodeItl(bytes), verifyItl(bytes, decodeItl(bytes)));
    for (const record of itlJson.records) {
      expect(record).not.toHaveProperty('dnsName');
      expect(record).not.toHaveProperty('ipAddress');
    }
  });

  it('should name the CTL record in the reason when the signer record has no usable key', () => {
    const out = showItlJson(ctl, file, { status: 'unusable-key', signerIndex: 0 });
    expect(out.reason).toBe("the signer's record (CTL Record #:1) has no usable public key");
  });
});
