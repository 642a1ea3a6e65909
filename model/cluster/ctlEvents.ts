/**
 * Mixed mode with the tokenless CTL (docs/rules.md §16): `utils ctl set-cluster mixed-mode |
 * non-secure-mode`, `utils ctl update CTLFile`, `utils ctl reset localkey`. Each runs on the
 * publisher only (A36), exists from 10.0 (TOKENLESS), writes the cluster's one CTL — served by every
 * node at once, no phone reset (A22) — and never touches the ITLs until the TFTP service writes them
 * again (the transcripts ask for a TFTP restart). Pure.
 */
import { produce } from 'immer';
import type { Identity } from '../certs/issueCertificate.ts';
import type { CtlResetEvent, CtlSetClusterEvent, CtlUpdateEvent } from '../events.ts';
import { buildItl } from '../itl/buildItl.ts';
import { CTL_FILENAME, cucmCtlRecords } from '../itl/ctlLayout.ts';
import { ctlSigner, hasTokenlessCtl, itlSigner } from '../releases.ts';
import { publisherOf, unixSeconds } from './buildItls.ts';
import type { ClusterState } from './clusterState.ts';
import { storeItl } from './itlStore.ts';
import type { Refusal } from './refusals.ts';
import { stepOf, type Step } from './step.ts';
import { recoveryKeyTooShort } from './tftpEvents.ts';

/** The key the release signs its CTL with (TOKENLESS: the publisher's CallManager before 12.0; REGEN: ITLRecovery from 12.0). */
function releaseCtlSigner(state: ClusterState): Identity {
  const publisher = publisherOf(state);
  const signer = ctlSigner(state.version) === 'callManager' ? publisher.certs.CallManager : publisher.certs.ITLRecovery;
  if (!signer) throw new Error('bug: a 12.0+ publisher without ITLRecovery');
  return signer;
}

/**
 * The cluster's CTL (A21): 10.x–11.x SAST and CCM+TFTP `CM_P`, CAPF, then each subscriber; 12.0+
 * SAST ITLRecovery and `CM_P`, a record per node (CCM+TFTP where TFTP runs, else CCM: every node
 * runs CallManager in this model), CAPF last; in non-secure mode the node records without
 * certificates (A34). DNSNAME is the hostname, IPADDRESS the node's address. Pure.
 */
export function buildClusterCtl(state: ClusterState, mode: 'mixed' | 'non-secure', signer: Identity, at: string) {
  const publisher = publisherOf(state);
  const nodes = [publisher, ...state.nodes.filter((n) => n !== publisher)];
  const records = cucmCtlRecords({
    tier: itlSigner(state.version) === 'itlRecovery' ? 'from12' : 'pre12',
    mode,
    nodes: nodes.map((n) => ({
      hostname: n.hostname,
      ip: n.ip,
      callManager: n.certs.CallManager.cert,
      services: n.tftp ? 'ccm+tftp' : 'ccm',
    })),
    ...(publisher.certs.CAPF ? { capf: publisher.certs.CAPF.cert } : {}),
    ...(publisher.certs.ITLRecovery ? { itlRecovery: publisher.certs.ITLRecovery.cert } : {}),
  });
  return storeItl(
    buildItl({ signer, records, timestamp: unixSeconds(at), filename: CTL_FILENAME }),
    'ctl',
    publisher.id,
  );
}

/** Why a `utils ctl` command is refused (A36; TOKENLESS), if it is. Pure. */
export function ctlRefusal(
  state: ClusterState,
  event: CtlSetClusterEvent | CtlUpdateEvent | CtlResetEvent,
): Refusal | undefined {
  const node = state.nodes.find((n) => n.id === event.node)!;
  if (node.role !== 'publisher') return { kind: 'notPublisher', node: node.id };
  if (!hasTokenlessCtl(state.version)) return { kind: 'ctlBefore10', version: state.version };
  if (event.type !== 'ctl.setCluster' && state.ctl === null) return { kind: 'noCtl' };
  if (event.type === 'ctl.reset') {
    const recovery = publisherOf(state).certs.ITLRecovery;
    if (recovery && recoveryKeyTooShort(state, recovery)) return { kind: 'recoveryKeyTooShort', command: 'ctl.reset' };
  }
  return undefined;
}

/** Writes the CTL and says so. Pure. */
function writeCtl(
  state: ClusterState,
  mode: 'mixed' | 'non-secure',
  signer: Identity,
  command: 'setCluster' | 'update' | 'reset',
  at: string,
): Step {
  const ctl = buildClusterCtl(state, mode, signer, at);
  const next = produce(state, (draft) => {
    draft.itls[ctl.sha1] = ctl;
    draft.ctl = ctl.sha1;
    draft.securityMode = mode;
    draft.ctlStale = false;
  });
  const signerKind = signer === publisherOf(state).certs.CallManager ? 'callManager' : 'itlRecovery';
  return stepOf(next, { notes: [{ kind: 'ctlWritten', command, mode, signer: signerKind }] });
}

/** `utils ctl set-cluster mixed-mode | non-secure-mode`: the CTL in that mode, signed by the release's signer. Pure. */
export function setClusterMode(state: ClusterState, event: CtlSetClusterEvent): Step {
  const refusal = ctlRefusal(state, event);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  return writeCtl(state, event.mode, releaseCtlSigner(state), 'setCluster', event.at);
}

/** `utils ctl update CTLFile`: the CTL rebuilt from the current certificates, in the current mode, signed by the release's signer. Pure. */
export function updateCtl(state: ClusterState, event: CtlUpdateEvent): Step {
  const refusal = ctlRefusal(state, event);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  return writeCtl(state, state.securityMode, releaseCtlSigner(state), 'update', event.at);
}

/**
 * `utils ctl reset localkey`: the CTL rebuilt, with the current ITLRecovery inside, and signed by the
 * publisher's CallManager key, "the secondary SAST role" (CLI125); fails under H1 (A28). Pure.
 */
export function resetCtl(state: ClusterState, event: CtlResetEvent): Step {
  const refusal = ctlRefusal(state, event);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  return writeCtl(state, state.securityMode, publisherOf(state).certs.CallManager, 'reset', event.at);
}
