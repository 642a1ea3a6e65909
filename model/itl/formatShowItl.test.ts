import { describe, expect, it } from 'vitest';
import { issueCertificate, type CertKind } from '../certs/issueCertificate.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { buildItl } from './buildItl.ts';
import { cucmItlRecords } from './cucmLayout.ts';
import { decodeItl } from './decodeItl.ts';
import { formatShowItl } from './formatShowItl.ts';
import { showItlJson } from './showItlJson.ts';
import { HeaderTag } from './tags.ts';
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
