import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../test-support/scenario.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import type { Fleet } from '../model/folder/fleet.ts';
import { replayModel } from '../model/replay/fold.ts';
import { type Io } from './io.ts';
import { memoryIo, type MemoryIo } from './memoryIo.ts';
import { csvCell } from './fleetCsv.ts';
import { run } from './main.ts';
import { nodeIo } from './nodeIo.ts';

/** nodeIo with its printed lines kept. */
function capturingIo(): Io & { stdout: string[]; stderr: string[] } {
  const io = { ...nodeIo, stdout: [] as string[], stderr: [] as string[] };
  io.out = (line) => void io.stdout.push(line);
  io.err = (line) => void io.stderr.push(line);
  return io;
}

/** A memory Io holding a folder `c/` written from a replay of `lines`. */
function folderIo(lines: Line[], edit: (files: Map<string, Uint8Array>) => void = () => {}): MemoryIo {
  const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: true });
  edit(files);
  return memoryIo(Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])));
}

const PHONES: Line[] = [
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'pub', tvs: ['pub'] },
  { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'sub', tvs: ['sub', 'pub'] },
];

type FleetJson = Fleet & { format: string; folder: string };

describe('itl-model fleet on the sample folder examples/cluster', () => {
  it('should class its phones: current, local (older ITLs of history/), unknown (another cluster, no hash)', async () => {
    const io = capturingIo();
    expect(await run(['fleet', 'examples/cluster', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as FleetJson;
    expect(doc.format).toBe('itl-model fleet 1');
    expect(doc.totals).toEqual({
      current: 6,
      local: 3,
      tvs: 0,
      'too-large': 0,
      localkey: 0,
      remotekey: 0,
      'manual-delete': 0,
      unknown: 3,
    });
    const classOf = Object.fromEntries(doc.phones.map((p) => [p.device, p.detail]));
    // Off while TVS changed: their ITL's SAST ITLRecovery record signs the current file (R2).
    expect(classOf.SEP0011AA000005).toEqual({ class: 'local', rule: 'R2' });
    expect(classOf.SEP0011AA000007).toEqual({ class: 'unknown', hash: 'fef3f594c1a8561f125e526238767e945ccc5a53' });
    expect(classOf.SEP0011AA000009).toEqual({ class: 'unknown' });
    expect(doc.byTftp.map((t) => [t.node, t.phones, t.classes.current])).toEqual([
      ['cucm-pub', 7, 3],
      ['cucm-sub', 5, 3],
    ]);
    const old = doc.phones.find((p) => p.device === 'SEP0011AA000005')!;
    expect(old.itl?.file).toBe('history/cucm-pub-ITLFile-2024-05-14.tlv');
    expect(old.itl?.tvs.map((t) => [t.identity, t.current])).toEqual([
      [{ kind: 'tvs', node: 'cucm-pub' }, false],
      [{ kind: 'tvs', node: 'cucm-sub' }, true],
    ]);
    expect(old.itl?.currentItlRecovery).toBe(true);
  });

  it('should print totals per class, per TFTP node and per TVS list before the phones', async () => {
    const io = capturingIo();
    expect(await run(['fleet', 'examples/cluster'], io)).toBe(0);
    const at = (text: string) => io.stdout.findIndex((l) => l.startsWith(text));
    expect(io.stdout[0]).toBe('Fleet of examples/cluster: 12 phones');
    expect(at('Classes')).toBeLessThan(at('By TFTP node'));
    expect(at('By TFTP node')).toBeLessThan(at('By TVS list'));
    expect(at('By TVS list')).toBeLessThan(at('Phones'));
    expect(io.stdout).toContain('  trusted and current                              6');
    expect(io.stdout).toContain('    will accept the next ITL locally (R2)');
  });

  it('should print one CSV row per phone with a header, quoting what needs it', async () => {
    const io = capturingIo();
    expect(await run(['fleet', 'examples/cluster', '--csv'], io)).toBe(0);
    expect(io.stdout).toHaveLength(13);
    expect(io.stdout[0]).toBe(
      'Device Name,Line,TFTP,TVS,Status,Class,Detail,ITL File,ITL SHA1,ITL Signer,SAST,TVS Pinned,Current ITLRecovery,CTL File',
    );
    expect(io.stdout[7]).toBe(
      'SEP0011AA000007,8,cucm-pub,cucm-pub;cucm-sub,Registered,unknown ITL (foreign cluster?),unknown ITL (foreign cluster?): no file of the folder is fef3f594c1a8561f125e526238767e945ccc5a53,,,,,,,',
    );
  });
});

describe('itl-model fleet on the sample folder examples/cluster/upgrade (older files, all written by tlvfile)', () => {
  it('should class every phone: current, local, tvs, localkey, remotekey, manual delete, unknown', async () => {
    const io = capturingIo();
    expect(await run(['fleet', 'examples/cluster/upgrade', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as FleetJson;
    expect(doc.phones.map((p) => [p.device, p.itl?.file ?? '-', p.detail])).toEqual([
      ['SEP0011BB000001', 'tftp/cucm-pub/ITLFile.tlv', { class: 'current' }],
      ['SEP0011BB000002', 'history/cucm-sub-ITLFile-2024-05-14.tlv', { class: 'local', rule: 'R2' }],
      // Signed by the ITLRecovery of 11.5; cucm-sub's TVS record is still good.
      [
        'SEP0011BB000003',
        'history/cucm-sub-ITLFile-2023-04-10.tlv',
        { class: 'tvs', via: 'cucm-sub', reachable: ['cucm-sub'] },
      ],
      // The same file on the publisher, TVS list cucm-pub only (its TVS changed): the 12.5 reset ITL is
      // signed by the publisher's CallManager, a SAST record of its ITL.
      ['SEP0011BB000004', 'history/cucm-pub-ITLFile-2023-04-10.tlv', { class: 'localkey', rule: 'R4' }],
      [
        'SEP0011BB000005',
        'history/cucm-pub-ITLFile-2022-11-02.tlv',
        expect.objectContaining({ class: 'remotekey', rule: 'R4' }),
      ],
      [
        'SEP0011BB000006',
        'history/cucm-pub-ITLFile-2019-06-01.tlv',
        { class: 'manual-delete', rule: 'R4', file: 'itl' },
      ],
      ['SEP0011BB000007', '-', { class: 'unknown', hash: 'fef3f594c1a8561f125e526238767e945ccc5a53' }],
    ]);
    const remote = doc.phones[4]!.detail as { itlRecovery: Array<{ subject: string; certSha1: string }> };
    // The ITLRecovery of 11.5, which its ITL holds: the backup remotekey needs.
    expect(remote.itlRecovery).toHaveLength(1);
    expect(remote.itlRecovery[0]!.subject).toContain('CN=ITLRECOVERY_cucm-pub.example.com');
    expect(doc.phones[0]!.itl?.sast.map((s) => s.certSha1)).not.toContain(remote.itlRecovery[0]!.certSha1);
  });
});

describe('itl-model fleet on folders written from replays', () => {
  it('should class a phone unplugged through two regenerations by what would bring it back', async () => {
    // 10.5: CallManager and both TVS regenerated while SEP..B (TVS list: pub only) and SEP..C were unplugged.
    const io = folderIo([
      install(),
      ...PHONES,
      { type: 'phone.power', phone: 'SEP00000000000B', on: false },
      { type: 'phone.power', phone: 'SEP00000000000C', on: false },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS' },
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager', after: 6 },
    ]);
    expect(await run(['fleet', 'c', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as FleetJson;
    const classOf = Object.fromEntries(doc.phones.map((p) => [p.device, p.detail]));
    expect(classOf.SEP00000000000A).toEqual({ class: 'current' });
    // Its ITL's TVS record of sub still pins sub's TVS, but its TVS list names only pub: it locks, and the
    // ITLRecovery key that signs the 10.x reset ITL is in its ITL.
    expect(classOf.SEP00000000000B).toEqual({ class: 'localkey', rule: 'R4' });
    // TFTP sub: its node's ITL is signed by sub's unchanged CallManager (a SAST record of its ITL).
    expect(classOf.SEP00000000000C).toEqual({ class: 'local', rule: 'R2' });
  });

  it('should say which TVS a phone needs', async () => {
    const io = folderIo([
      install(),
      ...PHONES,
      { type: 'phone.power', phone: 'SEP00000000000A', on: false },
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
    ]);
    expect(await run(['fleet', 'c', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as FleetJson;
    expect(doc.phones.find((p) => p.device === 'SEP00000000000A')!.detail).toEqual({
      class: 'tvs',
      via: 'pub',
      reachable: ['pub', 'sub'],
    });
  });

  it('should read a mixed-mode folder: the CTL each phone holds, and the CTL step before the ITL step', async () => {
    const io = folderIo([
      install({ version: '12.5(1)SU3' }),
      ...PHONES,
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
      { type: 'devices.reset' },
      { type: 'phone.power', phone: 'SEP00000000000C', on: false },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS' },
      { type: 'devices.reset', after: 10 },
    ]);
    expect(await run(['fleet', 'c', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as FleetJson;
    expect(doc.phones.map((p) => [p.device, p.detail.class, !!p.ctl])).toEqual([
      ['SEP00000000000A', 'current', true],
      ['SEP00000000000B', 'current', true],
      ['SEP00000000000C', expect.not.stringMatching(/^(current|unknown)$/), true],
    ]);
  });

  it('should refuse a folder it cannot read with one line per problem, exit 2, and the JSON error document', async () => {
    const io = folderIo([install(), ...PHONES], (files) => files.delete('phones.csv'));
    expect(await run(['fleet', 'c', '--json'], io)).toBe(2);
    expect(io.stderr).toEqual(['c/phones.csv: missing: a cluster folder must have it (docs/cluster-folder.md)']);
    expect(JSON.parse(io.stdout.join('\n'))).toEqual({
      error: [{ file: 'c/phones.csv', reason: 'missing: a cluster folder must have it (docs/cluster-folder.md)' }],
    });
  });

  it('should refuse --json with --csv', async () => {
    const io = memoryIo();
    expect(await run(['fleet', 'c', '--json', '--csv'], io)).toBe(2);
    expect(io.stderr).toEqual(['--json and --csv: choose one']);
  });

  it('should keep a cell that looks like a formula (a certificate name) out of a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('CN=a,OU=b')).toBe('"CN=a,OU=b"');
    expect(csvCell('SEP0011AA000001')).toBe('SEP0011AA000001');
  });
});
