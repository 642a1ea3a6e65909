/**
 * `phones.csv` of a cluster folder (docs/cluster-folder.md): one row per phone, with the hash of the
 * ITL (and CTL) it reports. Header names are matched case-insensitively and extra columns are
 * ignored; every bad row is reported at its line.
 */
import { invalidUtf8Lines } from '../invalidUtf8.ts';
import { DEVICE_NAME, isHost, nameKey } from '../names.ts';
import { MAX_TVS } from '../eventSchemas.ts';
import { csvRecords } from './csv.ts';
import { capProblems, FolderError, type FolderProblem } from './folderError.ts';

/** What the phone inventory says of one phone's registration: an unregistered phone misses every reset. */
export type PhoneStatus = 'Registered' | 'Unregistered' | 'Unknown';

/** One row of phones.csv, read. */
export interface PhoneRow {
  /** The 1-based line the row starts on. */
  line: number;
  /** The device name (`SEP001122334455`), as written. */
  device: string;
  /** The TFTP server it uses (option 150): a node's name or host name as written. */
  tftp: string;
  /** Its TVS list in order (its CallManager group): node names or host names; empty when the cell is empty. */
  tvs: string[];
  status: PhoneStatus;
  /** Lowercase hex without separators: 40 digits (SHA-1) or 32 (MD5); absent when the phone's hash is unknown. */
  itlHash?: string;
  /** As `itlHash`, of the CTL it holds. */
  ctlHash?: string;
  model?: string;
  firmware?: string;
}

/** The file name of the phone inventory in a folder. */
export const PHONES_CSV = 'phones.csv';

/** Columns, by their header name in lower case; the required ones must all be in the header. */
const COLUMNS = {
  'device name': 'required',
  tftp: 'required',
  tvs: 'required',
  status: 'required',
  'itl hash': 'required',
  'ctl hash': 'optional',
  model: 'optional',
  firmware: 'optional',
} as const;
type Column = keyof typeof COLUMNS;

const STATUSES: Readonly<Record<string, PhoneStatus>> = {
  registered: 'Registered',
  unregistered: 'Unregistered',
  unknown: 'Unknown',
  '': 'Unknown',
};

/** Longest Model or Firmware text kept. */
const MAX_TEXT = 128;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A hash as a phone or a screen shows it, normalised: spaces and colons removed, lower case.
 * Returns undefined for an empty cell and a reason when it is not 40 (SHA-1) or 32 (MD5) hex digits. Pure.
 */
export function normaliseHash(cell: string): { hash?: string } | { problem: string } {
  const digits = cell.replace(/[\s:]/g, '').toLowerCase();
  if (digits === '') return {};
  if (/^[0-9a-f]{40}$/.test(digits) || /^[0-9a-f]{32}$/.test(digits)) return { hash: digits };
  return {
    problem: /^[0-9a-f]*$/.test(digits)
      ? `has ${digits.length} hex digits: a SHA-1 has 40 (an MD5 32)`
      : 'must be hex digits (spaces and colons allowed)',
  };
}

/** The header: which field index holds each known column. */
function readHeader(fields: string[], line: number, file: string): Map<Column, number> | FolderProblem {
  const columns = new Map<Column, number>();
  for (const [i, raw] of fields.entries()) {
    const name = raw.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!(name in COLUMNS)) continue;
    if (columns.has(name as Column)) return { file, line, reason: `the header names column "${raw.trim()}" twice` };
    columns.set(name as Column, i);
  }
  const missing = (Object.keys(COLUMNS) as Column[]).filter((c) => COLUMNS[c] === 'required' && !columns.has(c));
  if (missing.length > 0)
    return {
      file,
      line,
      reason: `the header has no column ${missing.map((c) => `"${TITLES[c]}"`).join(', ')} (columns: ${Object.values(TITLES).join(', ')})`,
    };
  return columns;
}

/** How the header spells each column. */
const TITLES: Readonly<Record<Column, string>> = {
  'device name': 'Device Name',
  tftp: 'TFTP',
  tvs: 'TVS',
  status: 'Status',
  'itl hash': 'ITL Hash',
  'ctl hash': 'CTL Hash',
  model: 'Model',
  firmware: 'Firmware',
};

/** One data row, or why it is refused. */
function readRow(fields: string[], line: number, columns: Map<Column, number>, width: number): PhoneRow | string {
  if (fields.length !== width) return `has ${fields.length} fields, the header ${width}`;
  const cell = (c: Column) => (columns.has(c) ? fields[columns.get(c)!]!.trim() : '');
  const control = [...columns.keys()].find((c) => CONTROL.test(cell(c)));
  if (control) return `column "${TITLES[control]}" holds a control character`;
  const device = cell('device name');
  if (!DEVICE_NAME.test(device))
    return `Device Name must be a device name (SEP and 12 hex digits, or ATA, CSF, BOT, TCT, TAB and a name), got ${JSON.stringify(device.slice(0, 40))}`;
  const tftp = cell('tftp');
  if (!isHost(tftp)) return `TFTP must be a node name or host name, got ${JSON.stringify(tftp.slice(0, 60))}`;
  const tvs = cell('tvs')
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const badTvs = tvs.find((t) => !isHost(t));
  if (badTvs !== undefined) return `TVS must be node names joined by ";", got ${JSON.stringify(badTvs.slice(0, 60))}`;
  if (tvs.length > MAX_TVS) return `TVS lists ${tvs.length} servers; a CallManager group has at most ${MAX_TVS}`;
  const status = STATUSES[cell('status').toLowerCase()];
  if (!status)
    return `Status must be Registered, Unregistered or Unknown (or empty), got ${JSON.stringify(cell('status').slice(0, 40))}`;
  const itl = normaliseHash(cell('itl hash'));
  if ('problem' in itl) return `ITL Hash ${itl.problem}`;
  const ctl = normaliseHash(cell('ctl hash'));
  if ('problem' in ctl) return `CTL Hash ${ctl.problem}`;
  for (const c of ['model', 'firmware'] as const)
    if (cell(c).length > MAX_TEXT) return `${TITLES[c]} is longer than ${MAX_TEXT} characters`;
  return {
    line,
    device,
    tftp,
    tvs,
    status,
    ...(itl.hash ? { itlHash: itl.hash } : {}),
    ...(ctl.hash ? { ctlHash: ctl.hash } : {}),
    ...(cell('model') ? { model: cell('model') } : {}),
    ...(cell('firmware') ? { firmware: cell('firmware') } : {}),
  };
}

/**
 * Reads phones.csv from its bytes (UTF-8, a byte order mark allowed); throws FolderError listing
 * every bad line (`phones.csv:LINE: reason`, up to MAX_FOLDER_PROBLEMS). Pure.
 */
export function parsePhonesCsv(bytes: Uint8Array, file = PHONES_CSV): PhoneRow[] {
  const utf8 = utf8Problems(bytes, file);
  if (utf8.length > 0) throw new FolderError(capProblems(utf8));
  const problems: FolderProblem[] = [];
  const phones: PhoneRow[] = [];
  const seen = new Map<string, number>();
  let columns: Map<Column, number> | undefined;
  let width = 0;
  for (const record of csvRecords(new TextDecoder().decode(bytes))) {
    if ('reason' in record) {
      problems.push({ file, ...record });
      continue;
    }
    if (columns === undefined) {
      const header = readHeader(record.fields, record.line, file);
      if (!(header instanceof Map)) throw new FolderError([header]);
      columns = header;
      width = record.fields.length;
      continue;
    }
    const row = readRow(record.fields, record.line, columns, width);
    if (typeof row === 'string') {
      problems.push({ file, line: record.line, reason: row });
      continue;
    }
    const first = seen.get(nameKey(row.device));
    if (first !== undefined) {
      problems.push({ file, line: row.line, reason: `${row.device} is already on line ${first}` });
      continue;
    }
    seen.set(nameKey(row.device), row.line);
    phones.push(row);
  }
  if (columns === undefined) problems.push({ file, line: 1, reason: 'empty: the first line must be the header' });
  if (problems.length > 0) throw new FolderError(capProblems(problems));
  return phones;
}

/** A problem for each line that is not UTF-8. */
function utf8Problems(bytes: Uint8Array, file: string): FolderProblem[] {
  const problems: FolderProblem[] = [];
  for (const bad of invalidUtf8Lines(bytes)) {
    problems.push({ file, ...bad });
    if (problems.length > 20) break;
  }
  return problems;
}
