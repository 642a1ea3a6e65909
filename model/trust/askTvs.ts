import type { Certificate } from '../certs/certificate.ts';
import type { CertKind } from '../certs/issueCertificate.ts';
import type { NodeState } from '../cluster/clusterState.ts';
import { tvsHashes, type StoredItl } from '../cluster/itlStore.ts';
import { nodeName, type NodeName } from '../cluster/notes.ts';
import type { TvsAttempt } from './ruleFailures.ts';
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
  | { status: 'valid'; via: NodeName; cert: Certificate; kind: CertKind; attempts: TvsAttempt[] }
  | { status: 'invalid'; via: NodeName; attempts: TvsAttempt[] }
  | { status: 'unreachable'; attempts: TvsAttempt[] };

/**
 * Walks the phone's TVS list (its CallManager group) in order (docs/rules.md §4 R3). TLS succeeds
 * only with a TVS whose certificate's SHA-1 is a TVS record of the installed ITL (Q7); ASSUMPTION A3:
 * a failed handshake moves on to the next TVS. The first TVS reached answers: valid when its store
 * holds exactly that certificate (Q8: looked up by issuer and serial, then compared); which own
 * certificates it holds is A1 and A17 (`vouchesOwnItlRecovery`). Pure.
 */
export function askTvs(
  tvsList: string[],
  installed: StoredItl,
  nodes: NodeState[],
  question: TvsQuestion,
  vouchesOwnItlRecovery = true,
): TvsAnswer {
  const pinned = new Set(tvsHashes(installed));
  const attempts: TvsAttempt[] = [];
  for (const id of tvsList) {
    const node = nodes.find((n) => n.id === id);
    if (!node) continue;
    if (!pinned.has(node.certs.TVS.cert.sha1)) {
      attempts.push({ result: 'tlsFailed', tvs: nodeName(node) });
      continue;
    }
    const known = tvsStore(nodes, vouchesOwnItlRecovery).get(storeKey(question.issuer, question.serial));
    if (known && known.cert.sha1 === question.certSha1) {
      return { status: 'valid', via: nodeName(node), cert: known.cert, kind: known.kind, attempts };
    }
    attempts.push({
      result: 'unknownSigner',
      tvs: nodeName(node),
      signer: { subject: question.subject, serial: question.serial },
    });
    return { status: 'invalid', via: nodeName(node), attempts };
  }
  return { status: 'unreachable', attempts };
}
