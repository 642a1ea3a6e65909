import type { Certificate } from '../certs/certificate.ts';
import type { CertKind } from '../certs/issueCertificate.ts';
import type { NodeState } from '../cluster/clusterState.ts';

/** A certificate TVS knows, with what it is: its kind decides the roles TVS answers with (T1–T4). */
export interface KnownCert {
  cert: Certificate;
  kind: CertKind;
}

const stores = new WeakMap<NodeState[], Map<boolean, Map<string, KnownCert>>>();

/** How TVS indexes a certificate: issuer and serial ("Unique MAP ID" [DIR]; docs/rules.md §14 Q8). */
export function storeKey(issuer: string, serial: string): string {
  return `${issuer}|${serial}`;
}

/**
 * ASSUMPTION A1: the TVS certificate store holds every node's current CallManager, TVS, CAPF and
 * ITLRecovery certificates, and a regenerated certificate is visible to every node's TVS at once.
 * ASSUMPTION A17 (T3): the cluster's own ITLRecovery only when `vouchesOwnItlRecovery` (the default;
 * false is the conservative reading, X1). Cached per nodes array (immer gives a new array whenever a
 * node changes). Pure.
 */
export function tvsStore(nodes: NodeState[], vouchesOwnItlRecovery = true): Map<string, KnownCert> {
  let byOption = stores.get(nodes);
  if (!byOption) stores.set(nodes, (byOption = new Map()));
  let store = byOption.get(vouchesOwnItlRecovery);
  if (store) return store;
  store = new Map();
  for (const node of nodes) {
    for (const [kind, identity] of Object.entries(node.certs) as Array<[CertKind, { cert: Certificate } | undefined]>) {
      if (!identity || (kind === 'ITLRecovery' && !vouchesOwnItlRecovery)) continue;
      store.set(storeKey(identity.cert.issuer, identity.cert.serial), { cert: identity.cert, kind });
    }
  }
  byOption.set(vouchesOwnItlRecovery, store);
  return store;
}

/** T1, T3: TVS answers the cluster's own CallManager and ITLRecovery certificates with the SAST role; TVS and CAPF without (T4). Pure. */
export function answersWithSast(kind: CertKind): boolean {
  return kind === 'CallManager' || kind === 'ITLRecovery';
}
