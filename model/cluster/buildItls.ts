import type { Identity } from '../certs/issueCertificate.ts';
import { buildItl } from '../itl/buildItl.ts';
import { cucmItlRecords } from '../itl/cucmLayout.ts';
import { Role } from '../itl/tags.ts';
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

/**
 * The ITL a TFTP node builds (domain.md §2.2, 10.x): its own CallManager as SAST and TFTP, the
 * publisher's CAPF, every TVS, and the ITLRecovery record it loaded at its last start (A10);
 * signed by its CallManager key. Pure.
 */
export function buildNodeItl(state: ClusterState, node: NodeState, at: string): StoredItl {
  const capf = publisherOf(state).certs.CAPF;
  const records = cucmItlRecords({
    callManager: node.certs.CallManager.cert,
    ...(capf ? { capf: capf.cert } : {}),
    tvs: tvsCertificates(state),
    ...(node.tftp?.loadedItlRecovery ? { itlRecovery: node.tftp.loadedItlRecovery } : {}),
  });
  return storeItl(buildItl({ signer: node.certs.CallManager, records, timestamp: unixSeconds(at) }), 'normal', node.id);
}

/**
 * ASSUMPTION A11: the reset ITL is the publisher's record set built from the current certificates,
 * the current ITLRecovery included, re-signed with that ITLRecovery key. Pure.
 */
export function buildResetItl(state: ClusterState, recovery: Identity, at: string): StoredItl {
  const publisher = publisherOf(state);
  const capf = publisher.certs.CAPF;
  const records = cucmItlRecords({
    callManager: publisher.certs.CallManager.cert,
    ...(capf ? { capf: capf.cert } : {}),
    tvs: tvsCertificates(state),
    itlRecovery: recovery.cert,
  });
  return storeItl(buildItl({ signer: recovery, records, timestamp: unixSeconds(at) }), 'reset', publisher.id);
}

/** ASSUMPTION A12: a forged ITL holds only the attacker's certificate, as SAST and TFTP, signed by it. Pure. */
export function buildForgedItl(node: NodeState, attacker: Identity, at: string): StoredItl {
  const records = [
    { role: Role.SAST, cert: attacker.cert, form: 'certificate' as const },
    { role: Role.TFTP, cert: attacker.cert, form: 'certificate' as const },
  ];
  return storeItl(buildItl({ signer: attacker, records, timestamp: unixSeconds(at) }), 'forged', node.id);
}

/** What a node's normal ITL depends on: a certificate change rebuilds only the ITLs whose inputs changed (SG125: "updated automatically if the content is modified"). Pure. */
export function itlInputs(state: ClusterState, node: NodeState): string {
  const capf = publisherOf(state).certs.CAPF?.cert.sha1 ?? '-';
  const tvs = tvsCertificates(state)
    .map((c) => c.sha1)
    .join(',');
  return [node.certs.CallManager.cert.sha1, capf, tvs, node.tftp?.loadedItlRecovery?.sha1 ?? '-'].join('|');
}

/** The cluster's own file a TFTP node serves: the reset ITL while its signer is `reset`, else its normal ITL. Pure. */
export function genuineItl(tftp: TftpState): string {
  return tftp.signer.serving === 'reset' && tftp.resetItl ? tftp.resetItl : tftp.normalItl;
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
