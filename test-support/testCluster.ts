import { createCertificate } from '../model/certs/certificate.ts';
import { issueCertificate, VALIDITY_YEARS, type CertKind, type Identity } from '../model/certs/issueCertificate.ts';
import type { SubjectDefaults } from '../model/certs/names.ts';
import type { DigestName } from '../model/crypto/pkcs1.ts';
import { buildItl, type RecordSpec } from '../model/itl/buildItl.ts';
import { cucmItlRecords } from '../model/itl/cucmLayout.ts';

/** The seed's organisation part of every name (`OU=tac;O=cisco;L=rtp;ST=nc;C=US`). */
export const SEED_SUBJECT: SubjectDefaults = { OU: 'tac', O: 'cisco', L: 'rtp', ST: 'nc', C: 'US' };

/** The seed's FQDNs. */
export const SEED_FQDN = { publisher: 'test10pub.joemar2.lab', subscriber: 'test10sub.joemar2.lab' } as const;

/** When the seed's publisher ITL was last modified (Wed Feb 26 10:24:27 PST 2014). */
export const SEED_AT = '2014-02-26T10:24:27-08:00';

/** The same instant as Unix seconds: the ITL TIMESTAMP. */
export const SEED_TIMESTAMP = 1393439067;

/** The identities of a two-node cluster: four on the publisher, three on the subscriber. */
export interface ClusterIdentities {
  publisher: { callManager: Identity; tvs: Identity; capf: Identity; itlRecovery: Identity };
  subscriber: { callManager: Identity; tvs: Identity; itlRecovery: Identity };
}

/** How a cluster's identities are drawn: key sizes per node and the seed prefix of every key. */
export interface ClusterOptions {
  publisherBits: 1024 | 2048;
  subscriberBits: 1024 | 2048;
  /** Distinct prefixes give distinct keys (the bench uses fresh ones to defeat the key cache). */
  seed: string;
}

function issue(kind: CertKind, fqdn: string, bits: 1024 | 2048, seed: string): Identity {
  return issueCertificate({ kind, fqdn, subject: SEED_SUBJECT, bits, at: SEED_AT, seed });
}

/** Issues the seven identities of test10pub / test10sub. Deterministic for given options. */
export function clusterIdentities(options: ClusterOptions): ClusterIdentities {
  const { publisherBits: pb, subscriberBits: sb, seed } = options;
  const pub = `${seed}/pub`;
  const sub = `${seed}/sub`;
  return {
    publisher: {
      callManager: issue('CallManager', SEED_FQDN.publisher, pb, pub),
      tvs: issue('TVS', SEED_FQDN.publisher, pb, pub),
      capf: issue('CAPF', SEED_FQDN.publisher, pb, pub),
      itlRecovery: issue('ITLRecovery', SEED_FQDN.publisher, pb, pub),
    },
    subscriber: {
      callManager: issue('CallManager', SEED_FQDN.subscriber, sb, sub),
      tvs: issue('TVS', SEED_FQDN.subscriber, sb, sub),
      itlRecovery: issue('ITLRecovery', SEED_FQDN.subscriber, sb, sub),
    },
  };
}

/** The records of the publisher's ITL in the seed's order (SAST CM, TFTP CM, CAPF, TVS pub, ITLRECOVERY, TVS sub). */
export function publisherRecords(cluster: ClusterIdentities): RecordSpec[] {
  const { publisher, subscriber } = cluster;
  return cucmItlRecords({
    callManager: publisher.callManager.cert,
    capf: publisher.capf.cert,
    tvs: [publisher.tvs.cert, subscriber.tvs.cert],
    itlRecovery: publisher.itlRecovery.cert,
  });
}

/** The publisher's ITL signed by its CallManager key (normal) or its ITLRecovery key (after `utils itl reset`). */
export function publisherItl(
  cluster: ClusterIdentities,
  signer: 'callManager' | 'itlRecovery',
  digest: DigestName = 'sha1',
): Uint8Array {
  return buildItl({
    signer: cluster.publisher[signer],
    records: publisherRecords(cluster),
    timestamp: SEED_TIMESTAMP,
    digest,
  });
}

let seedCache: ClusterIdentities | undefined;

/** The seed's cluster: publisher keys 1024-bit, subscriber keys 2048-bit (memoised: tests share it). */
export function seedCluster(): ClusterIdentities {
  seedCache ??= clusterIdentities({ publisherBits: 1024, subscriberBits: 2048, seed: 't' });
  return seedCache;
}

/**
 * A self-signed identity whose CUCM name is exactly `nameLength` characters: the CN is
 * `ITLRECOVERY_test10pub` padded with `x` (used to reproduce the seed's 66-byte SIGNERNAME).
 */
export function identityWithNameLength(nameLength: number, bits: 1024 | 2048 = 1024): Identity {
  const rest = `;OU=${SEED_SUBJECT.OU};O=${SEED_SUBJECT.O};L=${SEED_SUBJECT.L};ST=${SEED_SUBJECT.ST};C=${SEED_SUBJECT.C}`;
  const cnLength = nameLength - 'CN='.length - rest.length;
  if (cnLength < 1) throw new Error(`bug: a name of ${nameLength} characters leaves no room for a CN`);
  const key = { seed: `t/name-length/${nameLength}`, bits };
  const cert = createCertificate({
    key,
    name: { CN: 'ITLRECOVERY_test10pub'.padEnd(cnLength, 'x').slice(0, cnLength), ...SEED_SUBJECT },
    serialSeed: `t/name-length/${nameLength}`,
    notBefore: SEED_AT,
    validityYears: VALIDITY_YEARS,
  });
  return { cert, key };
}
