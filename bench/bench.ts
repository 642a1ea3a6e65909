/**
 * Benchmarks of the ITL model's hot paths. Run with `npm run bench` (or `npm run bench -- section-id ...`
 * to run only some sections). Each section is a function returning a table;
 * add new ones to `SECTIONS`.
 */
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import forge from 'node-forge';
import { keyFor } from '../model/crypto/keyStore.ts';
import { signPkcs1 } from '../model/crypto/pkcs1.ts';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { encodeItl, layoutOf, signedBytes } from '../model/itl/encodeItl.ts';
import { buildItl } from '../model/itl/buildItl.ts';
import {
  clusterIdentities,
  publisherRecords,
  SEED_TIMESTAMP,
  seedCluster,
  type ClusterIdentities,
} from '../test-support/testCluster.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { checkSection } from './checkBench.ts';
import { spinSection } from './spinBench.ts';
import { engineSection, replaySection, scaleSection } from './replayBench.ts';
import { snapshotSection } from './snapshotBench.ts';
import { startupSection } from './startupBench.ts';
import { ms, rate, ratio, rounds, runSections, throughput, type Section, type Table } from './timing.ts';

const BITS = [1024, 2048] as const;

/** The seed-layout cluster at one key size (the 1024-bit one is the seed's own: 2048-bit subscriber). */
function clusterAt(bits: 1024 | 2048): ClusterIdentities {
  return bits === 1024
    ? seedCluster()
    : clusterIdentities({ publisherBits: 2048, subscriberBits: 2048, seed: 'bench/2048' });
}

/** encode / decode / sign / verify of the publisher's six-record ITL. */
function codecSection(): Table {
  const results = BITS.map((bits) => {
    const cluster = clusterAt(bits);
    const spec = {
      signer: cluster.publisher.callManager,
      records: publisherRecords(cluster),
      timestamp: SEED_TIMESTAMP,
    };
    const bytes = buildItl(spec);
    const file = decodeItl(bytes);
    const layout = layoutOf(file);
    return {
      size: bytes.length,
      encode: throughput(() => encodeItl(layout)),
      decode: throughput(() => decodeItl(bytes)),
      sign: throughput(() => buildItl(spec)),
      verify: throughput(() => verifyItl(bytes, file)),
      both: throughput(() => verifyItl(bytes, decodeItl(bytes))),
    };
  });
  const row = (label: string, pick: (r: (typeof results)[number]) => number) => [
    label,
    ...results.map((r) => rate(pick(r))),
  ];
  return {
    columns: ['operation (ops/s)', ...BITS.map((b) => `${b}-bit`)],
    rows: [
      row('encode (encodeItl of a layout)', (r) => r.encode.perSecond),
      row('decode (decodeItl)', (r) => r.decode.perSecond),
      row('sign (buildItl: layout, encode, RSA sign)', (r) => r.sign.perSecond),
      row('verify (verifyItl of a decoded file)', (r) => r.verify.perSecond),
      row('decode + verify', (r) => r.both.perSecond),
    ],
    notes: [
      `file sizes: ${results.map((r, i) => `${BITS[i]}-bit ${r.size} bytes`).join(', ')}; every key of the cluster has the column's size except the 1024-bit column's subscriber TVS (2048, as in the seed)`,
    ],
  };
}

const ROUNDS = 4;
const IDENTITIES = 7;

/** Creating a 2-node cluster's keys and certificates, with seeds never used before (no key cache). */
function clusterSection(): Table {
  const run = randomUUID();
  const deterministic = rounds(ROUNDS, (round) => {
    const cluster = clusterIdentities({
      publisherBits: 2048,
      subscriberBits: 2048,
      seed: `bench/${run}/cluster/${round}`,
    });
    // The subscriber's ITLRecovery is issued too: 4 + 3 = 7 identities.
    if (Object.keys(cluster.publisher).length + Object.keys(cluster.subscriber).length !== IDENTITIES)
      throw new Error('bug: expected 7 identities');
  });
  const keysOnly = rounds(ROUNDS, (round) => {
    for (let i = 0; i < IDENTITIES; i++) keyFor({ seed: `bench/${run}/keys/${round}/${i}`, bits: 2048 });
  });
  const native = rounds(ROUNDS, () => {
    for (let i = 0; i < IDENTITIES; i++) generateKeyPairSync('rsa', { modulusLength: 2048 });
  });
  return {
    columns: [`2-node cluster, 2048-bit, ${IDENTITIES} identities`, `mean of ${ROUNDS} rounds`, 'per identity'],
    rows: [
      [
        'keys + certificates (clusterIdentities, deterministic)',
        ms(deterministic.meanMs),
        ms(deterministic.meanMs / IDENTITIES),
      ],
      ['keys only, deterministic (keyFor / rsaFromSeed)', ms(keysOnly.meanMs), ms(keysOnly.meanMs / IDENTITIES)],
      ['keys only, native random (generateKeyPairSync)', ms(native.meanMs), ms(native.meanMs / IDENTITIES)],
      ['deterministic / native (keys only)', ratio(keysOnly.meanMs, native.meanMs), ''],
    ],
    notes: ['prime search time varies a lot from key to key: treat the means as rough'],
  };
}

/** RSA PKCS#1 v1.5 SHA-1 over the seed ITL's signed bytes: node-forge against Node's native crypto, same key. */
function forgeSection(): Table {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const bits of BITS) {
    const cluster = clusterAt(bits);
    const bytes = buildItl({
      signer: cluster.publisher.callManager,
      records: publisherRecords(cluster),
      timestamp: SEED_TIMESTAMP,
    });
    const data = signedBytes(bytes, decodeItl(bytes));
    const { privateKey, publicKey } = keyFor(cluster.publisher.callManager.key);
    const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const binary = Buffer.from(data).toString('binary');
    const sha1 = () => forge.md.sha1.create().update(binary);
    const nativeSignature = sign('sha1', data, privateKey);
    const forgeSignature = Buffer.from(forgePrivate.sign(sha1()), 'binary');
    const identical =
      nativeSignature.equals(forgeSignature) && nativeSignature.equals(signPkcs1(privateKey, 'sha1', data));
    const forgeVerifies = forgePublic.verify(sha1().digest().bytes(), forgeSignature.toString('binary'));
    notes.push(
      `${bits}-bit: signatures byte-identical (forge = native): ${identical ? 'yes' : 'NO'}; forge verifies native's: ${forgeVerifies ? 'yes' : 'NO'}; data ${data.length} bytes`,
    );
    const nativeSign = throughput(() => sign('sha1', data, privateKey));
    const forgeSign = throughput(() => forgePrivate.sign(sha1()));
    const nativeVerify = throughput(() => verify('sha1', data, publicKey, nativeSignature));
    const forgeVerify = throughput(() =>
      forgePublic.verify(sha1().digest().bytes(), forgeSignature.toString('binary')),
    );
    rows.push(
      [
        `sign ${bits}-bit`,
        rate(nativeSign.perSecond),
        rate(forgeSign.perSecond),
        ratio(nativeSign.perSecond, forgeSign.perSecond),
      ],
      [
        `verify ${bits}-bit`,
        rate(nativeVerify.perSecond),
        rate(forgeVerify.perSecond),
        ratio(nativeVerify.perSecond, forgeVerify.perSecond),
      ],
    );
  }
  notes.push('data: the seed-layout ITL without its SIGNATURE element; both sides hash it on every operation');
  return { columns: ['RSA PKCS#1 v1.5, SHA-1 (ops/s)', 'native', 'node-forge', 'native / forge'], rows, notes };
}

const SECTIONS: Section[] = [
  { id: 'startup', title: 'CLI start-up: the built itl-model against tsc --version', run: startupSection },
  { id: 'codec', title: 'ITL codec, seed layout (6 records)', run: codecSection },
  { id: 'cluster', title: 'Key set + certificates of a 2-node cluster (fresh seeds)', run: clusterSection },
  { id: 'forge', title: 'node-forge vs Node native RSA on the same key', run: forgeSection },
  { id: 'replay', title: 'Replay at scale: 10,000 phones, 4 TFTP nodes, 100 cluster-wide events', run: replaySection },
  {
    id: 'scale',
    title: 'Linear replay: replay --json of 10k, 50k and 100k phones x 100 events, against native RSA verify',
    run: scaleSection,
  },
  {
    id: 'engine',
    title: 'Replay engines in one run: the machines, the model fold alone, and the code at --baseline REF',
    run: () => engineSection(baseline),
  },
  { id: 'check', title: 'Model checker vs xstate/graph on the same abstract model and scope', run: checkSection },
  {
    id: 'spin',
    title: 'Model checker vs Spin on the same abstract model and scope (export --promela)',
    run: spinSection,
  },
  {
    id: 'snapshot',
    title: 'snapshot of a cluster folder in memory: 10,000 phones, 4 TFTP nodes',
    run: snapshotSection,
  },
];

/** `--baseline REF`: a git commit the engine section also measures (built into .tmp/baseline-REF). */
let baseline: string | undefined;

async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--baseline');
  if (at >= 0) {
    baseline = args[at + 1];
    if (!baseline) {
      console.error('--baseline needs a git commit, e.g. --baseline HEAD~3');
      process.exitCode = 2;
      return;
    }
  }
  const argv = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
  const wanted = argv.length ? SECTIONS.filter((s) => argv.includes(s.id)) : SECTIONS;
  if (wanted.length === 0) {
    console.error(`unknown section; choose from: ${SECTIONS.map((s) => s.id).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const start = performance.now();
  console.log(`itl-model bench — Node ${process.version}, ${new Date().toISOString()}`);
  await runSections(wanted, (text) => console.log(text));
  console.log(`\ntotal ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

await main(process.argv.slice(2));
