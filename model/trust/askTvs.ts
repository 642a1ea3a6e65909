import type { Certificate } from '../certs/certificate.ts';
import type { NodeState } from '../cluster/clusterState.ts';
import { tvsHashes, type StoredItl } from '../cluster/itlStore.ts';
import { storeKey, tvsStore } from './tvsStore.ts';

/** The certificate a phone asks TVS about. */
export interface TvsQuestion {
  subject: string;
  issuer: string;
  serial: string;
  certSha1: string;
}

/** What the phone's walk down its TVS list came to. */
export type TvsAnswer =
  | { status: 'valid'; via: string; cert: Certificate; attempts: string[] }
  | { status: 'invalid'; via: string; attempts: string[] }
  | { status: 'unreachable'; attempts: string[] };

/**
 * Walks the phone's TVS list (its CallManager group) in order (domain.md §3.2 R3). TLS succeeds
 * only with a TVS whose certificate's SHA-1 is a TVS record of the installed ITL (Q7); ASSUMPTION A3:
 * a failed handshake moves on to the next TVS. The first TVS reached answers: valid when its store
 * holds exactly that certificate (Q8: looked up by issuer and serial, then compared). Pure.
 */
export function askTvs(tvsList: string[], installed: StoredItl, nodes: NodeState[], question: TvsQuestion): TvsAnswer {
  const pinned = new Set(tvsHashes(installed));
  const attempts: string[] = [];
  for (const id of tvsList) {
    const node = nodes.find((n) => n.id === id);
    if (!node) continue;
    if (!pinned.has(node.certs.TVS.cert.sha1)) {
      attempts.push(`TLS to TVS ${node.hostname} failed: its certificate is not a TVS record of the installed ITL`);
      continue;
    }
    const known = tvsStore(nodes).get(storeKey(question.issuer, question.serial));
    if (known && known.sha1 === question.certSha1) {
      return { status: 'valid', via: node.hostname, cert: known, attempts };
    }
    attempts.push(`TVS ${node.hostname} does not know ${question.subject} (serial ${question.serial})`);
    return { status: 'invalid', via: node.hostname, attempts };
  }
  if (tvsList.length === 0) attempts.push('the TVS list is empty');
  return { status: 'unreachable', attempts };
}
