/**
 * `preflight`: the hazards a cluster folder shows (docs/rules.md §18; docs/cluster-folder.md,
 * "preflight"). The model's own hazard predicates (model/cluster/hazards.ts, H1–H13) run on the
 * imported state; the folder adds what only it can show: a file near the size a phone loads, no
 * evidence of an ITLRecovery backup, an upgrade path of FN70613 in cluster.json's `versions`, phones
 * holding ITLs without the current ITLRecovery, unregistered phones. Each hazard has a severity, the
 * evidence (file and record or line) and the phones it is about. Pure.
 */
import { publisherOf, servedItl } from '../cluster/buildItls.ts';
import { HAZARD_IDS, stateHazards, type HazardKind } from '../cluster/hazards.ts';
import { Role } from '../itl/tags.ts';
import { hasItlRecovery, upgradeRegeneratesItlRecovery } from '../releases.ts';
import { ITL_MAX_BYTES, ITL_MAX_RECORDS } from '../trust/itlRules.ts';
import { CLUSTER_JSON } from './clusterConfig.ts';
import type { ImportedCluster } from './importCluster.ts';
import { PHONES_CSV } from './phonesCsv.ts';
import type { Location, SnapshotFile } from './snapshotTypes.ts';

/** How bad a hazard is: `high` makes `preflight` exit 1 (a change should wait). */
export type Severity = 'high' | 'medium' | 'low';

/** The hazards only a folder shows, beside the model's. */
export type FolderHazardKind =
  /** F1: a served ITL within 10% of what a phone loads (records or bytes): the next node or certificate may tip it over (H2). */
  | 'itl-near-limit'
  /** F2: nothing says ITLRecovery.p12 was saved: remotekey has nothing to sign with. */
  | 'no-backup-evidence'
  /** F3: the version history holds a refresh upgrade that regenerated ITLRecovery (FN70613). */
  | 'fn70613-upgrade-path'
  /** F4: phones whose ITL holds an ITLRecovery record, but not the cluster's current one. */
  | 'itl-without-current-itlrecovery'
  /** F5: phones phones.csv says are unregistered: they miss every reset. */
  | 'unregistered-phones'
  /** F6: phones reporting an ITL no file of the folder is (another cluster's?), or none: nothing the cluster serves is sure to reach them. */
  | 'unknown-itl';

/** The rule ids of the folder hazards. */
export const FOLDER_HAZARD_IDS: Record<FolderHazardKind, string> = {
  'itl-near-limit': 'F1',
  'no-backup-evidence': 'F2',
  'fn70613-upgrade-path': 'F3',
  'itl-without-current-itlrecovery': 'F4',
  'unregistered-phones': 'F5',
  'unknown-itl': 'F6',
};

/** Facts a hazard is decided on, as numbers and names (cli/ says them). */
export interface HazardFacts {
  /** Key sizes (H1). */
  itlRecoveryBits?: number;
  callManagerBits?: number;
  /** Sizes (H2, F1). */
  files?: Array<{ file: string; records: number; bytes: number }>;
  /** H4: the certificate's end of validity and the days left at `at`. */
  notAfter?: string;
  daysLeft?: number;
  /** F3: the upgrade that regenerated ITLRecovery. */
  upgrade?: { from: string; to: string };
  /** F2: when the last backup was, if cluster.json says. */
  backupAt?: string;
}

/** One hazard found. */
export interface PreflightHazard {
  kind: HazardKind | FolderHazardKind;
  /** H1–H13 (docs/rules.md §18) or F1–F6 (folder evidence). */
  id: string;
  severity: Severity;
  /** Where it shows: files and records, phones.csv lines, cluster.json lines. */
  evidence: Location[];
  phones: string[];
  nodes: string[];
  facts: HazardFacts;
}

/** A preflight of a folder. */
export interface Preflight {
  /** The time the hazards are judged at (validity, windows): the folder's newest file TIMESTAMP unless given. */
  at: string;
  hazards: PreflightHazard[];
  counts: Record<Severity, number>;
}

/** The severity of each model hazard. */
const MODEL_SEVERITY: Record<HazardKind, Severity> = {
  'itlrecovery-1024-bit': 'medium',
  'itl-too-large': 'high',
  'itlrecovery-expiring': 'medium',
  'itlrecovery-expired': 'high',
  fn70613: 'high',
  'cm-tvs-itlrecovery-stranded': 'high',
  'non-sbd-ctl-signer-unknown': 'high',
  'callmanager-signed-reset-itl': 'medium',
  'ctl-not-updated': 'medium',
  'itlrecovery-regenerated-before-ctl': 'medium',
  'itl-without-itlrecovery': 'high',
  'offline-during-regeneration': 'medium',
  'rollback-parameter-left-true': 'medium',
};

/** A served file's size is near what a phone loads: more than 90% of the records or bytes. */
export const NEAR_LIMIT = 0.9;

/** Hazards of a folder, in the order found (model hazards first, then the folder's). Pure. */
export function preflight(imported: ImportedCluster, at: string = imported.at): Preflight {
  const { state, snapshot: snap } = imported;
  const hazards: PreflightHazard[] = [];
  const lineOf = new Map(snap.phones.map((p) => [p.device, p.line]));
  const phoneEvidence = (phones: string[]): Location[] =>
    phones.slice(0, 20).map((id) => ({ file: PHONES_CSV, line: lineOf.get(id)! }));
  const servedFile = (node: string): SnapshotFile | undefined =>
    snap.files.find((f) => f.place.kind === 'served' && f.place.node === node && f.kind === 'itl');
  const publisher = publisherOf(state);
  const pubFile = servedFile(publisher.id) ?? snap.files.find((f) => f.place.kind === 'served' && f.kind === 'itl');
  const recoveryRecord = pubFile?.records.find(
    (r) => r.role === Role.SAST && r.certSha1 === publisher.certs.ITLRecovery?.cert.sha1,
  );
  const cmRecord = pubFile?.records.find((r) => r.certSha1 === publisher.certs.CallManager.cert.sha1);
  const sizes = (nodes: string[]) =>
    nodes.flatMap((id) => {
      const file = servedFile(id);
      return file ? [{ file: file.path, records: file.records.length, bytes: file.length ?? 0 }] : [];
    });

  // A phone whose ITL the folder does not hold is F6's, not the model's: its stand-in file has no record.
  const unknown = new Set(state.phones.filter((_, i) => imported.held[i]?.held !== 'known').map((p) => p.id));
  for (const hazard of stateHazards(state, at)) {
    const nodes = hazard.nodes ?? [];
    const phones = (hazard.phones ?? []).filter((id) => !unknown.has(id));
    if (hazard.phones !== undefined && phones.length === 0) continue;
    const facts: HazardFacts = {};
    let evidence: Location[] = [];
    switch (hazard.kind) {
      case 'itlrecovery-1024-bit':
        facts.itlRecoveryBits = publisher.certs.ITLRecovery?.cert.bits;
        facts.callManagerBits = publisher.certs.CallManager.cert.bits;
        evidence = [recoveryRecord?.at, cmRecord?.at].filter((l): l is Location => l !== undefined);
        break;
      case 'itl-too-large':
        facts.files = sizes(nodes);
        evidence = facts.files.map((f) => ({ file: f.file }));
        break;
      case 'itlrecovery-expiring':
      case 'itlrecovery-expired': {
        const notAfter = publisher.certs.ITLRecovery!.cert.notAfter;
        facts.notAfter = notAfter;
        facts.daysLeft = Math.floor((Date.parse(notAfter) - Date.parse(at)) / 86_400_000);
        evidence = recoveryRecord ? [recoveryRecord.at] : [];
        break;
      }
      default:
        evidence = phoneEvidence(phones);
    }
    hazards.push({
      kind: hazard.kind,
      id: HAZARD_IDS[hazard.kind],
      severity: MODEL_SEVERITY[hazard.kind],
      evidence,
      phones,
      nodes,
      facts,
    });
  }

  // F1: near the limit (and not over it: H2 says that).
  const near = state.nodes.filter((n) => {
    const itl = n.tftp ? state.itls[servedItl(n)!] : undefined;
    if (!itl) return false;
    const over = itl.records.length > ITL_MAX_RECORDS || itl.length > ITL_MAX_BYTES;
    return !over && (itl.records.length > NEAR_LIMIT * ITL_MAX_RECORDS || itl.length > NEAR_LIMIT * ITL_MAX_BYTES);
  });
  if (near.length > 0) {
    const files = sizes(near.map((n) => n.id));
    hazards.push(
      folderHazard(
        'itl-near-limit',
        'medium',
        files.map((f) => ({ file: f.file })),
        [],
        near.map((n) => n.id),
        { files },
      ),
    );
  }

  // F2: no evidence of a backup of ITLRecovery.p12.
  const config = imported.config;
  if (hasItlRecovery(state.version)) {
    const backup = config.itlRecoveryBackup;
    const recoveryFrom = publisher.certs.ITLRecovery?.cert.notBefore;
    if (!backup)
      hazards.push(folderHazard('no-backup-evidence', 'medium', [{ file: CLUSTER_JSON }], [], [publisher.id], {}));
    else if (recoveryFrom && Date.parse(backup.at) < Date.parse(recoveryFrom))
      // The backup is older than the ITLRecovery certificate: it holds an older key.
      hazards.push(
        folderHazard('no-backup-evidence', 'medium', [{ file: CLUSTER_JSON, line: backup.line }], [], [publisher.id], {
          backupAt: backup.at,
        }),
      );
  }

  // F3: FN70613 in the version history.
  const versions = config.versions;
  if (versions) {
    const list = versions.list;
    for (let i = 1; i < list.length; i++)
      if (upgradeRegeneratesItlRecovery(list[i - 1]!, list[i]!, 'refresh')) {
        const affected = phonesWithout(imported);
        hazards.push(
          folderHazard(
            'fn70613-upgrade-path',
            affected.length > 0 ? 'high' : 'medium',
            [{ file: CLUSTER_JSON, line: versions.line }, ...phoneEvidence(affected)],
            affected,
            [],
            { upgrade: { from: list[i - 1]!, to: list[i]! } },
          ),
        );
      }
  }

  // F4: phones whose ITL holds an ITLRecovery record that is not the current one (H11 says those with none).
  const without = phonesWithout(imported);
  if (without.length > 0)
    hazards.push(folderHazard('itl-without-current-itlrecovery', 'high', phoneEvidence(without), without, [], {}));

  // F5: unregistered phones.
  const unregistered = snap.phones.filter((p) => p.status === 'Unregistered').map((p) => p.device);
  if (unregistered.length > 0)
    hazards.push(folderHazard('unregistered-phones', 'medium', phoneEvidence(unregistered), unregistered, [], {}));

  // F6: phones holding an ITL the folder does not explain (high when a hash names another file: it locks on this cluster's).
  if (unknown.size > 0) {
    const foreign = state.phones.some((_, i) => imported.held[i]?.held === 'foreign');
    const ids = [...unknown];
    hazards.push(folderHazard('unknown-itl', foreign ? 'high' : 'medium', phoneEvidence(ids), ids, [], {}));
  }

  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const h of hazards) counts[h.severity]++;
  return { at, hazards, counts };
}

/** Phones holding a known ITL with an ITLRecovery record other than the cluster's current one. Pure. */
function phonesWithout(imported: ImportedCluster): string[] {
  const { state } = imported;
  const current = publisherOf(state).certs.ITLRecovery?.cert.sha1;
  if (current === undefined) return [];
  return state.phones
    .filter((p, i) => {
      if (imported.held[i]?.held !== 'known') return false;
      const itl = state.itls[p.itl!]!;
      const recoveries = itl.records.filter(
        (r) => r.role === Role.SAST && /(^|[;,]\s*)CN=ITLRECOVERY_/i.test(r.subject),
      );
      return recoveries.length > 0 && !recoveries.some((r) => r.certSha1 === current);
    })
    .map((p) => p.id);
}

function folderHazard(
  kind: FolderHazardKind,
  severity: Severity,
  evidence: Location[],
  phones: string[],
  nodes: string[],
  facts: HazardFacts,
): PreflightHazard {
  return { kind, id: FOLDER_HAZARD_IDS[kind], severity, evidence, phones, nodes, facts };
}
