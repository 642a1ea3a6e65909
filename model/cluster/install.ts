import { sha256Hex } from '../crypto/drbg.ts';
import type { ClusterInstallEvent, ClusterNode } from '../events.ts';
import { hasItlRecovery } from '../version.ts';
import { buildNodeItl, itlInputs, publisherOf } from './buildItls.ts';
import type { ClusterState, ModelOptions, NodeCerts, NodeState } from './clusterState.ts';
import { fqdn, issueNodeCert } from './issueNodeCert.ts';
import { p12Password } from './p12.ts';
import { INITIAL_SIGNER } from './signer.ts';

/** Default model options: the system as CUCM 10.x ships it. */
export const DEFAULT_OPTIONS: ModelOptions = { holdTimer: true };

function installNode(state: ClusterState, spec: ClusterNode, at: string, withRecovery: boolean): NodeState {
  const node: NodeState = {
    id: spec.name,
    hostname: spec.name,
    recoveryFqdn: fqdn(spec.name, state.domain),
    role: spec.role,
    keyBits: spec.keyBits,
    certs: {} as NodeCerts,
    generations: { CallManager: 0, TVS: 0, CAPF: 0, ITLRecovery: 0 },
    holdTimer: 'idle',
  };
  const issue = (kind: keyof NodeCerts) => issueNodeCert(state, node, kind, 0, at);
  node.certs = {
    CallManager: issue('CallManager'),
    TVS: issue('TVS'),
    ...(spec.role === 'publisher' ? { CAPF: issue('CAPF') } : {}),
    ...(withRecovery ? { ITLRecovery: issue('ITLRecovery') } : {}),
  };
  return node;
}

/**
 * A fresh cluster (contract.md `cluster.install`): every node's certificates, CAPF on the
 * publisher, ITLRecovery from 10.0(1), and each TFTP node's first ITL. Pure.
 */
export function installCluster(event: ClusterInstallEvent, options: ModelOptions = DEFAULT_OPTIONS): ClusterState {
  const state: ClusterState = {
    version: event.version,
    domain: event.domain,
    subject: event.subject ?? {},
    seed: sha256Hex(JSON.stringify({ at: event.at, domain: event.domain, nodes: event.nodes })).slice(0, 16),
    nodes: [],
    phones: [],
    itls: {},
    backups: [],
    itlRecoveryBackedUp: false,
    forgeries: 0,
    secrets: { p12Password: p12Password(event.securityPassword) },
    options,
  };
  state.nodes = event.nodes.map((spec) => installNode(state, spec, event.at, hasItlRecovery(event.version)));
  const recovery = publisherOf(state).certs.ITLRecovery?.cert;
  for (const [i, spec] of event.nodes.entries()) {
    if (!spec.tftp) continue;
    const node = state.nodes[i]!;
    node.tftp = {
      normalItl: '',
      inputs: '',
      signer: INITIAL_SIGNER,
      ...(recovery ? { loadedItlRecovery: recovery } : {}),
    };
    const itl = buildNodeItl(state, node, event.at);
    state.itls[itl.sha1] = itl;
    node.tftp.normalItl = itl.sha1;
    node.tftp.inputs = itlInputs(state, node);
  }
  return state;
}
