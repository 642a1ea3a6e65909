/**
 * A cluster folder as a starting state of the model (docs/cluster-folder.md, "Import"): the nodes
 * with the certificates their files show, every ITL and CTL of the folder as a stored file, the phones
 * of phones.csv holding the files their hashes are. The folder holds no private key, so every
 * certificate read from it gets a stand-in identity: the real certificate (its SHA-1, serial, issuer,
 * subject) with a key reference of its own (`standInKey`, model/folder/standIn.ts). What the model signs later with such a key
 * verifies symbolically (model/trust/symbolicCrypto.ts: a file is signed by a certificate when its
 * signer record is that certificate), and the imported files were verified for real here, so an
 * imported state replays with the symbolic crypto (`IMPORTED_CRYPTO`). A property on generated
 * clusters keeps import-then-replay equal to a full replay with real keys
 * (model/folder/importCluster.prop.test.ts). Pure.
 */
import type { NAME_ORDER, SubjectDefaults } from '../certs/names.ts';
import { publisherOf } from '../cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { DEFAULT_OPTIONS } from '../cluster/install.ts';
import { storeItl, type StoredItl } from '../cluster/itlStore.ts';
import { sha256Hex } from '../crypto/drbg.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import { findRecord, importNodes, serveTftp, type Placeholder } from './importNodes.ts';
import type { FolderContents } from './readFolder.ts';
import { snapshot } from './snapshot.ts';
import type { HashMatch, Snapshot, SnapshotFile, SnapshotPhone } from './snapshotTypes.ts';
import { compareText } from '../names.ts';

/** The crypto an imported state replays with: symbolic, keyed by the real certificates' SHA-1. */
export const IMPORTED_CRYPTO: TrustCrypto['name'] = 'symbolic';

/** A phone of phones.csv the model cannot hold: its TFTP is no TFTP node of cluster.json. */
export interface SkippedPhone {
  device: string;
  line: number;
  tftp: string;
}

/** What each phone is taken to hold, from the hash it reports. */
export type HeldFile =
  /** A file of the folder (served now or in history/): `file` is its path. */
  | { held: 'known'; sha1: string; file: string; match: 'current' | 'other-node' | 'history' }
  /** A hash no file explains (another cluster's file): a file with no record stands in for it. */
  | { held: 'foreign'; hash: string }
  /** No hash reported: the phone is taken to hold a file the model knows nothing of, like a foreign one. */
  | { held: 'unknown' };

/** A folder imported: the model's state, the snapshot it was made from, and what had to be assumed. */
export type { Placeholder } from './importNodes.ts';

export interface ImportedCluster {
  state: ClusterState;
  /** cluster.json, read (its version history and backup evidence are not part of the state). */
  config: ClusterConfig;
  snapshot: Snapshot;
  placeholders: Placeholder[];
  skipped: SkippedPhone[];
  /** Per phone of `state.phones` (same order): what its ITL hash was taken to be. */
  held: HeldFile[];
  /** The time the folder was taken at: the newest TIMESTAMP of its files (a continuation log starts after it). */
  at: string;
}

/** The organisation part of a CUCM name (`CN=…;OU=…;O=…`). Pure. */
function subjectDefaults(subject: string): SubjectDefaults {
  const result: SubjectDefaults = {};
  for (const part of subject.split(/[;,]/)) {
    // Trimmed after the match (as certNames.ts commonName): a lazy group before `\s*$` is O(n²) on spaces.
    const m = /^\s*(OU|O|L|ST|C)\s*=([\s\S]*)$/i.exec(part);
    const key = m?.[1]?.toUpperCase() as (typeof NAME_ORDER)[number] | undefined;
    if (m && key && key !== 'CN') result[key] = m[2]!.trim();
  }
  return result;
}

/** Trusted files (verified or listings) first the served ones in node order, then history by newest TIMESTAMP. */
function trustedOrder(snap: Snapshot): SnapshotFile[] {
  const trusted = snap.files.filter((f) => f.signature.status !== 'failed');
  const served = trusted.filter((f) => f.place.kind === 'served');
  const history = trusted
    .filter((f) => f.place.kind === 'history')
    .sort((a, b) => compareText(b.modified ?? '', a.modified ?? ''));
  return [...served, ...history];
}

/** A stored ITL of a folder file: decoded from its bytes, or (a listing) its records with no bytes. */
function storedOf(contents: FolderContents, file: SnapshotFile, origin: StoredItl['origin']): StoredItl | undefined {
  const node = file.place.kind === 'served' ? file.place.node : '';
  const source = contents.files.find((f) => f.path === file.path);
  if (source?.form === 'binary') {
    const stored = storeItl(source.bytes, file.kind === 'ctl' ? 'ctl' : origin, node);
    return file.signature.status === 'failed' ? { ...stored, corrupted: true } : stored;
  }
  if (file.sha1 === undefined) return undefined;
  return {
    sha1: file.sha1,
    md5: file.md5 ?? '',
    length: file.length ?? 0,
    bytes: '',
    origin: file.kind === 'ctl' ? 'ctl' : origin,
    node,
    signer: {
      subject: file.signer.subject,
      serial: file.signer.serial,
      issuer: file.signer.issuer,
      recordIndex: file.signer.recordIndex,
    },
    records: file.records.map(({ role, subject, issuer, serial, certSha1 }) => ({
      role,
      subject,
      issuer,
      serial,
      certSha1,
    })),
  };
}

/** The stand-in for a file nobody has (a foreign or unreported hash): no record, so nothing verifies with it. */
function unknownItl(sha1: string): StoredItl {
  return {
    sha1,
    md5: '',
    length: 0,
    bytes: '',
    origin: 'forged',
    node: '',
    signer: { subject: '', serial: '', issuer: '', recordIndex: -1 },
    records: [],
  };
}

/** The key of the stand-in file of a phone that reported no hash. */
export const UNKNOWN_ITL = 'unknown';

/** The ITL a phone's reported hash is, as `HeldFile`. Pure. */
function heldOf(match: HashMatch, snap: Snapshot): HeldFile {
  switch (match.match) {
    case 'unknown':
      return { held: 'unknown' };
    case 'unexplained':
      return { held: 'foreign', hash: match.hash };
    default: {
      const file = snap.files.find((f) => f.path === match.file)!;
      return { held: 'known', sha1: file.sha1!, file: file.path, match: match.match };
    }
  }
}

/** The newest TIMESTAMP of the folder's binary files (ISO), or the Unix epoch when none has one. */
function folderTime(snap: Snapshot): string {
  let newest = '';
  for (const f of snap.files)
    if (f.source === 'binary' && f.modified !== undefined && f.modified > newest) newest = f.modified;
  return newest === '' ? '1970-01-01T00:00:00.000Z' : new Date(newest).toISOString();
}

/** The node ids of a phone's TVS list that are nodes of the folder (others cannot be asked). */
function tvsIds(phone: SnapshotPhone, snap: Snapshot): string[] {
  const ids: string[] = [];
  for (const name of phone.tvs) {
    const key = name.toLowerCase();
    const node = snap.nodes.find(
      (n) =>
        n.name.toLowerCase() === key ||
        n.hostname?.toLowerCase() === key ||
        n.hostname?.toLowerCase().split('.')[0] === key,
    );
    if (node && !ids.includes(node.name)) ids.push(node.name);
  }
  return ids;
}

/**
 * Imports a folder `parseFolder` read: the model's `ClusterState` continuing from what the files
 * show. Pure (the stand-in keys are derived, never random).
 */
export function importCluster(contents: FolderContents, snap: Snapshot = snapshot(contents)): ImportedCluster {
  const { cluster } = contents;
  const at = folderTime(snap);
  const trusted = trustedOrder(snap);
  const publisher = cluster.nodes.find((n) => n.role === 'publisher')!;
  const placeholders: Placeholder[] = [];
  const pubFqdn = publisher.hostname ?? publisher.name;
  const domain = pubFqdn.includes('.') ? pubFqdn.slice(pubFqdn.indexOf('.') + 1) : '';
  const anyCallManager = findRecord(trusted, (r) => r.identity.kind === 'callManager');
  const state: ClusterState = {
    version: cluster.version,
    domain,
    subject: anyCallManager ? subjectDefaults(anyCallManager.subject) : {},
    seed: sha256Hex(`import:${snap.files.map((f) => f.sha1 ?? f.path).join(',')}`).slice(0, 16),
    nodes: [],
    phones: [],
    itls: {},
    backups: [],
    itlRecoveryBackedUp: false,
    forgeries: 0,
    // The cluster security password is not in the folder: a backup made from here is the model's own.
    secrets: { p12Password: sha256Hex('import:no-password').slice(0, 16) },
    options: DEFAULT_OPTIONS,
    securityMode: cluster.securityMode,
    ctl: null,
    parameters: {
      prepareRollbackPre80: cluster.parameters.prepareRollbackPre80 ?? false,
      phoneInteractionOnCertificateUpdate: cluster.parameters.phoneInteractionOnCertificateUpdate ?? 'automatic',
    },
    // H13 counts the day from when the parameter turned True; the folder shows only that it is True now,
    // so the count starts at the folder's time (the latest it can have turned True).
    ...(cluster.parameters.prepareRollbackPre80 ? { rollbackSince: at } : {}),
    ctlStale: false,
    reuses: 0,
    activeHazards: [],
  };

  // Every file of the folder, as the model stores files.
  for (const file of snap.files) {
    if (file.sha1 === undefined || state.itls[file.sha1]) continue;
    const stored = storedOf(contents, file, 'normal');
    if (stored) state.itls[stored.sha1] = stored;
  }

  state.nodes = importNodes(state, cluster, snap, trusted, at, placeholders);
  serveTftp(state, cluster, snap, at);
  const ctlFile = snap.files.find((f) => f.kind === 'ctl' && f.place.kind === 'served' && f.sha1 !== undefined);
  if (ctlFile) state.ctl = ctlFile.sha1!;

  // The phones.
  const skipped: SkippedPhone[] = [];
  const held: HeldFile[] = [];
  const phones: PhoneState[] = [];
  for (const phone of snap.phones) {
    const node = phone.tftpNode !== undefined ? state.nodes.find((n) => n.id === phone.tftpNode) : undefined;
    if (!node?.tftp) {
      skipped.push({ device: phone.device, line: phone.line, tftp: phone.tftp });
      continue;
    }
    const itl = heldOf(phone.itl, snap);
    held.push(itl);
    let sha1: string;
    if (itl.held === 'known') sha1 = itl.sha1;
    else {
      sha1 = itl.held === 'foreign' ? itl.hash : UNKNOWN_ITL;
      state.itls[sha1] ??= unknownItl(sha1);
    }
    const ctl = heldOf(phone.ctl, snap);
    const online = phone.status !== 'Unregistered';
    const imported: PhoneState = {
      id: phone.device,
      tftp: node.id,
      tvs: tvsIds(phone, snap),
      firmware: phone.firmware ?? '',
      online,
      itl: sha1,
      trust: 'trusted',
      status: 'Trust List Updated',
      configAccepted: online,
      hasConfig: online,
    };
    if (ctl.held === 'known') imported.ctl = { file: ctl.sha1, state: 'installed', rule: 'C1', failures: [], event: 0 };
    phones.push(imported);
  }
  state.phones = phones;
  // A check, not a choice: the publisher exists (cluster.json has exactly one).
  publisherOf(state);
  return { state, config: cluster, snapshot: snap, placeholders, skipped, held, at };
}
