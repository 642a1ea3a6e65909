import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../../properties/arbitraries.ts';
import { storeItl, type StoredItl } from '../cluster/itlStore.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { parseLog } from '../parseLog.ts';
import { replayModel } from '../replay/fold.ts';
import { decodeItl } from './decodeItl.ts';
import { formatShowItl } from './formatShowItl.ts';
import { ListingError, parseShowItl, type ShowItlListing } from './parseShowItl.ts';
import { fileKind } from './showItlFields.ts';
import { Role } from './tags.ts';
import { verifyItl } from './verifyItl.ts';

const fixture = (path: string) => readFileSync(new URL(`../../test-support/fixtures/${path}`, import.meta.url));
const example = (name: string) =>
  parseLog(readFileSync(new URL(`../../examples/${name}.jsonl`, import.meta.url), 'utf8'), name).events;

/** The listing `show-itl` prints for bytes (what a user saves as show-itl.txt). */
function listingOf(bytes: Uint8Array): string[] {
  const file = decodeItl(bytes);
  return formatShowItl(bytes, file, verifyItl(bytes, file));
}

/** What the listing of `bytes` must read back to: the stored summary of the binary, without the DER. */
function expectSameAsBinary(listing: ShowItlListing, bytes: Uint8Array): void {
  const stored: StoredItl = storeItl(bytes, 'normal', 'n');
  const file = decodeItl(bytes);
  expect(listing.kind).toBe(fileKind(file));
  expect(listing.sha1).toBe(stored.sha1);
  expect(listing.md5).toBe(stored.md5);
  expect(listing.length).toBe(stored.length);
  expect(listing.version).toBe(file.version);
  expect(listing.headerLength).toBe(file.headerLength);
  expect(listing.signer).toEqual(stored.signer);
  expect(listing.verified).toBe(verifyItl(bytes, file).status === 'verified');
  expect(
    listing.records.map(({ role, subject, issuer, serial, certSha1 }) => ({ role, subject, issuer, serial, certSha1 })),
  ).toEqual(stored.records.map(({ cert: _cert, ...summary }) => summary));
  expect(listing.records.map((r) => r.dnsName)).toEqual(file.records.map((r) => r.dnsName || undefined));
}

/** Every file a replay built (normal, reset, forged, corrupted, rollback ITLs and CTLs). */
function builtFiles(name: string): Array<[string, Uint8Array]> {
  const { settled } = replayModel(example(name));
  return Object.values(settled.cluster!.itls).map((itl) => [
    `${name} ${itl.origin} ${itl.node} ${itl.sha1.slice(0, 8)}`,
    new Uint8Array(Buffer.from(itl.bytes, 'base64')),
  ]);
}

const EXAMPLES = [
  'seed-incident', // 10.0(1): CallManager-signed ITLs, the reset ITL
  'r07-upgrade-to-12-5-su2', // 11.5 to 12.5(1)SU2
  'r13-regen-callmanager-14', // 14
  'r19-careful-order-15', // 15
  'r21-mixed-mode-on', // CTL of 12.x, CCM+TFTP records
  'r28-mixed-10-5-callmanager', // CTL of 10.5
  'r30-mixed-to-non-secure', // the certificate-less non-secure CTL
  'regression-forged-node-advice', // an attacker's ITL
  'corrupted-transfer', // a file whose signature fails
  'r12-rollback-parameter-one-cluster', // the rollback ITL
];

describe('parseShowItl: every listing the project prints reads back to the records of the binary', () => {
  const files = [
    ...EXAMPLES.flatMap(builtFiles),
    ['tlvfile ITL', new Uint8Array(fixture('tlvfile/ITLFile.tlv'))] as [string, Uint8Array],
    ['tlvfile CTL', new Uint8Array(fixture('tlvfile/ctl/CTLFile.tlv'))] as [string, Uint8Array],
  ];

  it('should cover ITLs and CTLs, verified and not', () => {
    const kinds = new Set(files.map(([, bytes]) => fileKind(decodeItl(bytes))));
    const verdicts = new Set(files.map(([, bytes]) => verifyItl(bytes, decodeItl(bytes)).status));
    expect([...kinds].sort()).toEqual(['ctl', 'itl']);
    expect(verdicts).toContain('verified');
    expect(verdicts).toContain('invalid-signature');
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('should read %s back', (_, bytes) => {
    expectSameAsBinary(parseShowItl(listingOf(bytes).join('\n')), bytes);
  });

  it.each(files.slice(0, 6))('should read %s back with tabs, runs of spaces, indentation and CRLF', (_, bytes) => {
    const spaced = listingOf(bytes).map((line, i) => {
      const sep = i % 3 === 0 ? '\t' : i % 3 === 1 ? '   ' : ' \t ';
      // Columns of a row apart; names with spaces inside (FUNCTION texts) keep theirs.
      const row = /^(\d+) (HASH ALGORITHM|\S+) (\d+)(?: (.*))?$/.exec(line);
      const text = row ? [row[1], row[2], row[3], row[4]].filter((p) => p !== undefined).join(sep) : line;
      return `  ${text}  `;
    });
    expectSameAsBinary(parseShowItl(['admin:show itl', ...spaced, 'admin:'].join('\r\n')), bytes);
  });
});

describe('parseShowItl on the seed: test10pub before and after utils itl reset (tech note 117598)', () => {
  const before = parseShowItl(fixture('seed/show-itl-before-reset.txt').toString('utf8'));
  const after = parseShowItl(fixture('seed/show-itl-after-reset.txt').toString('utf8'));
  const pub = 'CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
  const recovery = 'CN=ITLRECOVERY_test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
  const sub = 'CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US';
  const records = [
    {
      role: Role.SAST,
      subject: pub,
      serial: '614052e91ee97c779b7b5e810ab146a5',
      certSha1: '019c4c3d27d74d82cbb18484d42a639f7178bea9',
    },
    {
      role: Role.TFTP,
      subject: pub,
      serial: '614052e91ee97c779b7b5e810ab146a5',
      certSha1: '019c4c3d27d74d82cbb18484d42a639f7178bea9',
    },
    {
      role: Role.CAPF,
      subject: 'CN=CAPF-75638ad9;OU=tac;O=cisco;L=rtp;ST=nc;C=US',
      serial: '42bf37779b16af1cd23088c217249daa',
      certSha1: 'bbc34a1dde1739c5361a156bf065febed1e61903',
    },
    {
      role: Role.TVS,
      subject: pub,
      serial: '765984d8b730606336e5c7b6a7ddb9d6',
      certSha1: '7abfceb6bee2060274d9ebae584852937a1ea555',
    },
    {
      role: Role.SAST,
      subject: recovery,
      serial: '6e3f65c297b3e01fe74281ab52cc55dc',
      certSha1: 'cdc74a39878752fab0890c28abcb3632eb8716dc',
    },
    {
      role: Role.TVS,
      subject: sub,
      serial: '67d1a19ef8ab91e6c0a610352630ee02',
      certSha1: 'af288916f994e662a365c2883b94081c667c49c9',
    },
  ];
  const summary = (l: ShowItlListing) =>
    l.records.map(({ role, subject, issuer, serial, certSha1 }) => {
      expect(issuer).toBe(subject); // every certificate of the listing is self-signed
      return { role, subject, serial, certSha1 };
    });

  it('should read the checksums, length and date the note prints', () => {
    expect(before).toMatchObject({
      kind: 'itl',
      md5: 'b331e5bfb450926e816be37f2d8c24a2',
      sha1: '9d7da73d16c1501b4d27dc1ed79211f390659982',
      length: 5302,
      modified: 'Wed Feb 26 10:24:27 PST 2014',
      version: '1.2',
      headerLength: 324,
      verified: true,
    });
    expect(after).toMatchObject({
      kind: 'itl',
      md5: 'c847df047cf5822c1ed6cf376796653d',
      sha1: '3440f94f9252e243c99506b4bd33ea28ec654dab',
      length: 5322,
      headerLength: 344,
      verified: true,
    });
  });

  it('should read the six records of both listings, the wrapped ITLRECOVERY name joined', () => {
    expect(summary(before)).toEqual(records);
    expect(summary(after)).toEqual(records);
    expect(before.records.map((r) => r.certSource)).toEqual([
      'certificate',
      'certificate',
      'certhash',
      'certhash',
      'certificate',
      'certhash',
    ]);
  });

  it('should name the CallManager record as signer before the reset and the ITLRecovery record after it', () => {
    expect(before.signer).toEqual({ subject: pub, serial: records[0]!.serial, issuer: pub, recordIndex: 0 });
    expect(after.signer).toEqual({ subject: recovery, serial: records[4]!.serial, issuer: recovery, recordIndex: 4 });
    expect(before.records.map((r) => r.signedTheFile)).toEqual([
      true,
      undefined,
      undefined,
      undefined,
      false,
      undefined,
    ]);
    expect(after.records.map((r) => r.signedTheFile)).toEqual([
      false,
      undefined,
      undefined,
      undefined,
      true,
      undefined,
    ]);
  });

  it('should give each record the line of its heading in the file', () => {
    const lines = fixture('seed/show-itl-before-reset.txt').toString('utf8').split('\n');
    for (const r of before.records) expect(lines[r.line - 1]).toBe(`ITL Record #:${r.number}`);
  });
});

describe('parseShowItl refusals', () => {
  const good = listingOf(new Uint8Array(fixture('tlvfile/ITLFile.tlv')));
  const at = (predicate: (line: string) => boolean) => good.findIndex(predicate);
  const refusal = (lines: string[]) => {
    try {
      parseShowItl(lines.join('\n'));
    } catch (error) {
      if (error instanceof ListingError) return `${error.line}: ${error.reason}`;
      throw error;
    }
    return 'accepted';
  };
  const replaced = (index: number, ...lines: string[]) => [...good.slice(0, index), ...lines, ...good.slice(index + 1)];
  /** The RECORDLENGTH of the record whose heading is good[heading]. */
  const recordLengthAt = (heading: number) =>
    Number(
      good
        .slice(heading)
        .find((l) => l.startsWith('1 RECORDLENGTH 2 '))!
        .slice(17),
    );

  it('should accept the listing itself', () => {
    expect(refusal(good)).toBe('accepted');
  });

  it('should refuse text that is no listing, at line 1', () => {
    expect(refusal(['hello'])).toBe(
      '1: not a show itl or show ctl listing: expected "The checksum value of the ITL file:" or "Parse ITL File"',
    );
    expect(refusal([''])).toMatch(/^1: not a show itl/);
  });

  it('should refuse a FUNCTION it does not know, at its line', () => {
    const i = at((l) => l === '4 FUNCTION 2 TFTP');
    expect(refusal(replaced(i, '4 FUNCTION 2 PRINTER'))).toBe(
      `${i + 1}: FUNCTION "PRINTER" is not a role show itl prints`,
    );
  });

  it('should quote at most 60 characters of a value it refuses (a refusal stays one short line)', () => {
    const i = at((l) => l === '4 FUNCTION 2 TFTP');
    const long = 'P'.repeat(100_000);
    expect(refusal(replaced(i, `4 FUNCTION 2 ${long}`))).toBe(
      `${i + 1}: FUNCTION "${'P'.repeat(56)}... is not a role show itl prints`,
    );
  });

  it('should refuse a record without FUNCTION at its heading', () => {
    const i = at((l) => l === '4 FUNCTION 2 TFTP');
    const heading = good.lastIndexOf('ITL Record #:2', i);
    expect(refusal(replaced(i))).toBe(`${heading + 1}: record #2 has no FUNCTION row`);
  });

  it('should refuse records out of order', () => {
    const i = at((l) => l === 'ITL Record #:3');
    expect(refusal(replaced(i, 'ITL Record #:4'))).toBe(`${i + 1}: record #4 where #3 was expected`);
  });

  it('should refuse a field under the wrong tag and an unknown field', () => {
    const i = at((l) => l.startsWith('3 SUBJECTNAME'));
    expect(refusal(replaced(i, good[i]!.replace(/^3 /, '5 ')))).toBe(`${i + 1}: SUBJECTNAME has tag 3, not 5`);
    expect(refusal(replaced(i, '3 SUBJEKTNAME 5 x'))).toBe(`${i + 1}: unknown field "SUBJEKTNAME" in the record table`);
  });

  it('should refuse a CTL sentence inside an ITL listing and a second listing', () => {
    const i = at((l) => l === 'ITL Record #:2');
    expect(refusal(replaced(i, 'CTL Record #:2'))).toBe(
      `${i + 1}: says CTL in a show itl listing (one listing per file)`,
    );
    expect(refusal([...good, ...good])).toBe(
      `${good.length + 1}: the checksum heading comes after the verdict (one listing per file)`,
    );
  });

  it('should refuse a CERTIFICATE without its SHA-1 and a hash that is not hex', () => {
    const i = at((l) => l.startsWith('9 CERTIFICATE'));
    const heading = good.lastIndexOf('ITL Record #:1', i);
    expect(refusal(replaced(i, '9 CERTIFICATE 941'))).toBe(
      `${heading + 1}: record #1: CERTIFICATE has no SHA-1 after its length`,
    );
    expect(refusal(replaced(i, '9 CERTIFICATE 941 zz'))).toMatch(/is not hex bytes$/);
  });

  it('should refuse a record that says twice whether it signed, and two records that signed', () => {
    const i = at((l) => l.startsWith('This etoken was used'));
    expect(refusal(replaced(i, good[i]!, good[i]!))).toBe(`${i + 2}: record #1 says twice whether it signed`);
    const j = at((l) => l.startsWith('This etoken was not used'));
    expect(refusal(replaced(j, good[i]!))).toMatch(/^\d+: records #1 and #\d both say they signed the file$/);
  });

  it('should refuse a listing cut short or missing its last record, at its last line, when it prints both lengths', () => {
    const fileLength = Number(/^Length of ITL file: (\d+)$/m.exec(good.join('\n'))![1]);
    const headerLength = Number(/^HeaderLength: (\d+)/m.exec(good.join('\n'))![1]);
    const recordLengths = good.filter((l) => l.startsWith('1 RECORDLENGTH 2 ')).map((l) => Number(l.slice(17)));
    const cut = good.slice(
      0,
      at((l) => l === 'ITL Record #:1'),
    );
    expect(refusal(cut)).toBe(
      `${cut.length}: the header and the 0 record(s) make ${headerLength} bytes, the file ${fileLength} ("Length of ITL file"): the listing is cut short, or a record is missing`,
    );
    const last = good.lastIndexOf(`ITL Record #:${recordLengths.length}`);
    const lost = [...good.slice(0, last), good.at(-1)!];
    const kept = headerLength + recordLengths.slice(0, -1).reduce((a, b) => a + b, 0);
    expect(refusal(lost)).toBe(
      `${lost.length}: the header and the ${recordLengths.length - 1} record(s) make ${kept} bytes, the file ${fileLength} ("Length of ITL file"): the listing is cut short, or a record is missing`,
    );
  });

  it('should refuse a listing cut inside its last record, after its RECORDLENGTH, at the heading of that record', () => {
    const records = good.filter((l) => /^ITL Record #:\d+$/.test(l)).length;
    const heading = good.lastIndexOf(`ITL Record #:${records}`);
    const recordLength = recordLengthAt(heading);
    const certificate = heading + good.slice(heading).findIndex((l) => l.startsWith('9 CERTIFICATE'));
    // Cut before its CERTIFICATE row: the file's length still adds up (RECORDLENGTH was printed).
    const cut = good.slice(0, certificate);
    const certificateBytes = 3 + Number(good[certificate]!.split(/\s+/)[2]);
    expect(refusal(cut)).toBe(
      `${heading + 1}: record #${records}: its rows make ${recordLength - certificateBytes} bytes, its RECORDLENGTH ${recordLength}: the listing is cut short inside it`,
    );
    // The same row lost with the verdict still below it: a row is missing, not the end.
    expect(refusal([...cut, ...good.slice(certificate + 1)])).toBe(
      `${heading + 1}: record #${records}: its rows make ${recordLength - certificateBytes} bytes, its RECORDLENGTH ${recordLength}: a row of it is missing`,
    );
  });

  it('should refuse a record of the middle that lost a row, or whose rows make more than its RECORDLENGTH', () => {
    const heading = at((l) => l === 'ITL Record #:1');
    const recordLength = recordLengthAt(heading);
    const subject = heading + good.slice(heading).findIndex((l) => l.startsWith('3 SUBJECTNAME '));
    const [, , length, ...name] = good[subject]!.split(' ');
    const lost = [...good.slice(0, subject), ...good.slice(subject + 1)];
    expect(refusal(lost)).toBe(
      `${heading + 1}: record #1: its rows make ${recordLength - 3 - Number(length)} bytes, its RECORDLENGTH ${recordLength}: a row of it is missing`,
    );
    const longer = replaced(subject, `3 SUBJECTNAME ${Number(length) + 6} ${name.join(' ')}`);
    expect(refusal(longer)).toBe(
      `${heading + 1}: record #1: its rows make ${recordLength + 6} bytes, its RECORDLENGTH ${recordLength}: a row is longer than the record`,
    );
  });

  it('should read a listing without checksum lines or verdict, the signer found by serial and issuer', () => {
    const start = at((l) => l === 'Parse ITL File');
    const listing = parseShowItl(good.slice(start, -1).join('\n'));
    expect(listing.sha1).toBeUndefined();
    expect(listing.verified).toBeUndefined();
    const noEtoken = parseShowItl(good.filter((l) => !l.startsWith('This etoken')).join('\n'));
    expect(noEtoken.signer.recordIndex).toBe(0);
  });

  it('should say not verified when the listing says it could not be verified', () => {
    const listing = parseShowItl(
      replaced(
        good.length - 1,
        "The ITL file could not be verified: the signature does not match the signer's key.",
      ).join('\n'),
    );
    expect(listing.verified).toBe(false);
  });

  it('should end every mutated listing in a listing or a ListingError with a line inside the text (never another error)', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), keep: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const lines = [...good];
        for (const m of mutations) {
          const i = m.at % lines.length;
          if (m.kind === 'drop') lines.splice(i, 1);
          else if (m.kind === 'dup') lines.splice(i, 0, lines[i]!);
          else if (m.kind === 'cut') lines[i] = lines[i]!.slice(0, m.keep % (lines[i]!.length + 1));
          else lines.splice(i, 0, m.text);
          if (lines.length === 0) lines.push('');
        }
        try {
          parseShowItl(lines.join('\n'));
        } catch (error) {
          if (!(error instanceof ListingError)) throw error;
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.line).toBeLessThanOrEqual(lines.length);
        }
      }),
      { numRuns: 300, seed: seedFromEnv() },
    );
  });

  it('should refuse a megabyte of spaces before a character quickly (no regular expression backtracks on it)', () => {
    const start = performance.now();
    expect(refusal([`${' '.repeat(1 << 20)}x`])).toMatch(/^1: not a show itl/);
    expect(refusal([...good.slice(0, 12), `${'\t'.repeat(1 << 20)}x ${' '.repeat(1 << 19)}`])).toMatch(/^13: /);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('should hash the same bytes the listing names (sanity of the fixture used above)', () => {
    const bytes = new Uint8Array(fixture('tlvfile/ITLFile.tlv'));
    expect(parseShowItl(good.join('\n')).sha1).toBe(hashHex('sha1', bytes));
  });
});
