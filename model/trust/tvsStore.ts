import type { Certificate } from '../certs/certificate.ts';
import type { NodeState } from '../cluster/clusterState.ts';

const stores = new WeakMap<NodeState[], Map<string, Certificate>>();

/** How TVS indexes a certificate: issuer and serial ("Unique MAP ID", domain.md §1.4). */
export function storeKey(issuer: string, serial: string): string {
  return `${issuer}|${serial}`;
}

/**
 * ASSUMPTION A1: the TVS certificate store holds every node's current CallManager, TVS, CAPF and
 * ITLRecovery certificates, and a regenerated certificate is visible to every node's TVS at once.
 * Cached per nodes array (immer gives a new array whenever a node changes). Pure.
 */
export function tvsStore(nodes: NodeState[]): Map<string, Certificate> {
  let store = stores.get(nodes);
  if (store) return store;
  store = new Map();
  for (const node of nodes) {
    for (const identity of Object.values(node.certs)) {
      if (identity) store.set(storeKey(identity.cert.issuer, identity.cert.serial), identity.cert);
    }
  }
  stores.set(nodes, store);
  return store;
}
