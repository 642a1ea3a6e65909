/**
 * `show itl` and `show ctl` text read back into records: the inverse of `formatShowItl`, and a reader
 * of CUCM's own listings (a CLI prompt around them, runs of spaces or tabs between the columns, CRLF
 * line ends, long names wrapped onto the next line by a terminal or a web page, a signature dump of
 * any number of bytes a line). A listing carries no DER, so each record gives what the listing
 * prints: role, subject, issuer, serial and the certificate's SHA-1 (the `(SHA1 Hash HEX)` bytes
 * after CERTIFICATE, or the CERTHASH value). Pure.
 */
import { quote } from '../logError.ts';
import { checkRecordLengths, listedRecord, roleOf, serialHex, signerIndex } from './listedRecords.ts';
import type { Fail, OpenRecord } from './listedRecords.ts';
import type { FileKind } from './showItlFields.ts';
import {
  HEADER_TAGS,
  HEX_FIELDS,
  ListingError,
  NAME_FIELDS,
  RECORD_TAGS,
  type ShowItlListing,
} from './showItlListing.ts';

export { ListingError, type ListedRecord, type ShowItlListing } from './showItlListing.ts';

const ROW = /^(\d{1,3})\s+(HASH\s+ALGORITHM|[A-Z][A-Z0-9]*)\s+(\d{1,6})(?:\s+(.*))?$/;
const ROW_LIKE = /^\d{1,3}\s+[A-Za-z][A-Za-z0-9]*\s+\d{1,6}(\s|$)/;
const DUMP = /^[0-9a-f]{1,2}(\s+[0-9a-f]{1,2})*$/i;
const PROMPT = /^[\w.-]*:\s*(show\s+(itl|ctl)\b.*)?$/i;

/** A table row as read: the printed tag, the field name (one space inside `HASH ALGORITHM`), the length and the value text. */
interface Row {
  tag: number;
  name: string;
  length: number;
  value: string;
}

type Section = 'before' | 'head' | 'header' | 'record' | 'after';

/** Reads a listing line by line: a small state machine over the sections of `show itl`. */
class ListingReader {
  section: Section = 'before';
  kind: FileKind | undefined;
  head: { md5?: string; sha1?: string; length?: number; modified?: string } = {};
  version?: string;
  headerLength?: number;
  header = new Map<string, string>();
  records: OpenRecord[] = [];
  verified?: boolean;
  verdictLine?: number;
  /** The field the next unrecognised line continues, and how. */
  continues?: { values: Map<string, string>; name: string; how: 'name' | 'hex' | 'dump' };
  /** The signature dump under the header's SIGNATURE (not kept: nothing can check it without the file): bytes expected and seen. */
  dump?: { line: number; expected: number; seen: number };
  line = 0;

  fail(reason: string, line = this.line): never {
    throw new ListingError(line, reason);
  }

  /** `fail`, as the record readers take it (listedRecords.ts). */
  readonly failure: Fail = (reason, line) => this.fail(reason, line);

  /** Checks the kind a sentence names against the listing's: the first sentence decides. */
  word(found: string): void {
    const kind = found.toLowerCase() as FileKind;
    if (this.kind === undefined) this.kind = kind;
    else if (this.kind !== kind)
      this.fail(`says ${found.toUpperCase()} in a show ${this.kind} listing (one listing per file)`);
  }

  /** Moves to a later section, refusing to go back (a second listing, or lines out of order). */
  enter(section: Section, what: string): void {
    const order: Section[] = ['before', 'head', 'header', 'record', 'after'];
    if (order.indexOf(section) < order.indexOf(this.section))
      this.fail(
        `${what} comes after the ${this.section === 'after' ? 'verdict' : this.section} (one listing per file)`,
      );
    this.section = section;
  }

  read(raw: string): void {
    const text = raw.trim();
    if (text === '') return;
    if (this.dump && !DUMP.test(text)) this.endDump();
    if (this.dump) return void (this.dump.seen += text.split(/\s+/).length);
    if (this.sentence(text)) return void (this.continues = undefined);
    const row = ROW.exec(text);
    const names = this.section === 'record' ? RECORD_TAGS : HEADER_TAGS;
    if (row && (this.section === 'header' || this.section === 'record')) {
      const name = row[2]!.replace(/\s+/, ' ');
      if (names[name] !== undefined || /^TAG\d+$/.test(name)) return this.row(name, row);
    }
    if (this.continues && !ROW_LIKE.test(text)) return this.continuation(text);
    if (ROW_LIKE.test(text) && (this.section === 'header' || this.section === 'record'))
      this.fail(`unknown field ${quote(text.split(/\s+/)[1])} in the ${this.section} table`);
    if ((this.section === 'before' || this.section === 'after') && PROMPT.test(text)) return;
    this.fail(this.section === 'before' ? notAListing() : `unexpected line in the ${this.where()}`);
  }

  where(): string {
    return this.section === 'record' ? `record #${this.records.at(-1)!.number}` : this.section;
  }

  /** The sentences of a listing; true when the line was one. */
  sentence(text: string): boolean {
    let m: RegExpExecArray | null;
    if ((m = /^The checksum value of the (ITL|CTL) file:?$/i.exec(text))) {
      this.enter('head', 'the checksum heading');
      this.word(m[1]!);
    } else if ((m = /^([0-9a-f]{32})\s*\(MD5\)$/i.exec(text))) {
      this.headLine('the MD5 line', 'md5', m[1]!.toLowerCase());
    } else if ((m = /^([0-9a-f]{40})\s*\(SHA-?1\)$/i.exec(text))) {
      this.headLine('the SHA1 line', 'sha1', m[1]!.toLowerCase());
    } else if ((m = /^Length of (ITL|CTL) file:\s*(\d{1,9})$/i.exec(text))) {
      this.word(m[1]!);
      this.headLine('the length line', 'length', Number(m[2]));
    } else if ((m = /^The (ITL|CTL) File was last modified on\s*(.*)$/i.exec(text))) {
      this.word(m[1]!);
      this.headLine('the date line', 'modified', m[2]!);
    } else if ((m = /^Parse (ITL|CTL) File$/i.exec(text))) {
      this.enter('header', 'Parse File');
      this.word(m[1]!);
    } else if (/^-+(\s+-+)*$/.test(text) || /^BYTEPOS\s+TAG\s+LENGTH\s+VALUE$/i.test(text)) {
      if (this.section !== 'header' && this.section !== 'record') this.fail(`a table line outside a table`);
    } else if ((m = /^Version:\s*(\d{1,3}\.\d{1,3})$/i.exec(text))) {
      this.inHeader('Version', this.version);
      this.version = m[1]!;
    } else if ((m = /^HeaderLength:\s*(\d{1,6})\s*\(BYTES\)$/i.exec(text))) {
      this.inHeader('HeaderLength', this.headerLength);
      this.headerLength = Number(m[1]);
    } else if ((m = /^(ITL|CTL) Record #:\s*(\d{1,6})$/i.exec(text))) {
      this.openRecord(m[1]!, Number(m[2]));
    } else if (/^\(SHA-?1 Hash HEX\)$/i.test(text)) {
      if (this.section !== 'record') this.fail('(SHA1 Hash HEX) outside a record');
    } else if ((m = /^This etoken was (not )?used to sign the (ITL|CTL) file\.?$/i.exec(text))) {
      this.etoken(m[2]!, m[1] === undefined);
    } else if (
      (m = /^The (ITL|CTL) file (was verified successfully|could not be verified|verification failed)/i.exec(text))
    ) {
      this.word(m[1]!);
      if (this.section === 'before') this.fail(notAListing());
      this.enter('after', 'the verdict');
      this.verified = /successfully/i.test(m[2]!);
      this.verdictLine = this.line;
    } else return false;
    return true;
  }

  headLine<K extends keyof ListingReader['head']>(what: string, key: K, value: ListingReader['head'][K]): void {
    this.enter('head', what);
    if (this.head[key] !== undefined) this.fail(`${what} appears twice (one listing per file)`);
    this.head[key] = value;
  }

  inHeader(what: string, seen: unknown): void {
    if (this.section !== 'header') this.fail(`${what} outside the header (after Parse ITL File)`);
    if (seen !== undefined) this.fail(`${what} appears twice`);
  }

  openRecord(word: string, number: number): void {
    this.word(word);
    if (this.section === 'before') this.fail(notAListing());
    this.enter('record', 'a record');
    this.closeRecord();
    const expected = this.records.length + 1;
    if (number !== expected) this.fail(`record #${number} where #${expected} was expected`);
    this.records.push({ number, line: this.line, values: new Map(), bytes: 0 });
  }

  closeRecord(): void {
    const last = this.records.at(-1);
    if (last && last.role === undefined) this.fail(`record #${last.number} has no FUNCTION row`, last.line);
  }

  etoken(word: string, used: boolean): void {
    this.word(word);
    const record = this.records.at(-1);
    if (this.section !== 'record' || !record) this.fail('an etoken line outside a record');
    if (record.signedTheFile !== undefined) this.fail(`record #${record.number} says twice whether it signed`);
    record.signedTheFile = used;
  }

  row(name: string, m: RegExpExecArray): void {
    const row: Row = { tag: Number(m[1]), name, length: Number(m[3]), value: m[4] ?? '' };
    const tags = this.section === 'record' ? RECORD_TAGS : HEADER_TAGS;
    const tag = tags[name] ?? Number(name.slice(3));
    if (tag !== row.tag) this.fail(`${name} has tag ${tags[name] ?? tag}, not ${row.tag}`);
    const values = this.section === 'record' ? this.records.at(-1)!.values : this.header;
    if (values.has(name)) this.fail(`${name} appears twice in the ${this.where()}`);
    values.set(name, row.value);
    if (this.section === 'record') this.records.at(-1)!.bytes += 3 + row.length;
    this.continues = NAME_FIELDS.has(name)
      ? { values, name, how: 'name' }
      : HEX_FIELDS.has(name)
        ? { values, name, how: 'hex' }
        : undefined;
    if (this.section === 'header' && name === 'SIGNATURE')
      this.dump = { line: this.line, expected: row.length, seen: 0 };
    if (this.section === 'record' && name === 'FUNCTION') this.records.at(-1)!.role = roleOf(row.value, this.failure);
  }

  endDump(): void {
    const { expected, seen, line } = this.dump!;
    this.dump = undefined;
    // Fewer bytes are accepted: a capture copied from a web page may have lost a line of the dump.
    if (seen > expected) this.fail(`the signature dump lists ${seen} bytes where SIGNATURE says ${expected}`, line);
  }

  continuation(text: string): void {
    const { values, name, how } = this.continues!;
    if (how === 'hex' && !/^[0-9a-f]{2}([\s:][0-9a-f]{2})*$/i.test(text))
      this.fail(`unexpected line after ${name} in the ${this.where()}`);
    const before = values.get(name) ?? '';
    values.set(name, how === 'name' || before === '' ? before + text : `${before} ${text}`);
  }

  /**
   * A file is its header and its records, byte for byte (CUCM's own listings in tech note 117598
   * add up so): when the listing prints the file's length and the header's, the records it shows
   * must make up the rest, or the listing was cut short (a capture stopped, a record lost).
   */
  private checkLength(): void {
    const file = this.head.length;
    if (file === undefined || this.headerLength === undefined) return;
    let total = this.headerLength;
    for (const record of this.records) {
      const length = Number(record.values.get('RECORDLENGTH'));
      if (!Number.isInteger(length)) return;
      total += length;
    }
    if (total !== file)
      this.fail(
        `the header and the ${this.records.length} record(s) make ${total} bytes, the file ${file} ("Length of ${(this.kind ?? 'itl').toUpperCase()} file"): ${total < file ? 'the listing is cut short, or a record is missing' : 'a record is listed twice'}`,
        Math.max(1, this.line),
      );
  }

  finish(): ShowItlListing {
    if (this.dump) this.endDump();
    if (this.section === 'before' || this.section === 'head') this.fail(notAListing(), Math.max(1, this.line));
    this.closeRecord();
    const missing = ['SIGNERNAME', 'SERIALNUMBER', 'CANAME'].find((n) => !this.header.has(n));
    if (missing) this.fail(`the header has no ${missing} row`, Math.max(1, this.line));
    this.checkLength();
    const records = this.records.map((r) => listedRecord(r, this.failure));
    checkRecordLengths(this.records, this.verified !== undefined, this.failure);
    const signer = {
      subject: this.header.get('SIGNERNAME')!,
      serial: serialHex(this.header.get('SERIALNUMBER')!, this.failure),
      issuer: this.header.get('CANAME')!,
    };
    return {
      kind: this.kind ?? 'itl',
      ...definedOnly(this.head),
      ...(this.version !== undefined ? { version: this.version } : {}),
      ...(this.headerLength !== undefined ? { headerLength: this.headerLength } : {}),
      signer: {
        ...signer,
        recordIndex: signerIndex(
          records,
          this.records.map((r) => r.values.has('SERIALNUMBER')),
          signer,
          this.failure,
        ),
      },
      records,
      ...(this.verified !== undefined ? { verified: this.verified, verdictLine: this.verdictLine } : {}),
    };
  }
}

function notAListing(): string {
  return 'not a show itl or show ctl listing: expected "The checksum value of the ITL file:" or "Parse ITL File"';
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Reads the text of one `show itl` or `show ctl` listing (a CUCM capture, or what `itl-model
 * show-itl` prints) into its records and signer. Throws ListingError (and nothing else) with the
 * line of the first problem. Pure.
 */
export function parseShowItl(text: string): ShowItlListing {
  const reader = new ListingReader();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    reader.line = i + 1;
    reader.read(raw);
  }
  reader.line = lines.length;
  return reader.finish();
}
