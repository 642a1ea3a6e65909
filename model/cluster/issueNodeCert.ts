import { issueCertificate, type CertKind, type Identity } from '../certs/issueCertificate.ts';
import type { ClusterState, NodeState } from './clusterState.ts';

/** FQDN of a node under the cluster's current domain. Pure. */
export function fqdn(hostname: string, domain: string): string {
  return domain ? `${hostname}.${domain}` : hostname;
}

/**
 * Issues generation `generation` of a node's certificate. ITLRecovery keeps the FQDN the node had
 * when its recovery key was first created (SEED: the entry "continues to show the old hostname"),
 * every other certificate takes the node's current FQDN. The key size is the certificate's own
 * (`certBits`) or the node's; `years` is the validity (ITLRecovery per release, A30). Pure.
 */
export function issueNodeCert(
  state: Pick<ClusterState, 'seed' | 'domain' | 'subject'>,
  node: Pick<NodeState, 'id' | 'hostname' | 'keyBits' | 'recoveryFqdn' | 'certBits'>,
  kind: CertKind,
  generation: number,
  at: string,
  years?: number,
): Identity {
  return issueCertificate({
    kind,
    fqdn: kind === 'ITLRecovery' ? node.recoveryFqdn : fqdn(node.hostname, state.domain),
    subject: state.subject,
    bits: node.certBits?.[kind] ?? node.keyBits,
    ...(years !== undefined ? { years } : {}),
    at,
    seed: `${state.seed}/${node.id}/${generation}`,
  });
}
