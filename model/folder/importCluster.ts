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
import { createCertificate } from '../certs/certificate.ts';
import type { Identity } from '../certs/issueCertificate.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import type { NAME_ORDER, SubjectDefaults } from '../certs/names.ts';
import { buildNodeItl, certInputs, itlInputs, publisherOf } from '../cluster/buildItls.ts';
import type { ClusterState, NodeCerts, NodeState, PhoneState, TftpState } from '../cluster/clusterState.ts';
import { DEFAULT_OPTIONS, defaultIp } from '../cluster/install.ts';
import { storeItl, type StoredItl } from '../cluster/itlStore.ts';
import { itlRecoverySource } from '../cluster/recoveryKey.ts';
import { INITIAL_SIGNER, type SignerState } from '../cluster/signer.ts';
import { sha256Hex } from '../crypto/drbg.ts';
import type { CertKind } from '../events.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { Role } from '../itl/tags.ts';
import { capfOnEveryNode, hasItlRecovery, itlSigner, singleItlRecovery } from '../releases.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import { commonName, isItlRecoveryName } from './certNames.ts';
import { standInIdentity } from './standIn.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import type { FolderContents } from './readFolder.ts';
import { snapshot } from './snapshot.ts';
import type { HashMatch, Snapshot, SnapshotFile, SnapshotPhone, SnapshotRecord } from './snapshotTypes.ts';

/** The crypto an imported state replays with: symbolic, keyed by the real certificates' SHA-1. */
export const IMPORTED_CRYPTO: TrustCrypto['name'] = 'symbolic';

/**
 * A certificate the model needs and the folder does not show (a non-TFTP node's CallManager, a
 * subscriber's own ITLRecovery before 12.5, a CAPF before 14): the model issues its own in its place.
 */
export interface Placeholder {
  node: string;
  cert: CertKind;
}

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
    const m = /^\s*(OU|O|L|ST|C)\s*=\s*(.*?)\s*$/i.exec(part);
    const key = m?.[1]?.toUpperCase() as (typeof NAME_ORDER)[number] | undefined;
    if (m && key && key !== 'CN') result[key] = m[2]!;
  }
  return result;
}

/** Trusted files (verified or listings) first the served ones in node order, then history by newest TIMESTAMP. */
function trustedOrder(snap: Snapshot): SnapshotFile[] {
  const trusted = snap.files.filter((f) => f.signature.status !== 'failed');
  const served = trusted.filter((f) => f.place.kind === 'served');
  const history = trusted
    .filter((f) => f.place.kind === 'history')
    .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? ''));
  return [...served, ...history];
}

/** The first record, in the trusted files, that matches. */
function findRecord(files: SnapshotFile[], match: (r: SnapshotRecord) => boolean): SnapshotRecord | undefined {
  for (const file of files) {
    const found = file.records.find(match);
    if (found) return found;
  }
  return undefined;
}

const CALLMANAGER_ROLES: ReadonlySet<number> = new Set([Role.CCM, Role.CCM_TFTP, Role.TFTP]);

/** How a served ITL came to be served: the node's own build, the reset ITL, the rollback ITL, an attacker's, or a broken copy. */
type ServedForm = 'normal' | 'reset' | 'rollback' | 'forged' | 'corrupted';

/** What the folder says a node's served ITL is (docs/cluster-folder.md, "Import"). Pure. */
function servedForm(snap: Snapshot, file: SnapshotFile, node: string, publisher: string): ServedForm {
  if (file.signature.status === 'failed') return 'corrupted';
  const own = file.records.some(
    (r) => r.identity.kind === 'callManager' || r.identity.kind === 'itlRecovery' || r.identity.kind === 'tvs',
  );
  if (!own) return 'forged';
  if (!file.records.some((r) => r.role === Role.TFTP || r.role === Role.CCM_TFTP)) return 'rollback';
  const tftp = file.records.find((r) => r.role === Role.TFTP || r.role === Role.CCM_TFTP)!;
  const names = tftp.identity.kind === 'callManager' ? tftp.identity.node : undefined;
  if (names !== node && names === publisher) return 'reset';
  // The reset ITL of the publisher itself is told by its signer: the release's normal signer, or not.
  const normal = itlSigner(snap.cluster.version);
  const signer = file.signer.identity.kind;
  if (normal === 'callManager' && signer === 'itlRecovery') return 'reset';
  if (normal === 'itlRecovery' && signer === 'callManager') return 'reset';
  return 'normal';
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
  const publisherName = cluster.nodes.find((n) => n.role === 'publisher')!.name;
  const placeholders: Placeholder[] = [];
  const pubFqdn = cluster.nodes.find((n) => n.role === 'publisher')!.hostname ?? publisherName;
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

  // The cluster's ITLRecovery now: the publisher's served ITL's, else the first trusted one.
  const publisherSnap = snap.nodes.find((n) => n.name === publisherName)!;
  const recoveryRecord =
    (publisherSnap.itlRecovery &&
      findRecord(trusted, (r) => r.certSha1 === publisherSnap.itlRecovery!.certSha1 && r.cert !== undefined)) ??
    findRecord(trusted, (r) => r.identity.kind === 'itlRecovery' && r.cert !== undefined);
  const clusterRecovery = recoveryRecord ? standInIdentity(recoveryRecord, at) : undefined;
  const capfRecord = findRecord(trusted, (r) => r.identity.kind === 'capf' && r.certSha1 !== '');
  const publisherCapf = capfRecord ? standInIdentity(capfRecord, at) : undefined;

  // From 12.5 the cluster has one ITLRecovery, every node's: when no file shows it, the publisher's
  // placeholder (listed once, for the publisher), not one per node that a reset would tell apart.
  const sharedRecovery = singleItlRecovery(cluster.version)
    ? (clusterRecovery ??
      createPlaceholder(state, { id: publisherName, hostname: '', recoveryFqdn: pubFqdn }, 'ITLRecovery', at))
    : undefined;

  state.nodes = cluster.nodes.map((config, index): NodeState => {
    const found = snap.nodes[index]!;
    const fqdn = config.hostname ?? config.name;
    const hostname = domain !== '' && fqdn.endsWith(`.${domain}`) ? fqdn.slice(0, -domain.length - 1) : fqdn;
    const node: NodeState = {
      id: config.name,
      hostname,
      recoveryFqdn: fqdn,
      role: config.role,
      keyBits: 2048,
      ip: defaultIp(index),
      certs: {} as NodeCerts,
      generations: { CallManager: 0, TVS: 0, CAPF: 0, ITLRecovery: 0 },
      holdTimer: 'idle',
    };
    const placeholder = (kind: CertKind): Identity => {
      placeholders.push({ node: config.name, cert: kind });
      // Generation 0 of the model's own numbering; a regeneration goes on from 1.
      return {
        ...createPlaceholder(state, node, kind, at),
      };
    };
    const cmRecord =
      (found.callManager && findRecord(trusted, (r) => r.certSha1 === found.callManager!.certSha1 && !!r.cert)) ??
      findRecord(
        trusted,
        (r) =>
          CALLMANAGER_ROLES.has(r.role) &&
          r.identity.kind === 'callManager' &&
          r.identity.node === config.name &&
          !!r.cert,
      );
    const tvsRecord =
      (found.tvs && findRecord(trusted, (r) => r.certSha1 === found.tvs!.certSha1)) ??
      findRecord(trusted, (r) => r.identity.kind === 'tvs' && r.identity.node === config.name);
    const callManager = cmRecord ? standInIdentity(cmRecord, at) : placeholder('CallManager');
    node.keyBits = callManager.cert.bits === 1024 ? 1024 : 2048;
    const capf =
      config.role === 'publisher'
        ? (publisherCapf ?? placeholder('CAPF'))
        : capfOnEveryNode(cluster.version)
          ? placeholder('CAPF')
          : undefined;
    let recovery: Identity | undefined;
    if (hasItlRecovery(cluster.version)) {
      if (sharedRecovery) {
        recovery = sharedRecovery;
        if (!clusterRecovery && config.role === 'publisher')
          placeholders.push({ node: config.name, cert: 'ITLRecovery' });
      } else recovery = (config.role === 'publisher' && clusterRecovery) || placeholder('ITLRecovery');
      const cn = commonName(recovery.cert.subject);
      if (isItlRecoveryName(cn)) node.recoveryFqdn = cn.replace(/^ITLRECOVERY_/i, '');
    }
    node.certs = {
      CallManager: callManager,
      TVS: tvsRecord ? standInIdentity(tvsRecord, at) : placeholder('TVS'),
      ...(capf ? { CAPF: capf } : {}),
      ...(recovery ? { ITLRecovery: recovery } : {}),
    };
    if (recovery && recovery.cert.bits !== node.keyBits)
      node.certBits = { ITLRecovery: recovery.cert.bits === 4096 ? 4096 : recovery.cert.bits === 1024 ? 1024 : 2048 };
    return node;
  });

  // What each TFTP node serves.
  state.nodes = state.nodes.map((node) => {
    const config = cluster.nodes.find((n) => n.name === node.id)!;
    if (!config.tftp) return node;
    const served = snap.files.find(
      (f) => f.kind === 'itl' && f.place.kind === 'served' && f.place.node === node.id && f.sha1 !== undefined,
    );
    const form = served ? servedForm(snap, served, node.id, publisherName) : 'normal';
    const loadedRecord = served?.records.find((r) => r.identity.kind === 'itlRecovery' && !!r.cert);
    const loaded = loadedRecord ? standInIdentity(loadedRecord, at) : itlRecoverySource(state, node);
    const current = itlRecoverySource(state, node);
    const signer: SignerState = {
      ...INITIAL_SIGNER,
      recovery: loaded && current && loaded.cert.sha1 !== current.cert.sha1 ? 'pending' : 'loaded',
      rollback: state.parameters.prepareRollbackPre80 ? 'on' : 'off',
    };
    const tftp: TftpState = { normalItl: '', inputs: '', signer, ...(loaded ? { loadedItlRecovery: loaded } : {}) };
    const withTftp: NodeState = { ...node, tftp };
    if (served && form === 'normal') tftp.normalItl = served.sha1!;
    else {
      tftp.normalItl = normalItlOf(state, withTftp, at);
      if (served) {
        const sha1 = served.sha1!;
        if (form === 'reset') {
          tftp.resetItl = sha1;
          tftp.signer = { ...signer, serving: 'reset' };
          state.itls[sha1] = { ...state.itls[sha1]!, origin: 'reset' };
        } else if (form === 'rollback') {
          tftp.rollbackItl = sha1;
          tftp.signer = { ...signer, rollback: 'on' };
          state.itls[sha1] = { ...state.itls[sha1]!, origin: 'rollback', rollbackForm: true };
        } else if (form === 'forged') {
          const signerRecord = served.records[served.signer.recordIndex];
          const identity = signerRecord?.cert ? standInIdentity(signerRecord, at) : undefined;
          if (identity) {
            tftp.forgery = { itl: sha1, identity };
            tftp.signer = { ...signer, serving: 'forged' };
          }
          state.itls[sha1] = { ...state.itls[sha1]!, origin: 'forged' };
        } else if (form === 'corrupted') {
          tftp.corruption = { itl: sha1 };
          tftp.signer = { ...signer, file: 'corrupted' };
        }
      }
    }
    return withTftp;
  });
  // A22: an ITL takes the security mode at its node's next write; the mode it was built in is its TFTP record's role.
  for (const node of state.nodes)
    if (node.tftp) {
      const normal = state.itls[node.tftp.normalItl];
      const mode = normal?.records.some((r) => r.role === Role.CCM_TFTP) ? 'mixed' : 'non-secure';
      node.tftp.inputs = normal ? `${certInputs(state, node)}|${mode}` : itlInputs(state, node);
    }
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

/** Records compared as the rules see them: role and certificate, in order. */
function recordsKey(itl: StoredItl): string {
  return itl.records.map((r) => `${r.role}:${r.certSha1}`).join(',');
}

/**
 * The normal ITL of a node that serves another file now (the reset ITL, a broken copy…): the newest
 * file of the folder with the records and signer its build would have (it served it before), else
 * one the model builds and signs with the stand-in key (verified symbolically). Mutates `state.itls`.
 */
function normalItlOf(state: ClusterState, node: NodeState, at: string): string {
  const built = buildNodeItl(state, node, at);
  const key = recordsKey(built);
  const signer = built.records[built.signer.recordIndex]?.certSha1;
  const earlier = Object.values(state.itls)
    .filter(
      (f) =>
        !f.corrupted &&
        f.origin === 'normal' &&
        recordsKey(f) === key &&
        f.records[f.signer.recordIndex]?.certSha1 === signer,
    )
    .sort((a, b) => timestampOf(b) - timestampOf(a))[0];
  if (earlier) return earlier.sha1;
  state.itls[built.sha1] = built;
  return built.sha1;
}

/** A stored file's TIMESTAMP (Unix seconds), 0 when it has no bytes. */
function timestampOf(itl: StoredItl): number {
  if (itl.bytes === '') return 0;
  const bytes = Buffer.from(itl.bytes, 'base64');
  try {
    return decodeItl(bytes).timestamp ?? 0;
  } catch {
    return 0;
  }
}

/** A certificate the folder does not show, issued by the model (generation 0 of its own numbering). */
function createPlaceholder(
  state: ClusterState,
  node: Pick<NodeState, 'id' | 'hostname' | 'recoveryFqdn'>,
  kind: CertKind,
  at: string,
): Identity {
  const cn =
    kind === 'ITLRecovery'
      ? `ITLRECOVERY_${node.recoveryFqdn}`
      : kind === 'CAPF'
        ? `CAPF-${sha256Hex(`${state.seed}/${node.id}`).slice(0, 8)}`
        : state.domain
          ? `${node.hostname}.${state.domain}`
          : node.hostname;
  const key: KeyRef = { seed: `placeholder:${state.seed}/${node.id}/${kind}`, bits: 1024 };
  const cert = createCertificate({
    key,
    name: { CN: cn, ...state.subject },
    serialSeed: key.seed,
    notBefore: at,
    validityYears: 5,
  });
  return { cert, key };
}
