import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv.ts';
import { FolderError } from './folderError.ts';
import { normaliseHash, parsePhonesCsv } from './phonesCsv.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const SHA1 = '9d7da73d16c1501b4d27dc1ed79211f390659982';
const HEADER = 'Device Name,TFTP,TVS,Status,ITL Hash';

function problems(text: string | Uint8Array): string[] {
  try {
    parsePhonesCsv(typeof text === 'string' ? bytes(text) : text);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    return error.problems.map((p) => `${p.file}:${p.line ?? ''}: ${p.reason}`);
  }
  return [];
}

describe('csvRecords (RFC 4180)', () => {
  it('should read quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and skip a BOM and blank lines', () => {
    const text = '\uFEFFa,"b, c","say ""hi"""\r\n\r\n"multi\r\nline",x,\n  \nlast,,"" ';
    expect([...csvRecords(text)]).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 3, fields: ['multi\r\nline', 'x', ''] },
      { line: 6, reason: 'text after a closing quote (a quote inside a field must be doubled: "")' },
    ]);
  });

  it('should report each malformed record at its line and go on with the next', () => {
    const text = 'ok,1\nbad"quote,2\n"open,3\nnext,4\n"x"y,5\nfine,6';
    expect([...csvRecords(text)]).toEqual([
      { line: 1, fields: ['ok', '1'] },
      { line: 2, reason: 'a quote inside an unquoted field (quote the field and double the quote: "")' },
      // The quote opened on line 3 closes on line 5, where text follows it: one record, one problem.
      { line: 3, reason: 'text after a closing quote (a quote inside a field must be doubled: "")' },
      { line: 6, fields: ['fine', '6'] },
    ]);
    expect([...csvRecords('a\n"open,3\nnext\n')]).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, reason: 'a quoted field opened on line 2 is never closed' },
    ]);
    expect([...csvRecords('a\n"x"y,5\nfine,6\n')]).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, reason: 'text after a closing quote (a quote inside a field must be doubled: "")' },
      { line: 3, fields: ['fine', '6'] },
    ]);
  });
});

describe('parsePhonesCsv', () => {
  it('should read the columns by header name in any case and order, ignoring extra columns', () => {
    const text = `\uFEFFstatus,itl hash,Description,DEVICE NAME,Tvs,tftp,Model,Firmware,CTL Hash\r\nregistered,${SHA1.toUpperCase()},"Lobby, ground floor",SEP001122334455,pub; sub,pub,Cisco 8845,sip8845_65.14-2-1-0001-14,\r\n`;
    expect(parsePhonesCsv(bytes(text))).toEqual([
      {
        line: 2,
        device: 'SEP001122334455',
        tftp: 'pub',
        tvs: ['pub', 'sub'],
        status: 'Registered',
        itlHash: SHA1,
        model: 'Cisco 8845',
        firmware: 'sip8845_65.14-2-1-0001-14',
      },
    ]);
  });

  it('should normalise hashes with spaces and colons, and leave an empty one unknown', () => {
    expect(normaliseHash('9D:7D:A7:3D:16:C1:50:1B:4D:27:DC:1E:D7:92:11:F3:90:65:99:82')).toEqual({ hash: SHA1 });
    expect(normaliseHash(' 9d7da73d 16c1501b 4d27dc1e d79211f3 90659982 ')).toEqual({ hash: SHA1 });
    expect(normaliseHash('b331e5bfb450926e816be37f2d8c24a2')).toEqual({ hash: 'b331e5bfb450926e816be37f2d8c24a2' });
    expect(normaliseHash('  ')).toEqual({});
    expect(normaliseHash('9d7da73d')).toEqual({ problem: 'has 8 hex digits: a SHA-1 has 40 (an MD5 32)' });
    expect(normaliseHash('not a hash')).toEqual({ problem: 'must be hex digits (spaces and colons allowed)' });
    const rows = parsePhonesCsv(bytes(`${HEADER}\nSEP001122334455,pub,,Unknown,\nSEP001122334466,pub,pub,,`));
    expect(rows.map((r) => [r.itlHash, r.status, r.tvs])).toEqual([
      [undefined, 'Unknown', []],
      [undefined, 'Unknown', ['pub']],
    ]);
  });

  it('should report every bad line once, at its line', () => {
    const text = [
      HEADER,
      `SEP001122334455,pub,pub,Registered,${SHA1}`,
      `XYZ,pub,pub,Registered,${SHA1}`,
      `SEP001122334466,pub,pub,Rejected,${SHA1}`,
      `SEP001122334477,pub,pub,Registered,123`,
      `SEP001122334488,pub,pub,Registered`,
      `sep001122334455,pub,pub,Registered,`,
      `SEP0011223344AA,pub,"a;b;c;d;e;f",Registered,`,
      `SEP0011223344BB,bad host!,pub,Registered,`,
      `SEP0011223344CC,pub,pub,Regis"tered,`,
    ].join('\n');
    expect(problems(text)).toEqual([
      'phones.csv:3: Device Name must be a device name (SEP and 12 hex digits, or ATA, CSF, BOT, TCT, TAB and a name), got "XYZ"',
      'phones.csv:4: Status must be Registered, Unregistered or Unknown (or empty), got "Rejected"',
      'phones.csv:5: ITL Hash has 3 hex digits: a SHA-1 has 40 (an MD5 32)',
      'phones.csv:6: has 4 fields, the header 5',
      'phones.csv:7: sep001122334455 is already on line 2',
      'phones.csv:8: TVS lists 6 servers; a CallManager group has at most 5',
      'phones.csv:9: TFTP must be a node name or host name, got "bad host!"',
      'phones.csv:10: a quote inside an unquoted field (quote the field and double the quote: "")',
    ]);
  });

  it('should refuse a header without the required columns, an empty file, control characters and bytes that are not UTF-8', () => {
    expect(problems('Device Name,TFTP,Status\nSEP001122334455,pub,Registered')).toEqual([
      'phones.csv:1: the header has no column "TVS", "ITL Hash" (columns: Device Name, TFTP, TVS, Status, ITL Hash, CTL Hash, Model, Firmware)',
    ]);
    expect(problems('tftp,TFTP,tvs,status,itl hash,device name')).toEqual([
      'phones.csv:1: the header names column "TFTP" twice',
    ]);
    expect(problems('\n\n')).toEqual(['phones.csv:1: empty: the first line must be the header']);
    expect(problems(`${HEADER},Model\nSEP001122334455,pub,pub,Registered,,"a\u001b[2Jb"`)).toEqual([
      'phones.csv:2: column "Model" holds a control character',
    ]);
    expect(problems(new Uint8Array([...bytes(`${HEADER}\nSEP001122334455,pub,pub,`), 0xc3, 0x28, 0x0a, 0x41]))).toEqual(
      ['phones.csv:2: not UTF-8 text (byte 25 of the line)'],
    );
  });

  it('should stop after 20 problems and say so', () => {
    const text = [HEADER, ...Array.from({ length: 30 }, () => 'x,pub,pub,Registered,')].join('\n');
    const found = problems(text);
    expect(found).toHaveLength(21);
    expect(found.at(-1)).toBe('phones.csv:: stopped after 20 problems (30 found)');
  });
});
