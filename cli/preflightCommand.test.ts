import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../test-support/scenario.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { importCluster } from '../model/folder/importCluster.ts';
import { NEAR_LIMIT, preflight, type Preflight } from '../model/folder/preflight.ts';
import { ITL_MAX_BYTES, ITL_MAX_RECORDS } from '../model/trust/itlRules.ts';
import { contentsOf } from '../test-support/folderFiles.ts';
import { replayModel } from '../model/replay/fold.ts';
import { type Io } from './io.ts';
import { memoryIo, type MemoryIo } from './memoryIo.ts';
import { run } from './main.ts';
import { nodeIo } from './nodeIo.ts';

function capturingIo(): Io & { stdout: string[]; stderr: string[] } {
  const io = { ...nodeIo, stdout: [] as string[], stderr: [] as string[] };
  io.out = (line) => void io.stdout.push(line);
  io.err = (line) => void io.stderr.push(line);
  return io;
}

/** A memory Io holding a folder `c/` written from a replay of `lines`, cluster.json changed by `cluster`. */
function folderIo(lines: Line[], cluster: (json: Record<string, unknown>) => void = () => {}): MemoryIo {
  const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: true });
  const json = JSON.parse(new TextDecoder().decode(files.get('cluster.json')!)) as Record<string, unknown>;
  cluster(json);
  files.set('cluster.json', new TextEncoder().encode(JSON.stringify(json, null, 2)));
  return memoryIo(Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])));
}

const PHONES: Line[] = [
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
];
const BACKED_UP = (json: Record<string, unknown>) => void (json.itlRecoveryBackup = '2024-03-04T09:04:00Z');

type PreflightJson = Preflight & { format: string; hazards: Array<Preflight['hazards'][number] & { text: string }> };

async function preflightOf(io: MemoryIo, code: number, ...args: string[]): Promise<PreflightJson> {
  expect(await run(['preflight', 'c', '--json', ...args], io)).toBe(code);
  return JSON.parse(io.stdout.join('\n')) as PreflightJson;
}

describe('itl-model preflight on the sample folder examples/cluster', () => {
  it("should flag the phones holding another cluster's ITL (high: exit 1), the missing backup, the FN70613 upgrade, the unregistered phones", async () => {
    const io = capturingIo();
    expect(await run(['preflight', 'examples/cluster', '--json'], io)).toBe(1);
    const doc = JSON.parse(io.stdout.join('\n')) as PreflightJson;
    expect(doc.format).toBe('itl-model preflight 1');
    expect(doc.hazards.map((h) => [h.id, h.kind, h.severity])).toEqual([
      ['F2', 'no-backup-evidence', 'medium'],
      ['F3', 'fn70613-upgrade-path', 'medium'],
      ['F5', 'unregistered-phones', 'medium'],
      ['F6', 'unknown-itl', 'high'],
    ]);
    const fn = doc.hazards.find((h) => h.id === 'F3')!;
    expect(fn.facts.upgrade).toEqual({ from: '11.5(1)SU7', to: '12.5(1)SU1' });
    expect(fn.evidence).toEqual([{ file: 'cluster.json', line: 4 }]);
    expect(doc.hazards.find((h) => h.id === 'F6')!.evidence).toEqual([
      { file: 'phones.csv', line: 8 },
      { file: 'phones.csv', line: 9 },
      { file: 'phones.csv', line: 10 },
    ]);
  });

  it('should print the verdict first, then each hazard with its evidence', async () => {
    const io = capturingIo();
    expect(await run(['preflight', 'examples/cluster'], io)).toBe(1);
    expect(io.stdout.slice(0, 2)).toEqual([
      'Preflight of examples/cluster as of 2024-06-03T07:30:00.000Z: 1 high, 3 medium, 0 low',
      'Verdict: NOT ready for a change (high-severity hazards)',
    ]);
    expect(io.stdout).toContain('               evidence: phones.csv:8, phones.csv:9, phones.csv:10');
  });
});

describe('itl-model preflight on the sample folder examples/cluster/upgrade', () => {
  it('should flag the FN70613 upgrade with the phones still holding the ITLRecovery of 11.5, and a backup older than the current key', async () => {
    const io = capturingIo();
    expect(await run(['preflight', 'examples/cluster/upgrade', '--json'], io)).toBe(1);
    const doc = JSON.parse(io.stdout.join('\n')) as PreflightJson;
    expect(doc.hazards.map((h) => [h.id, h.severity, h.phones])).toEqual([
      ['H6', 'high', ['SEP0011BB000005', 'SEP0011BB000006']],
      ['H11', 'high', ['SEP0011BB000006']],
      ['F2', 'medium', []],
      ['F3', 'high', ['SEP0011BB000003', 'SEP0011BB000004', 'SEP0011BB000005']],
      ['F4', 'high', ['SEP0011BB000003', 'SEP0011BB000004', 'SEP0011BB000005']],
      ['F5', 'medium', ['SEP0011BB000002', 'SEP0011BB000003', 'SEP0011BB000004', 'SEP0011BB000005', 'SEP0011BB000006']],
      ['F6', 'high', ['SEP0011BB000007']],
    ]);
    expect(doc.hazards.find((h) => h.id === 'F2')!.evidence).toEqual([{ file: 'cluster.json', line: 5 }]);
  });
});

describe('itl-model preflight on folders written from replays', () => {
  it('should exit 0 on a healthy cluster with a backup', async () => {
    const doc = await preflightOf(folderIo([install({ version: '12.5(1)SU3' }), ...PHONES], BACKED_UP), 0);
    expect(doc.hazards).toEqual([]);
  });

  it('should flag phones whose ITL lacks the current ITLRecovery after a regeneration (12.5), with their lines', async () => {
    const doc = await preflightOf(
      folderIo(
        [
          install({ version: '12.5(1)SU3' }),
          ...PHONES,
          { type: 'phone.power', phone: 'SEP00000000000B', on: false },
          { type: 'cert.regenerate', node: 'pub', cert: 'ITLRecovery' },
          { type: 'tftp.restart', node: 'pub' },
          { type: 'tftp.restart', node: 'sub' },
          { type: 'devices.reset' },
        ],
        BACKED_UP,
      ),
      1,
    );
    const f4 = doc.hazards.find((h) => h.id === 'F4')!;
    expect(f4).toMatchObject({
      severity: 'high',
      phones: ['SEP00000000000B'],
      evidence: [{ file: 'phones.csv', line: 3 }],
    });
    // The backup predates the new ITLRecovery certificate: it holds the old key.
    expect(doc.hazards.find((h) => h.id === 'F2')!.facts.backupAt).toBe('2024-03-04T09:04:00Z');
    expect(doc.hazards.find((h) => h.id === 'F5')!.phones).toEqual(['SEP00000000000B']);
  });

  it('should flag a 1024-bit ITLRecovery with 2048-bit CallManager (H1), with the records it shows in', async () => {
    const doc = await preflightOf(
      folderIo([install({ version: '12.5(1)SU3', keyBits: 2048, itlRecoveryKeyBits: 1024 }), ...PHONES], BACKED_UP),
      0,
    );
    const h1 = doc.hazards.find((h) => h.id === 'H1')!;
    expect(h1).toMatchObject({ severity: 'medium', facts: { itlRecoveryBits: 1024, callManagerBits: 2048 } });
    expect(h1.evidence.map((e) => e.file)).toEqual(['tftp/pub/ITLFile.tlv', 'tftp/pub/ITLFile.tlv']);
    expect(h1.evidence.every((e) => typeof e.offset === 'number')).toBe(true);
  });

  it('should flag an ITLRecovery certificate that expires within 90 days of --at, and one expired (high)', async () => {
    const lines = [install({ version: '12.5(1)SU3' }), ...PHONES];
    // 12.5(1)SU3: the ITLRecovery certificate is valid 20 years from the install (2024-03-04).
    const soon = await preflightOf(folderIo(lines, BACKED_UP), 0, '--at', '2044-01-01T00:00:00Z');
    expect(soon.hazards.map((h) => [h.id, h.kind, h.facts.daysLeft])).toEqual([['H4', 'itlrecovery-expiring', 63]]);
    const late = await preflightOf(folderIo(lines, BACKED_UP), 1, '--at', '2045-01-01T00:00:00Z');
    expect(late.hazards.map((h) => [h.kind, h.severity])).toEqual([['itlrecovery-expired', 'high']]);
  });

  it('should refuse a bad --at and a folder it cannot read (exit 2)', async () => {
    const io = memoryIo();
    expect(await run(['preflight', 'c', '--at', 'tomorrow'], io)).toBe(2);
    expect(io.stderr).toEqual(['--at: expected an ISO 8601 time like 2024-03-04T09:00:00Z, got "tomorrow"']);
    const bad = folderIo([install(), ...PHONES], (json) => void (json.versions = ['11.5(1)', 'twelve']));
    expect(await run(['preflight', 'c'], bad)).toBe(2);
    expect(bad.stderr).toHaveLength(1);
    expect(bad.stderr[0]).toMatch(/^c\/cluster\.json:\d+: field "versions\[1\]"/);
  });
});

/**
 * F1 (docs/cluster-folder.md): a served ITL within 10% of 39 records or 64 KB; H2 (docs/rules.md §18,
 * X14) once it has more than 39 records or 65,535 bytes, which a phone cannot load. From 14 an ITL
 * holds 4 records of its own and one TVS record per node, so n nodes serve n + 4 records.
 */
describe('itl-model preflight: an ITL near the size a phone loads (F1)', () => {
  /** A 14 cluster of `count` nodes, two of them TFTP, with a phone on each TFTP node. */
  const cluster = (count: number): Line[] => [
    install({
      version: '14',
      nodes: Array.from({ length: count }, (_, i) => ({
        name: `n${i}`,
        role: i ? 'subscriber' : 'publisher',
        tftp: i < 2,
      })),
    }),
    { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'n0', tvs: ['n0', 'n1'] },
    { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'n1', tvs: ['n1', 'n0'] },
  ];
  const SERVED = [{ file: 'tftp/n0/ITLFile.tlv' }, { file: 'tftp/n1/ITLFile.tlv' }];

  it('should have the limits the docs give: 39 records and 65,535 bytes, near above 90%', () => {
    expect([ITL_MAX_RECORDS, ITL_MAX_BYTES, NEAR_LIMIT]).toEqual([39, 65_535, 0.9]);
  });

  it('should raise no F1 for 35 records (not over 90% of 39)', async () => {
    const doc = await preflightOf(folderIo(cluster(31), BACKED_UP), 0);
    expect(doc.hazards).toEqual([]);
  });

  it('should raise exactly one F1, medium, for 36 records on both TFTP nodes, with their files', async () => {
    const doc = await preflightOf(folderIo(cluster(32), BACKED_UP), 0);
    expect(doc.hazards.map((h) => [h.id, h.kind, h.severity])).toEqual([['F1', 'itl-near-limit', 'medium']]);
    const f1 = doc.hazards[0]!;
    expect(f1).toMatchObject({ nodes: ['n0', 'n1'], phones: [], evidence: SERVED });
    expect(f1.facts.files!.map((f) => [f.file, f.records])).toEqual([
      ['tftp/n0/ITLFile.tlv', 36],
      ['tftp/n1/ITLFile.tlv', 36],
    ]);
  });

  it('should still raise F1, not H2, at exactly 39 records: a phone loads them', async () => {
    const doc = await preflightOf(folderIo(cluster(35), BACKED_UP), 0);
    expect(doc.hazards.map((h) => [h.id, h.severity, h.nodes])).toEqual([['F1', 'medium', ['n0', 'n1']]]);
  });

  it('should raise H2 (high) and no F1 for 40 records, over the limit', async () => {
    const doc = await preflightOf(folderIo(cluster(36), BACKED_UP), 1);
    // The phones, added to a cluster whose ITL they cannot load, hold none: F6 says so.
    expect(doc.hazards.map((h) => [h.id, h.kind, h.severity])).toEqual([
      ['H2', 'itl-too-large', 'high'],
      ['F6', 'unknown-itl', 'medium'],
    ]);
    expect(doc.hazards[0]).toMatchObject({ nodes: ['n0', 'n1'], evidence: SERVED });
    expect(doc.hazards[0]!.facts.files!.map((f) => f.records)).toEqual([40, 40]);
  });

  it('should judge the size in bytes too: F1 above 90% of 65,535 bytes up to the limit, H2 past it', () => {
    // A model-built ITL of at most 35 records is far below 58 KB, so the served file's length is set
    // on the imported state, where the model's hazard H2 reads it too.
    const imported = importCluster(
      contentsOf(folderOfState(replayModel(logOf(cluster(2))).settled.cluster!, { history: true })),
    );
    const withLength = (length: number) =>
      preflight({
        ...imported,
        state: {
          ...imported.state,
          itls: Object.fromEntries(Object.entries(imported.state.itls).map(([k, itl]) => [k, { ...itl, length }])),
        },
      }).hazards.map((h) => [h.id, h.nodes]);
    const both = ['n0', 'n1'];
    expect(withLength(58_981)).not.toContainEqual(['F1', both]);
    expect(withLength(58_982)).toContainEqual(['F1', both]);
    expect(withLength(65_535)).toContainEqual(['F1', both]);
    expect(withLength(65_535).map(([id]) => id)).not.toContain('H2');
    expect(withLength(65_536)).toContainEqual(['H2', both]);
    expect(withLength(65_536).map(([id]) => id)).not.toContain('F1');
  });
});
