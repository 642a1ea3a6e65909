import { commonName } from '../model/folder/certNames.ts';
import {
  FLEET_CLASSES,
  type ClassCounts,
  type Fleet,
  type FleetClass,
  type FleetDetail,
  type FleetPhone,
  type HeldTrust,
} from '../model/folder/fleet.ts';

/** The words of each class (docs/cluster-folder.md, "fleet"). */
export const CLASS_WORDS: Readonly<Record<FleetClass, string>> = {
  current: 'trusted and current',
  local: 'will accept the next ITL locally',
  tvs: 'needs TVS',
  'too-large': 'next ITL too large to load',
  localkey: 'recoverable by utils itl reset localkey',
  remotekey: 'only by utils itl reset remotekey with a backup',
  'manual-delete': 'needs a manual ITL (or CTL) delete',
  unknown: 'unknown ITL (foreign cluster?)',
};

/** Short column heads of the classes. */
const CLASS_HEADS: Readonly<Record<FleetClass, string>> = {
  current: 'current',
  local: 'local',
  tvs: 'tvs',
  'too-large': 'too-large',
  localkey: 'localkey',
  remotekey: 'remotekey',
  'manual-delete': 'manual',
  unknown: 'unknown',
};

/** Rows with their columns aligned (two spaces apart; the last column is not padded). Pure. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

const counts = (c: ClassCounts) => FLEET_CLASSES.map((k) => String(c[k]));

/** A phone's class with its reason, in words. Pure. */
export function detailText(detail: FleetDetail): string {
  switch (detail.class) {
    case 'current':
      return CLASS_WORDS.current;
    case 'local':
      return `${CLASS_WORDS.local} (${detail.rule}${detail.ctl ? `, CTL ${detail.ctl}` : ''})`;
    case 'tvs':
      return `needs TVS through ${detail.reachable.join(', ')} (${detail.via} vouches first)`;
    case 'too-large':
      return CLASS_WORDS['too-large'];
    case 'localkey':
      return `${CLASS_WORDS.localkey} (next boot: ${detail.rule})`;
    case 'remotekey':
      return `${CLASS_WORDS.remotekey} of ${detail.itlRecovery.map((r) => `${commonName(r.subject)} serial ${r.serial}`).join(' or ')} (next boot: ${detail.rule})`;
    case 'manual-delete':
      return `needs a manual ${detail.file === 'ctl' ? 'CTL' : 'ITL'} delete (next boot: ${detail.rule})`;
    case 'unknown':
      return detail.hash
        ? `${CLASS_WORDS.unknown}: no file of the folder is ${detail.hash}`
        : 'unknown ITL: no hash reported';
  }
}

/** What a held file trusts, on one line. Pure. */
export function trustText(kind: 'ITL' | 'CTL', held: HeldTrust): string {
  const signer = commonName(held.signer.subject) || held.signer.subject;
  const sast = held.sast.map((s) => commonName(s.subject) || s.subject).join(', ');
  const tvs = held.tvs
    .map(
      (t) =>
        `${t.identity.kind === 'tvs' && t.identity.node ? t.identity.node : commonName(t.subject)}${t.current ? '' : ' (old)'}`,
    )
    .join(', ');
  return `${kind} ${held.file}: signer ${signer}; SAST ${sast || '-'}; TVS ${tvs || '-'}; current ITLRecovery ${held.currentItlRecovery ? 'in it' : 'NOT in it'}`;
}

function phoneLines(phone: FleetPhone): string[] {
  return [
    `${phone.device}  (phones.csv:${phone.line}, TFTP ${phone.tftp}, TVS ${phone.tvs.join(';') || '-'}, ${phone.status})`,
    `  ${detailText(phone.detail)}`,
    ...(phone.itl ? [`  ${trustText('ITL', phone.itl)}`] : []),
    ...(phone.ctl ? [`  ${trustText('CTL', phone.ctl)}`] : []),
  ];
}

/** The fleet in words: totals per class, per TFTP node and per TVS list, then every phone. Pure. */
export function fleetText(dir: string, fleet: Fleet): string[] {
  const total = fleet.phones.length;
  const lines = [`Fleet of ${dir}: ${total} phone${total === 1 ? '' : 's'}`, ''];
  lines.push('Classes');
  lines.push(...table(FLEET_CLASSES.map((k) => [`  ${CLASS_WORDS[k]}`, String(fleet.totals[k])])));
  lines.push('', 'By TFTP node');
  lines.push(
    ...table([
      ['  node', 'phones', ...FLEET_CLASSES.map((k) => CLASS_HEADS[k])],
      ...fleet.byTftp.map((t) => [`  ${t.node}`, String(t.phones), ...counts(t.classes)]),
    ]),
  );
  lines.push('', 'By TVS list');
  lines.push(
    ...table([
      ['  TVS list', 'phones', ...FLEET_CLASSES.map((k) => CLASS_HEADS[k])],
      ...fleet.byTvs.map((t) => [`  ${t.tvs.join(';') || '-'}`, String(t.phones), ...counts(t.classes)]),
    ]),
  );
  if (fleet.skipped.length > 0) {
    lines.push('', 'Not classed (their TFTP is no TFTP node of cluster.json)');
    for (const s of fleet.skipped) lines.push(`  ${s.device}  (phones.csv:${s.line}, TFTP ${s.tftp})`);
  }
  lines.push('', 'Phones');
  for (const phone of fleet.phones) lines.push(...phoneLines(phone).map((l) => `  ${l}`));
  return lines;
}
