import { commonName } from '../model/folder/certNames.ts';
import type { Fleet, FleetPhone, HeldTrust } from '../model/folder/fleet.ts';
import { CLASS_WORDS, detailText } from './fleetText.ts';

/**
 * A CSV cell: quoted when it holds a comma, a quote or a line break; a cell a spreadsheet would read
 * as a formula (`=`, `+`, `-`, `@`, tab, CR at its start) is prefixed with `'` (OWASP's CSV injection
 * advice), so a device or certificate name never becomes a formula. Pure.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = [
  'Device Name',
  'Line',
  'TFTP',
  'TVS',
  'Status',
  'Class',
  'Detail',
  'ITL File',
  'ITL SHA1',
  'ITL Signer',
  'SAST',
  'TVS Pinned',
  'Current ITLRecovery',
  'CTL File',
];

const names = (held: HeldTrust | undefined, pick: (h: HeldTrust) => string[]) => (held ? pick(held).join(';') : '');

function row(phone: FleetPhone): string[] {
  const itl = phone.itl;
  return [
    phone.device,
    String(phone.line),
    phone.tftp,
    phone.tvs.join(';'),
    phone.status,
    CLASS_WORDS[phone.detail.class],
    detailText(phone.detail),
    itl?.file ?? '',
    itl?.sha1 ?? '',
    itl ? commonName(itl.signer.subject) || itl.signer.subject : '',
    names(itl, (h) => h.sast.map((s) => commonName(s.subject) || s.subject)),
    names(itl, (h) =>
      h.tvs.map((t) => (t.identity.kind === 'tvs' && t.identity.node ? t.identity.node : commonName(t.subject))),
    ),
    itl ? (itl.currentItlRecovery ? 'yes' : 'no') : '',
    phone.ctl?.file ?? '',
  ];
}

/** The fleet as CSV lines, one row per phone (UTF-8, comma-separated, CRLF when written by the CLI). Pure. */
export function fleetCsv(fleet: Fleet): string[] {
  return [HEADER, ...fleet.phones.map(row)].map((cells) => cells.map(csvCell).join(','));
}
