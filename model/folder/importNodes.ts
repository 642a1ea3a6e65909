/**
 * The nodes of an imported cluster folder (importCluster.ts): each node's certificates, the stand-in
 * identities of the real ones the folder shows and placeholders for those it does not, and what each
 * TFTP node serves (its own ITL, the reset or rollback ITL, an attacker's, or a broken copy), with the
 * ITL it would build itself. Pure but for the noted mutations of the state being imported.
 */
import { createCertificate } from '../certs/certificate.ts';
import type { Identity } from '../certs/issueCertificate.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import { buildNodeItl, certInputs, itlInputs } from '../cluster/buildItls.ts';
import type { ClusterState, NodeCerts, NodeState, TftpState } from '../cluster/clusterState.ts';
import { defaultIp } from '../cluster/install.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { itlRecoverySource } from '../cluster/recoveryKey.ts';
import { INITIAL_SIGNER, type SignerState } from '../cluster/signer.ts';
import { sha256Hex } from '../crypto/drbg.ts';
import type { CertKind } from '../events.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { Role } from '../itl/tags.ts';
import { capfOnEveryNode, hasItlRecovery, itlSigner, singleItlRecovery } from '../releases.ts';
import { commonName, isItlRecoveryName } from './certNames.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import { standInIdentity } from './standIn.ts';
import type { Snapshot, SnapshotFile, SnapshotRecord } from './snapshotTypes.ts';

/**
 * A certificate the model needs and the folder does not show (a non-TFTP node's CallManager, a
 * subscriber's own ITLRecovery before 12.5, a CAPF before 14): the model issues its own in its place.
 */
export interface Placeholder {
  node: string;
  cert: CertKind;
}

/** The first record, in the trusted files, that matches. */
export function findRecord(files: SnapshotFile[], match: (r: SnapshotRecord) => boolean): SnapshotRecord | undefined {
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

/**
 * Each node of cluster.json with its certificates (the stand-in of the record the trusted files show,
 * else a placeholder, listed in `placeholders`), in cluster.json's order. Adds the placeholders'
 * issuing to nothing else; `state` gives the domain, seed and subject.
 */
export function importNodes(
  state: ClusterState,
  cluster: ClusterConfig,
  snap: Snapshot,
  trusted: SnapshotFile[],
  at: string,
  placeholders: Placeholder[],
): NodeState[] {
  const publisher = cluster.nodes.find((n) => n.role === 'publisher')!;
  const publisherName = publisher.name;
  const pubFqdn = publisher.hostname ?? publisherName;
  const domain = state.domain;
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

  return cluster.nodes.map((config, index): NodeState => {
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
      return createPlaceholder(state, node, kind, at);
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
}

/**
 * What each TFTP node of `state.nodes` serves, from the folder's served ITLs: its TFTP state, the
 * ITL it would build itself (a file of the folder that matches, else one built here), and each
 * served file's origin in `state.itls`. Mutates `state` (nodes and itls).
 */
export function serveTftp(state: ClusterState, cluster: ClusterConfig, snap: Snapshot, at: string): void {
  const publisherName = cluster.nodes.find((n) => n.role === 'publisher')!.name;
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
  // The newest of them, each file's TIMESTAMP decoded once (not once per comparison of a sort).
  let earlier: StoredItl | undefined;
  let newest = -Infinity;
  for (const f of Object.values(state.itls)) {
    if (f.corrupted || f.origin !== 'normal' || recordsKey(f) !== key) continue;
    if (f.records[f.signer.recordIndex]?.certSha1 !== signer) continue;
    const time = timestampOf(f);
    if (time > newest) [earlier, newest] = [f, time];
  }
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
