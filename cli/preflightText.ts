import type { HazardKind } from '../model/cluster/hazards.ts';
import type { FolderHazardKind, Preflight, PreflightHazard } from '../model/folder/preflight.ts';
import type { Location } from '../model/folder/snapshotTypes.ts';

/** What each hazard means, in a line (docs/rules.md §18; docs/cluster-folder.md, "preflight"). */
export const HAZARD_WORDS: Readonly<Record<HazardKind | FolderHazardKind, string>> = {
  'itlrecovery-1024-bit': 'the ITLRecovery key is 1024-bit while CallManager is 2048-bit',
  'itl-too-large':
    'a served ITL is larger than a phone loads (more than 39 records or 64 KB): phones keep their ITL and do not register',
  'itlrecovery-expiring': 'the ITLRecovery certificate expires soon',
  'itlrecovery-expired': 'the ITLRecovery certificate has expired',
  fn70613: 'an upgrade that regenerates ITLRecovery (FN70613)',
  'cm-tvs-itlrecovery-stranded':
    'phones whose ITL knows neither the signer offered, nor a TVS of their list, nor the key utils itl reset localkey signs with',
  'non-sbd-ctl-signer-unknown': 'devices without Security By Default holding a CTL whose signer they do not know',
  'callmanager-signed-reset-itl': 'a reset ITL signed by the CallManager key',
  'ctl-not-updated': 'certificates the CTL holds changed after the CTL was written (utils ctl update CTLFile)',
  'itlrecovery-regenerated-before-ctl': 'ITLRecovery regenerated before the CTL was updated',
  'itl-without-itlrecovery': 'phones hold an ITL without an ITLRecovery record: utils itl reset cannot reach them',
  'offline-during-regeneration': 'phones offline during a regeneration',
  'rollback-parameter-left-true': 'Prepare Cluster for Rollback to pre-8.0 left True',
  'itl-near-limit': 'a served ITL is within 10% of what a phone loads (39 records, 64 KB)',
  'no-backup-evidence':
    'no evidence that ITLRecovery.p12 was saved since the ITLRecovery certificate was made (cluster.json "itlRecoveryBackup"): utils itl reset remotekey has no key to sign with',
  'fn70613-upgrade-path': 'the version history holds a refresh upgrade that regenerated ITLRecovery (FN70613)',
  'itl-without-current-itlrecovery': "phones hold an ITL whose ITLRecovery record is not the cluster's current one",
  'unregistered-phones': 'phones phones.csv says are unregistered: they miss every reset',
  'unknown-itl':
    "phones report an ITL no file of the folder is (another cluster's?) or none: they need their ITL deleted unless it is found",
};

/** `FILE:LINE`, `FILE: offset N` or `FILE`. Pure. */
export function locationText(at: Location): string {
  if (at.line !== undefined) return `${at.file}:${at.line}`;
  if (at.offset !== undefined) return `${at.file}: offset ${at.offset}`;
  return at.file;
}

/** The facts of a hazard, in words. Pure. */
function factsText(h: PreflightHazard): string | undefined {
  const f = h.facts;
  if (f.itlRecoveryBits !== undefined)
    return `ITLRecovery ${f.itlRecoveryBits}-bit, CallManager ${f.callManagerBits}-bit`;
  if (f.files) return f.files.map((x) => `${x.file}: ${x.records} records, ${x.bytes} bytes`).join('; ');
  if (f.notAfter !== undefined) return `valid until ${f.notAfter} (${f.daysLeft} days left)`;
  if (f.upgrade) return `${f.upgrade.from} -> ${f.upgrade.to}`;
  if (f.backupAt) return `the last backup (${f.backupAt}) is older than the ITLRecovery certificate`;
  return undefined;
}

const MAX_LISTED = 10;

function hazardLines(h: PreflightHazard): string[] {
  const head = `${h.severity.toUpperCase().padEnd(6)}  ${h.id.padEnd(3)}  ${h.kind}: ${HAZARD_WORDS[h.kind]}`;
  const facts = factsText(h);
  const phones = h.phones.length
    ? `phones (${h.phones.length}): ${h.phones.slice(0, MAX_LISTED).join(', ')}${h.phones.length > MAX_LISTED ? ', ...' : ''}`
    : undefined;
  return [
    head,
    ...(facts ? [`               ${facts}`] : []),
    ...(h.evidence.length
      ? [`               evidence: ${h.evidence.slice(0, MAX_LISTED).map(locationText).join(', ')}`]
      : []),
    ...(h.nodes.length ? [`               nodes: ${h.nodes.join(', ')}`] : []),
    ...(phones ? [`               ${phones}`] : []),
  ];
}

/** The preflight in words: a summary, then every hazard, high first. Pure. */
export function preflightText(dir: string, result: Preflight): string[] {
  const order = { high: 0, medium: 1, low: 2 };
  const sorted = [...result.hazards].sort((a, b) => order[a.severity] - order[b.severity]);
  const { high, medium, low } = result.counts;
  const lines = [
    `Preflight of ${dir} as of ${result.at}: ${high} high, ${medium} medium, ${low} low`,
    high > 0 ? 'Verdict: NOT ready for a change (high-severity hazards)' : 'Verdict: no high-severity hazard',
    '',
  ];
  for (const h of sorted) lines.push(...hazardLines(h));
  if (sorted.length === 0) lines.push('No hazard found.');
  return lines;
}
