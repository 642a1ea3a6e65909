import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../test-support/scenario.ts';
import { hashHex } from '../model/crypto/pkcs1.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { replayModel } from '../model/replay/fold.ts';
import { memoryIo, type Io, type MemoryIo } from './io.ts';
import { run } from './main.ts';
import { nodeIo } from './nodeIo.ts';
import type { SnapshotJson } from './snapshotJson.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** nodeIo with its printed lines kept. */
function capturingIo(): Io & { stdout: string[]; stderr: string[] } {
  const io = { ...nodeIo, stdout: [] as string[], stderr: [] as string[] };
  io.out = (line) => void io.stdout.push(line);
  io.err = (line) => void io.stderr.push(line);
  return io;
}

/** A memory Io holding a folder `c/` written from a replay of `lines`, changed by `edit`. */
function folderIo(lines: Line[], edit: (files: Map<string, Uint8Array>) => void = () => {}): MemoryIo {
  const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: true });
  edit(files);
  return memoryIo(Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])));
}

const PHONES: Line[] = [
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
];
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

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

describe('itl-model snapshot refusals (exit 2, one line per problem, nothing on stdout)', () => {
  const base = [install(), ...PHONES];

  async function refused(io: MemoryIo, ...args: string[]): Promise<string[]> {
    const before = new Map(io.files);
    expect(await run(['snapshot', 'c', ...args], io)).toBe(2);
    expect(io.files).toEqual(before);
    if (!args.includes('--json')) expect(io.stdout).toEqual([]);
    return io.stderr;
  }

  it('should refuse a folder without cluster.json and phones.csv, and a path that is no folder', async () => {
    const io = folderIo(base, (files) => {
      files.delete('cluster.json');
      files.delete('phones.csv');
    });
    expect(await refused(io)).toEqual([
      'c/cluster.json: missing: a cluster folder must have it (docs/cluster-folder.md)',
      'c/phones.csv: missing: a cluster folder must have it (docs/cluster-folder.md)',
    ]);
    const none = memoryIo();
    expect(await run(['snapshot', 'nowhere'], none)).toBe(2);
    expect(none.stderr).toEqual(['nowhere: cannot list: no such file or folder']);
  });

  it('should refuse a node folder that is no node of cluster.json and a file a node folder does not hold, before reading them', async () => {
    const io = folderIo(base, (files) => {
      files.set('tftp/ghost/ITLFile.tlv', new Uint8Array(1));
      files.set('tftp/pub/notes.txt', new Uint8Array(1));
    });
    expect(await refused(io)).toEqual([
      'c/tftp/ghost: is not a node of cluster.json (its nodes: pub, sub)',
      'c/tftp/pub/notes.txt: unexpected: a node folder holds ITLFile.tlv, CTLFile.tlv, show-itl.txt, show-ctl.txt',
    ]);
  });

  it('should report every bad file of the folder together: cluster.json field, phones.csv lines, ITL offset, listing line', async () => {
    const io = folderIo(base, (files) => {
      const json = Buffer.from(files.get('cluster.json')!).toString().replace('"tftp": false', '"tftp": 1');
      files.set('cluster.json', text(json.replace('"parameters"', '"colour": "red", "parameters"')));
      files.set(
        'phones.csv',
        text('Device Name,TFTP,TVS,Status,ITL Hash\nSEP00000000000A,pub,pub,Registered,abc\nx,pub,pub,,\n'),
      );
    });
    expect(await refused(io)).toEqual([
      expect.stringMatching(/^c\/cluster\.json:\d+: unknown field "colour"$/),
      'c/phones.csv:2: ITL Hash has 3 hex digits: a SHA-1 has 40 (an MD5 32)',
      'c/phones.csv:3: Device Name must be a device name (SEP and 12 hex digits, or ATA, CSF, BOT, TCT, TAB and a name), got "x"',
    ]);
    const io2 = folderIo(base, (files) => {
      files.set('tftp/pub/ITLFile.tlv', files.get('tftp/pub/ITLFile.tlv')!.subarray(0, 700));
      files.set(
        'tftp/sub/show-itl.txt',
        text('The checksum value of the ITL file:\nParse ITL File\nVersion: 1.2\nITL Record #:2\n'),
      );
    });
    expect(await refused(io2)).toEqual([
      expect.stringMatching(/^c\/tftp\/pub\/ITLFile\.tlv: offset \d+: \S/),
      'c/tftp/sub/show-itl.txt:4: record #2 where #1 was expected',
    ]);
  });

  it('should refuse a file past its cap, checked before reading', async () => {
    const io = folderIo(base, (files) => files.set('tftp/pub/ITLFile.tlv', new Uint8Array(1024 * 1024 + 1)));
    expect(await refused(io)).toEqual([
      'c/tftp/pub/ITLFile.tlv: cannot read: 1048577 bytes, more than the 1048576-byte cap',
    ]);
  });

  it('should print the refusal as JSON with --json', async () => {
    const io = folderIo(base, (files) => files.delete('phones.csv'));
    await refused(io, '--json');
    expect(JSON.parse(io.stdout.join('\n'))).toEqual({
      error: [{ file: 'c/phones.csv', reason: 'missing: a cluster folder must have it (docs/cluster-folder.md)' }],
    });
  });
});

describe('the folder walk on a real file system', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itl-model-folder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse symbolic links and anything but regular files and folders', async () => {
    const files = folderOfState(replayModel(logOf([install(), ...PHONES])).settled.cluster!);
    for (const [path, bytes] of files) {
      mkdirSync(join(dir, 'c', ...path.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(dir, 'c', ...path.split('/')), bytes);
    }
    symlinkSync('/etc/passwd', join(dir, 'c', 'tftp', 'pub', 'CTLFile.tlv'));
    mkdirSync(join(dir, 'c', 'history'));
    symlinkSync(join(dir, 'c', 'tftp', 'pub', 'ITLFile.tlv'), join(dir, 'c', 'history', 'old.tlv'));
    mkdirSync(join(dir, 'c', 'history', 'dir.tlv'));
    writeFileSync(join(dir, 'c', 'history', 'README.txt'), 'kept here for notes');
    const io = capturingIo();
    expect(await run(['snapshot', join(dir, 'c')], io)).toBe(2);
    expect(io.stderr).toEqual([
      `${join(dir, 'c', 'tftp', 'pub', 'CTLFile.tlv')}: is a symbolic link: refused (copy the file itself into the folder)`,
      `${join(dir, 'c', 'history', 'dir.tlv')}: is a folder, not a file`,
      `${join(dir, 'c', 'history', 'old.tlv')}: is a symbolic link: refused (copy the file itself into the folder)`,
    ]);
  });

  it('should list a folder with lstat types, and refuse to list a file', async () => {
    mkdirSync(join(dir, 'l', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'l', 'b.txt'), 'x');
    symlinkSync('b.txt', join(dir, 'l', 'a-link'));
    expect(await nodeIo.listDir(join(dir, 'l'))).toEqual([
      { name: 'a-link', type: 'symlink' },
      { name: 'b.txt', type: 'file' },
      { name: 'sub', type: 'folder' },
    ]);
    await expect(nodeIo.listDir(join(dir, 'l', 'b.txt'))).rejects.toMatchObject({
      reason: 'cannot list: not a folder',
    });
  });
});

describe('memoryIo.listDir', () => {
  it('should list files and the folders their paths imply, sorted', async () => {
    const io = memoryIo({ 'c/b.txt': 'x', 'c/a/d.txt': 'y', 'top.txt': 'z' });
    await io.mkdir('c/empty');
    expect(await io.listDir('c')).toEqual([
      { name: 'a', type: 'folder' },
      { name: 'b.txt', type: 'file' },
      { name: 'empty', type: 'folder' },
    ]);
    expect(await io.listDir('c/empty')).toEqual([]);
    await expect(io.listDir('top.txt')).rejects.toMatchObject({ reason: 'cannot list: not a folder' });
    await expect(io.listDir('nope')).rejects.toMatchObject({ reason: 'cannot list: no such file or folder' });
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
