/**
 * A record of a `show itl` or `show ctl` listing, as read (parseShowItl.ts), turned into what the
 * listing says of its certificate: role, subject, issuer, serial and SHA-1; which record signed the
 * file; and whether each record's rows make its RECORDLENGTH. Every problem is reported through the reader's `fail`, at its line.
 */
import { quote } from '../logError.ts';
import { ROLES, type ListedRecord } from './showItlListing.ts';
import { Role } from './tags.ts';

/** A record being read: its number, first line, role and rows by field name, and whether it said it signed. */
export interface OpenRecord {
  number: number;
  line: number;
  role?: number;
  values: Map<string, string>;
  signedTheFile?: boolean;
  /** The bytes its rows take in the file: each row's tag, 2-byte length and value (3 + LENGTH). */
  bytes: number;
}

/** Reports a problem of the listing (at `line`, or the line being read) and ends the reading. */
export type Fail = (reason: string, line?: number) => never;

/** The role a FUNCTION row prints (a name show itl uses, or a number). */
export function roleOf(text: string, fail: Fail): number {
  const role = ROLES[text.replace(/\s+/g, ' ').toUpperCase()];
  if (role !== undefined) return role;
  if (/^\d{1,5}$/.test(text)) return Number(text);
  return fail(`FUNCTION ${quote(text)} is not a role show itl prints`);
}

/**
 * Hex bytes as printed (`61:40:52:…`, or with spaces) as lowercase hex; none at all only when
 * `mayBeEmpty`. `what` names the row in the reason, reported at `line` (default: the line being read).
 */
function hexOf(text: string, what: string, fail: Fail, mayBeEmpty: boolean, line?: number): string {
  const digits = text.replace(/[\s:]/g, '');
  const bytes = mayBeEmpty ? /^([0-9a-f]{2})*$/i : /^([0-9a-f]{2})+$/i;
  if (!bytes.test(digits)) fail(`${what} ${quote(text)} is not hex bytes`, line);
  return digits.toLowerCase();
}

/** A serial as printed (`61:40:52:…`, or hex with spaces) as lowercase hex. */
export function serialHex(text: string, fail: Fail): string {
  return hexOf(text, 'SERIALNUMBER', fail, true);
}

/** What a record read in full says of its certificate (its SHA-1 from the CERTIFICATE row, else CERTHASH). */
export function listedRecord(record: OpenRecord, fail: Fail): ListedRecord {
  const { values, line } = record;
  const certificate = values.get('CERTIFICATE');
  const certHash = values.get('CERTHASH');
  let certSha1 = '';
  let certSource: ListedRecord['certSource'] = 'none';
  if (certificate !== undefined) {
    if (certificate === '') fail(`record #${record.number}: CERTIFICATE has no SHA-1 after its length`, line);
    certSha1 = hexOf(certificate, 'the CERTIFICATE SHA-1', fail, false, line);
    if (certSha1.length !== 40)
      fail(`record #${record.number}: the CERTIFICATE SHA-1 has ${certSha1.length / 2} bytes, not 20`, line);
    certSource = 'certificate';
  } else if (certHash !== undefined) {
    certSha1 = hexOf(certHash, 'CERTHASH', fail, false, line);
    certSource = 'certhash';
  }
  return {
    role: record.role!,
    subject: values.get('SUBJECTNAME') ?? '',
    issuer: values.get('ISSUERNAME') ?? '',
    serial: serialHex(values.get('SERIALNUMBER') ?? '', fail),
    certSha1,
    number: record.number,
    line,
    certSource,
    ...(values.get('DNSNAME') ? { dnsName: values.get('DNSNAME') } : {}),
    ...(record.signedTheFile !== undefined ? { signedTheFile: record.signedTheFile } : {}),
  };
}

/**
 * The signer's index: the record that says it signed, else (like `findSigner`) the SAST record with
 * the header's serial and issuer; a record that printed no SERIALNUMBER row never matches.
 */
export function signerIndex(
  records: ListedRecord[],
  hasSerial: boolean[],
  signer: { serial: string; issuer: string },
  fail: Fail,
): number {
  const said = records.filter((r) => r.signedTheFile === true);
  if (said.length > 1)
    fail(`records #${said[0]!.number} and #${said[1]!.number} both say they signed the file`, said[1]!.line);
  if (said.length === 1) return records.indexOf(said[0]!);
  return records.findIndex(
    (r, i) => r.role === Role.SAST && r.serial === signer.serial && r.issuer === signer.issuer && hasSerial[i],
  );
}

/**
 * A record is its rows, byte for byte (each a tag, a 2-byte length and the value): rows that make
 * fewer bytes than its RECORDLENGTH mean the listing lost some, most often a capture cut short inside
 * its last record (no verdict line below it), after a RECORDLENGTH that the file's length still adds
 * up with. Reported at the record's heading.
 */
export function checkRecordLengths(records: OpenRecord[], verdictBelow: boolean, fail: Fail): void {
  for (const record of records) {
    const length = Number(record.values.get('RECORDLENGTH'));
    if (!Number.isInteger(length) || record.bytes === length) continue;
    const cut = record === records.at(-1) && !verdictBelow;
    fail(
      `record #${record.number}: its rows make ${record.bytes} bytes, its RECORDLENGTH ${length}: ${record.bytes < length ? (cut ? 'the listing is cut short inside it' : 'a row of it is missing') : 'a row is longer than the record'}`,
      record.line,
    );
  }
}
