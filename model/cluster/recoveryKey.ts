import type { Identity } from '../certs/issueCertificate.ts';
import { itlSigner, singleItlRecovery } from '../releases.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState, NodeState } from './clusterState.ts';

/**
 * Which ITLRecovery a TFTP node loads when its service starts (A10): the publisher's, which is the
 * only one in use before 12.0 (SEED) and the only one there is from 12.5 (REGEN). In 12.0 every node
 * still has its own; ASSUMPTION A15: the publisher's is loaded everywhere, unless the switch
 * `itlRecoveryPerNode12_0` says each node's own. Pure.
 */
export function itlRecoverySource(state: ClusterState, node: NodeState): Identity | undefined {
  const perNode =
    state.options.itlRecoveryPerNode12_0 &&
    itlSigner(state.version) === 'itlRecovery' &&
    !singleItlRecovery(state.version);
  return perNode ? node.certs.ITLRecovery : publisherOf(state).certs.ITLRecovery;
}
