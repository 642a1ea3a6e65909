import type { Identity } from '../certs/issueCertificate.ts';
import { buildItl, type RecordSpec } from '../itl/buildItl.ts';
import { cucmItlRecords } from '../itl/cucmLayout.ts';
import { Role } from '../itl/tags.ts';
import { itlSigner, localkeyResetSigner } from '../releases.ts';
import type { ClusterState, NodeState, TftpState } from './clusterState.ts';
import { storeItl, type StoredItl } from './itlStore.ts';

/** Unix seconds of an event time (the TIMESTAMP of files built by that event). Pure. */
export function unixSeconds(at: string): number {
  return Math.floor(Date.parse(at) / 1000);
}

/** The publisher node. Pure. */
export function publisherOf(state: Pick<ClusterState, 'nodes'>): NodeState {
  const publisher = state.nodes.find((n) => n.role === 'publisher');
  if (!publisher) throw new Error('bug: cluster without publisher');
  return publisher;
}

/** Every node's TVS certificate, the publisher's first (the seed's record order). Pure. */
function tvsCertificates(state: ClusterState) {
  const publisher = publisherOf(state);
  return [publisher, ...state.nodes.filter((n) => n !== publisher)].map((n) => n.certs.TVS.cert);
}

/** In mixed mode the TFTP record of an ITL is CCM+TFTP (docs/rules.md §16: every node runs CallManager). Pure. */
function forMode(state: ClusterState, records: RecordSpec[]): RecordSpec[] {
  return state.securityMode === 'mixed'
    ? records.map((r) => (r.role === Role.TFTP ? { ...r, role: Role.CCM_TFTP } : r))
    : records;
}

/**
 * The key a TFTP node signs its normal ITL with: its CallManager key before 12.0 (docs/rules.md §3.6),
 * from 12.0 the ITLRecovery it loaded at its last start (A15, A23). Pure.
 */
export function normalSigner(state: ClusterState, node: NodeState): Identity {
  if (itlSigner(state.version) === 'callManager') return node.certs.CallManager;
  const loaded = node.tftp?.loadedItlRecovery;
  if (!loaded) throw new Error('bug: a 12.0+ TFTP node without a loaded ITLRecovery');
  return loaded;
}

/** The records of a node's normal ITL: its own CallManager as SAST and TFTP, the publisher's CAPF, every TVS, the loaded ITLRecovery. Pure. */
function normalRecords(state: ClusterState, node: NodeState): RecordSpec[] {
  const capf = publisherOf(state).certs.CAPF;
  return forMode(
    state,
    cucmItlRecords({
      callManager: node.certs.CallManager.cert,
      ...(capf ? { capf: capf.cert } : {}),
      tvs: tvsCertificates(state),
      ...(node.tftp?.loadedItlRecovery ? { itlRecovery: node.tftp.loadedItlRecovery.cert } : {}),
    }),
  );
}

/**
 * The ITL a TFTP node builds (docs/rules.md §3.5, §15): its own CallManager as SAST and
 * TFTP (CCM+TFTP in mixed mode), the publisher's CAPF, every TVS, and the ITLRecovery record it
 * loaded at its last start (A10); signed by its CallManager key before 12.0, by that ITLRecovery from
 * 12.0. Pure.
 */
export function buildNodeItl(state: ClusterState, node: NodeState, at: string): StoredItl {
  return storeItl(
    buildItl({ signer: normalSigner(state, node), records: normalRecords(state, node), timestamp: unixSeconds(at) }),
    'normal',
    node.id,
  );
}

/**
 * ASSUMPTION A25: the ITL a TFTP node serves while "Prepare Cluster for Rollback to pre-8.0" is True:
 * the publisher's CAPF record and its signer's SAST record, signed like its normal ITL. Pure.
 */
export function buildRollbackItl(
  state: ClusterState,
  node: NodeState,
  at: string,
  signer = normalSigner(state, node),
): StoredItl {
  const capf = publisherOf(state).certs.CAPF;
  const records: RecordSpec[] = [
    { role: Role.SAST, cert: signer.cert, form: 'certificate' },
    ...(capf ? [{ role: Role.CAPF, cert: capf.cert, form: 'hash' as const }] : []),
  ];
  return {
    ...storeItl(buildItl({ signer, records, timestamp: unixSeconds(at) }), 'rollback', node.id),
    rollbackForm: true,
  };
}

/**
 * ASSUMPTION A11: the reset ITL is the publisher's record set built from the current certificates,
 * the current ITLRecovery included; signed by the key `utils itl reset` signs with (the ITLRecovery
 * key before 12.0, the publisher's CallManager key from 12.0 with localkey, the p12's key with
 * remotekey). While the rollback parameter is True it re-signs the rollback ITL instead (A25): the
 * same empty file under the reset's signature, so a phone that installs it still holds the empty ITL
 * and takes any ITL next (R0e, docs/rules.md §17.2), as the phones' rules read a file's records, not
 * the command that wrote it (an imported folder's empty ITL is classed by its records too). Pure.
 */
export function buildResetItl(state: ClusterState, signer: Identity, at: string): StoredItl {
  const publisher = publisherOf(state);
  if (state.parameters.prepareRollbackPre80) {
    return { ...buildRollbackItl(state, publisher, at, signer), origin: 'reset' };
  }
  const capf = publisher.certs.CAPF;
  const records = forMode(
    state,
    cucmItlRecords({
      callManager: publisher.certs.CallManager.cert,
      ...(capf ? { capf: capf.cert } : {}),
      tvs: tvsCertificates(state),
      ...(publisher.certs.ITLRecovery ? { itlRecovery: publisher.certs.ITLRecovery.cert } : {}),
    }),
  );
  return storeItl(buildItl({ signer, records, timestamp: unixSeconds(at) }), 'reset', publisher.id);
}

/** The key `utils itl reset localkey` signs with in this release (docs/rules.md §8, §15). Pure. */
export function localkeySigner(state: ClusterState): Identity {
  const publisher = publisherOf(state);
  if (localkeyResetSigner(state.version) === 'callManager') return publisher.certs.CallManager;
  const identity = publisher.certs.ITLRecovery;
  if (!identity) throw new Error('bug: a 10.x publisher without its ITLRecovery key');
  return identity;
}

/** ASSUMPTION A12: a forged ITL holds only the attacker's certificate, as SAST and TFTP, signed by it. Pure. */
export function buildForgedItl(node: NodeState, attacker: Identity, at: string): StoredItl {
  const records = [
    { role: Role.SAST, cert: attacker.cert, form: 'certificate' as const },
    { role: Role.TFTP, cert: attacker.cert, form: 'certificate' as const },
  ];
  return storeItl(buildItl({ signer: attacker, records, timestamp: unixSeconds(at) }), 'forged', node.id);
}

/**
 * What a node's normal ITL is made of, but the security mode: its certificates and the release's
 * signer. A certificate change rebuilds only the ITLs whose certificate inputs changed (SG125:
 * "updated automatically if the content is modified"; docs/rules.md §6). Pure.
 */
export function certInputs(state: ClusterState, node: NodeState): string {
  const capf = publisherOf(state).certs.CAPF?.cert.sha1 ?? '-';
  const tvs = tvsCertificates(state)
    .map((c) => c.sha1)
    .join(',');
  return [
    node.certs.CallManager.cert.sha1,
    capf,
    tvs,
    node.tftp?.loadedItlRecovery?.cert.sha1 ?? '-',
    itlSigner(state.version),
  ].join('|');
}

/**
 * What a node's normal ITL depends on: its certificate inputs and the security mode, which an ITL
 * takes at its node's next write, a TFTP start or a rebuild after a certificate change (A22). Pure.
 */
export function itlInputs(state: ClusterState, node: NodeState): string {
  return `${certInputs(state, node)}|${state.securityMode}`;
}

/** The certificate inputs part of a stored `TftpState.inputs` (`itlInputs`): all but the security mode. Pure. */
export function certPart(inputs: string): string {
  return inputs.slice(0, inputs.lastIndexOf('|'));
}

/**
 * The cluster's own file a TFTP node serves: the reset ITL while its signer is `reset`, the rollback
 * ITL while the rollback parameter is True (A25), else its normal ITL. Pure.
 */
export function genuineItl(tftp: TftpState): string {
  if (tftp.signer.serving === 'reset' && tftp.resetItl) return tftp.resetItl;
  if (tftp.signer.rollback === 'on' && tftp.rollbackItl) return tftp.rollbackItl;
  return tftp.normalItl;
}

/**
 * What a booting phone is offered, as the node's signer machine says (model/cluster/signer.ts): the
 * attacker's ITL while `forged`, else the genuine file, as a broken copy while `corrupted`. Pure.
 */
export function servedItl(node: NodeState): string | undefined {
  const tftp = node.tftp;
  if (!tftp) return undefined;
  if (tftp.signer.serving === 'forged' && tftp.forgery) return tftp.forgery.itl;
  return tftp.signer.file === 'corrupted' && tftp.corruption ? tftp.corruption.itl : genuineItl(tftp);
}

/**
 * The CTL a booting phone is offered by a node: the cluster's one CTL, which every node serves at
 * once (A22); an impersonated node serves none (the attacker's server answers "File not found", a
 * choice: a forged CTL would only be taken by a phone without one, like the forged ITL). Pure.
 */
export function servedCtl(state: ClusterState, node: NodeState): string | undefined {
  if (!state.ctl || node.tftp?.signer.serving === 'forged') return undefined;
  return state.ctl;
}
