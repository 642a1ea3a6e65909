import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capturingIo } from '../test-support/diffRuns.ts';
import { install } from '../test-support/scenario.ts';
import { folderIo, PHONES, text } from '../test-support/snapshotFolder.ts';
import { hashHex } from '../model/crypto/pkcs1.ts';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';
import type { SnapshotJson } from './snapshotJson.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

describe('itl-model snapshot on the sample folder examples/cluster', () => {
  it('should place its phones: current, other node, history, unexplained (another cluster) and unknown', async () => {
    const io = capturingIo();
    expect(await run(['snapshot', 'examples/cluster', '--json'], io)).toBe(1);
    const doc = JSON.parse(io.stdout.join('\n')) as SnapshotJson;
    expect(doc.format).toBe('itl-model snapshot 1');
    expect(doc.summary).toEqual({
      phones: 12,
      unregistered: 3,
      itl: { current: 6, 'other-node': 1, history: 2, unexplained: 2, unknown: 1 },
      ctl: { current: 0, 'other-node': 0, history: 0, unexplained: 0, unknown: 12 },
      issues: 2,
    });
    expect(doc.issues.map((i) => [i.kind, i.at])).toEqual([
      ['phone-hash-unexplained', { file: 'phones.csv', line: 8 }],
      ['phone-hash-unexplained', { file: 'phones.csv', line: 9 }],
    ]);
    const history = doc.phones.filter((p) => p.itl.match === 'history');
    expect(history.map((p) => [p.device, p.status])).toEqual([
      ['SEP0011AA000005', 'Unregistered'],
      ['SEP0011AA000006', 'Unregistered'],
    ]);
  });

  it('should read the publisher file (verified), the subscriber listing (not verifiable) and history/', async () => {
    const io = capturingIo();
    await run(['snapshot', 'examples/cluster', '--json'], io);
    const doc = JSON.parse(io.stdout.join('\n')) as SnapshotJson;
    expect(doc.files.map((f) => [f.path, f.source, f.signature.status, f.servedBy, f.signer.identity.kind])).toEqual([
      ['tftp/cucm-pub/ITLFile.tlv', 'binary', 'verified', ['cucm-pub'], 'itlRecovery'],
      ['tftp/cucm-sub/show-itl.txt', 'text', 'unverifiable', ['cucm-sub'], 'itlRecovery'],
      ['history/cucm-pub-ITLFile-2024-05-14.tlv', 'binary', 'verified', [], 'itlRecovery'],
      ['history/cucm-sub-ITLFile-2024-05-14.tlv', 'binary', 'verified', [], 'itlRecovery'],
    ]);
    for (const node of doc.nodes) {
      expect(node.callManager?.subject).toContain(`CN=${node.hostname}`);
      expect(node.tvs?.subject).toContain(`CN=${node.hostname}`);
      expect(node.itlRecovery?.subject).toContain('CN=ITLRECOVERY_cucm-pub.example.com');
    }
    // TVS was regenerated on the publisher between history/ and now: the history files hold another certificate.
    const pubTvs = doc.nodes[0]!.tvs!.certSha1;
    const old = doc.files[2]!.records.find(
      (r) => r.identity.kind === 'tvs' && 'node' in r.identity && r.identity.node === 'cucm-pub',
    );
    expect(old?.certSha1).not.toBe(pubTvs);
    expect(doc.files.every((f) => f.records.every((r) => !('cert' in r)))).toBe(true);
  });

  it('should print the report in words, each inconsistency as FILE:LINE', async () => {
    const io = capturingIo();
    expect(await run(['snapshot', 'examples/cluster'], io)).toBe(1);
    expect(io.stdout[0]).toBe(
      'Cluster folder examples/cluster: CUCM 12.5(1)SU3, non-secure; ITLs signed by ITLRecovery (one ITLRecovery per cluster)',
    );
    expect(io.stdout).toContain(
      'Phones: 12 (3 unregistered); ITL: 6 current, 1 other node, 2 history, 2 unexplained, 1 unknown',
    );
    expect(io.stdout.filter((l) => l.startsWith('examples/cluster/phones.csv:'))).toEqual([
      expect.stringMatching(
        /^examples\/cluster\/phones\.csv:8: SEP0011AA000007: its ITL hash [0-9a-f]{40} is no file of the folder/,
      ),
      expect.stringMatching(/^examples\/cluster\/phones\.csv:9: SEP0011AA000008: /),
    ]);
    expect(io.stderr).toEqual([]);
  });

  it('should run from the built binary', () => {
    const result = spawnSync(process.execPath, ['bin/itl-model.mjs', 'snapshot', 'examples/cluster'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Inconsistencies: 2');
  });
});

describe('itl-model snapshot on folders written from replays', () => {
  it('should exit 0 and write nothing when the folder holds no inconsistency', async () => {
    const io = folderIo([install(), ...PHONES]);
    const before = new Map(io.files);
    expect(await run(['snapshot', 'c'], io)).toBe(0);
    expect(io.stdout.at(-1)).toBe('Inconsistencies: none');
    expect(io.files).toEqual(before);
  });

  it('should place a phone that was off during a regeneration on history/', async () => {
    const io = folderIo([
      install(),
      ...PHONES,
      { type: 'phone.power', phone: 'SEP00000000000B', on: false },
      { type: 'cert.regenerate', node: 'sub', cert: 'CallManager' },
    ]);
    expect(await run(['snapshot', 'c'], io)).toBe(0);
    expect(io.stdout.find((l) => l.startsWith('SEP00000000000B'))).toMatch(
      /Unregistered\s+sub\s+[0-9a-f]{12}\s+history: history\/[0-9a-f]{40}\.tlv$/,
    );
  });

  it('should print every inconsistency with its file and line or offset', async () => {
    const io = folderIo(
      [
        install(),
        ...PHONES,
        { type: 'tftp.corrupt', node: 'pub' },
        { type: 'itl.reset', node: 'pub', key: 'localkey' },
      ],
      (files) => {
        files.set(
          'phones.csv',
          text(`${Buffer.from(files.get('phones.csv')!).toString()}SEP00000000000C,nowhere,pub,Unknown,,,\r\n`),
        );
      },
    );
    expect(await run(['snapshot', 'c'], io)).toBe(1);
    const issues = io.stdout.slice(io.stdout.findIndex((l) => l.startsWith('Inconsistencies')) + 1);
    expect(issues).toEqual([
      // The reset restarted TFTP (10.x): pub serves the reset ITL now, and the corrupted copy is in history/.
      expect.stringMatching(
        /^c\/history\/[0-9a-f]{40}\.tlv: offset \d+: the signature does not verify \(the signature does not match the signer's key\): the file is not trusted$/,
      ),
      expect.stringMatching(
        /^c\/tftp\/sub\/ITLFile\.tlv: offset \d+: the ITL sub serves is not its own: its TFTP record is pub's \(a copied file, or the reset ITL of utils itl reset\)$/,
      ),
      'c/phones.csv:4: SEP00000000000C: TFTP nowhere is no node of cluster.json',
    ]);
  });
});

describe('itl-model --help', () => {
  it('should list the snapshot command and its exit codes', async () => {
    const io = memoryIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.stdout.some((l) => /^\s+snapshot \[options\] <dir>/.test(l))).toBe(true);
    const sub = memoryIo();
    expect(await run(['snapshot', '--help'], sub)).toBe(0);
    expect(sub.stdout.join('\n')).toContain('1 inconsistencies found');
  });
});

describe('how the sample folder examples/cluster was made (examples/cluster/README.md)', () => {
  const sample = (path: string) => readFileSync(join(REPO, 'examples', 'cluster', ...path.split('/')));
  const TLV = [
    'tftp/cucm-pub/ITLFile.tlv',
    'history/cucm-pub-ITLFile-2024-05-14.tlv',
    'history/cucm-sub-ITLFile-2024-05-14.tlv',
    'make/cucm-sub-ITLFile.tlv',
    'make/foreign-ITLFile.tlv',
  ];

  it.each(TLV)(
    '%s: written by tlvfile (SIGNER VERSION, which itl-model never writes), verified by tlvfile and by itl-model',
    (path) => {
      const bytes = new Uint8Array(sample(path));
      const file = decodeItl(bytes);
      expect(file.signerVersion).toBe('1.0');
      expect(verifyItl(bytes, file).status).toBe('verified');
      const parsed = sample('make/tlvfile-parse.txt').toString();
      const block = parsed.split('==> ').find((b) => b.startsWith(`${path} `))!;
      expect(block).toContain(`sha1 ${hashHex('sha1', bytes)}`);
      expect(block.trimEnd().endsWith('Valid signature')).toBe(true);
    },
  );

  it("should hold the subscriber's file only as what itl-model show-itl prints for it", async () => {
    const io = capturingIo();
    expect(await run(['show-itl', join(REPO, 'examples', 'cluster', 'make', 'cucm-sub-ITLFile.tlv')], io)).toBe(0);
    expect(sample('tftp/cucm-sub/show-itl.txt').toString()).toBe(`${io.stdout.join('\n')}\n`);
  });

  it('should keep no private key', () => {
    const all = spawnSync('grep', ['-rl', 'PRIVATE KEY', join(REPO, 'examples', 'cluster')], { encoding: 'utf8' });
    expect(all.stdout.split('\n').filter((l) => l !== '' && !l.endsWith('.py'))).toEqual([]);
  });
});
