import { commonName } from '../model/folder/certNames.ts';
import {
  MATCH_CLASSES,
  type CertRef,
  type HashMatch,
  type RecordIdentity,
  type Snapshot,
  type SnapshotFile,
} from '../model/folder/snapshot.ts';
import { verdictReason } from '../model/itl/showItlFields.ts';
import { issueText, locatedText, shortHash } from './snapshotIssueText.ts';

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

const MATCH_WORDS: Readonly<Record<HashMatch['match'], string>> = {
  current: 'current',
  'other-node': 'other node',
  history: 'history',
  unexplained: 'unexplained',
  unknown: 'unknown',
};

function identityText(identity: RecordIdentity): string {
  switch (identity.kind) {
    case 'callManager':
      return `CallManager of ${identity.node ?? 'no node of cluster.json'}`;
    case 'tvs':
      return `TVS of ${identity.node ?? 'no node of cluster.json'}`;
    case 'itlRecovery':
      return 'ITLRecovery';
    case 'capf':
      return 'CAPF';
    case 'other':
      return 'another certificate';
  }
}

function signatureText(file: SnapshotFile): string {
  const s = file.signature;
  if (s.status === 'verified') return 'verified';
  if (s.status === 'failed') return `FAILED: ${verdictReason(s.verdict, file.kind)}`;
  const says =
    s.listingSays === undefined
      ? ''
      : s.listingSays
        ? ' (the listing says verified)'
        : ' (the listing says NOT verified)';
  return `from text: signature not verifiable${says}`;
}

function cert(ref: CertRef | undefined): string {
  return ref ? shortHash(ref.certSha1) : '-';
}

function matchText(match: HashMatch): string {
  switch (match.match) {
    case 'unknown':
      return 'unknown (no hash reported)';
    case 'current':
      return `current: ${match.file}`;
    case 'other-node':
      return `other node: ${match.file} (served by ${match.nodes.join(', ')})`;
    case 'history':
      return `history: ${match.file}`;
    case 'unexplained':
      return 'unexplained: no file of the folder';
  }
}

function countsText(counts: Record<HashMatch['match'], number>): string {
  return MATCH_CLASSES.map((c) => `${counts[c]} ${MATCH_WORDS[c]}`).join(', ');
}

/** The human report of a snapshot: the cluster, its nodes, its files, its phones and every inconsistency. Pure. */
export function snapshotText(dir: string, snap: Snapshot): string[] {
  const { cluster, summary } = snap;
  const recovery = {
    none: 'no ITLRecovery',
    'per-node': 'one ITLRecovery per node',
    'per-cluster': 'one ITLRecovery per cluster',
  };
  const lines = [
    `Cluster folder ${dir}: CUCM ${cluster.version}, ${cluster.securityMode}; ITLs signed by ${cluster.release.itlSigner === 'itlRecovery' ? 'ITLRecovery' : "each TFTP node's CallManager"} (${recovery[cluster.release.itlRecovery]})`,
    '',
    'Nodes (certificates by SHA-1)',
    ...table([
      ['node', 'role', 'TFTP', 'hostname', 'serves ITL', 'CallManager', 'TVS', 'ITLRecovery'],
      ...snap.nodes.map((n) => {
        const itl = snap.files.find((f) => f.path === n.serves.itl);
        return [
          n.name,
          n.role,
          n.tftp ? 'yes' : 'no',
          n.hostname ?? '-',
          itl ? `${shortHash(itl.sha1)}${itl.source === 'text' ? ' (text)' : ''}` : '-',
          cert(n.callManager),
          cert(n.tvs),
          cert(n.itlRecovery),
        ];
      }),
    ]),
    '',
    'Files',
    ...table([
      ['file', 'kind', 'served by', 'sha1', 'signer', 'signature'],
      ...snap.files.map((f) => [
        f.path,
        f.kind.toUpperCase(),
        f.servedBy.length ? f.servedBy.join(',') : '-',
        shortHash(f.sha1),
        `${identityText(f.signer.identity)} (${commonName(f.signer.subject) || f.signer.subject})`,
        signatureText(f),
      ]),
    ]),
    '',
    `Phones: ${summary.phones} (${summary.unregistered} unregistered); ITL: ${countsText(summary.itl)}`,
  ];
  const withCtl = cluster.securityMode === 'mixed' || snap.phones.some((p) => p.ctl.match !== 'unknown');
  if (withCtl) lines.push(`CTL: ${countsText(summary.ctl)}`);
  if (snap.phones.length > 0)
    lines.push(
      ...table([
        ['phone', 'status', 'tftp', 'ITL hash', 'ITL', ...(withCtl ? ['CTL'] : [])],
        ...snap.phones.map((p) => [
          p.device,
          p.status,
          p.tftp,
          p.itl.match === 'unknown' ? '-' : shortHash(p.itl.hash),
          matchText(p.itl),
          ...(withCtl ? [matchText(p.ctl)] : []),
        ]),
      ]),
    );
  lines.push('');
  if (snap.issues.length === 0) lines.push('Inconsistencies: none');
  else {
    lines.push(`Inconsistencies: ${snap.issues.length}`);
    for (const issue of snap.issues) lines.push(locatedText(dir, issue.at, issueText(issue)));
  }
  return lines;
}
