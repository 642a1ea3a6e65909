import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../test-support/scenario.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
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

const PHONES: Line[] = [
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
];

/** A folder `c/` from a replay, and a continuation log `next.jsonl` of `lines` (JSON Lines, given whole). */
function io(lines: Line[], next: object[]): MemoryIo {
  const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: true });
  return memoryIo({
    ...Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])),
    'next.jsonl': next.map((e) => JSON.stringify(e)).join('\n'),
  });
}

/** The phones of a `replay --json` document: id and trust. */
function trustOf(stdout: string[]): Record<string, string> {
  const doc = JSON.parse(stdout.join('\n')) as { phones: Record<string, { trust: string }> };
  return Object.fromEntries(Object.entries(doc.phones).map(([id, p]) => [id, p.trust]));
}

describe('itl-model replay --from DIR LOG', () => {
  it('should continue a log from a folder: the phone unplugged through both TVS and CallManager regenerations locks', async () => {
    const memory = io(
      [install(), ...PHONES],
      [
        { type: 'phone.power', at: '2024-03-05T09:00:00Z', phone: 'SEP00000000000A', on: false },
        { type: 'cert.regenerate', at: '2024-03-05T09:01:00Z', node: 'pub', cert: 'CallManager' },
        { type: 'cert.regenerate', at: '2024-03-05T09:10:00Z', node: 'pub', cert: 'TVS' },
        { type: 'cert.regenerate', at: '2024-03-05T09:20:00Z', node: 'sub', cert: 'TVS' },
        { type: 'phone.power', at: '2024-03-05T09:30:00Z', phone: 'SEP00000000000A', on: true },
      ],
    );
    expect(await run(['replay', '--from', 'c', 'next.jsonl', '--json'], memory)).toBe(0);
    expect(trustOf(memory.stdout)).toEqual({ SEP00000000000A: 'locked', SEP00000000000B: 'trusted' });
  });

  it('should give the same phones as the full log replayed from its install', async () => {
    const history = [install(), ...PHONES, { type: 'cert.regenerate', node: 'sub', cert: 'TVS' }];
    const next = [
      { type: 'phone.power', at: '2024-03-05T09:00:00Z', phone: 'SEP00000000000B', on: false },
      { type: 'cert.regenerate', at: '2024-03-05T09:01:00Z', node: 'sub', cert: 'CallManager' },
      { type: 'itl.reset', at: '2024-03-05T09:10:00Z', node: 'pub', key: 'localkey' },
      { type: 'phone.power', at: '2024-03-05T09:20:00Z', phone: 'SEP00000000000B', on: true },
    ];
    const memory = io(history, next);
    expect(await run(['replay', '--from', 'c', 'next.jsonl', '--json'], memory)).toBe(0);
    const full = logOf(history)
      .map((e) => JSON.stringify(e))
      .concat(next.map((e) => JSON.stringify(e)))
      .join('\n');
    const whole = memoryIo({ 'all.jsonl': full });
    expect(await run(['replay', 'all.jsonl', '--json', '--no-check'], whole)).toBe(0);
    expect(trustOf(memory.stdout)).toEqual(trustOf(whole.stdout));
  });

  it('should print the timeline of the continuation only', async () => {
    const memory = io([install(), ...PHONES], [{ type: 'devices.reset', at: '2024-03-05T09:00:00Z' }]);
    expect(await run(['replay', '--from', 'c', 'next.jsonl'], memory)).toBe(0);
    expect(memory.stdout.join('\n')).toMatch(/devices\.reset/);
    expect(memory.stdout.join('\n')).not.toMatch(/cluster\.install/);
  });

  it('should refuse a log that installs a cluster, names an unknown phone or goes back before the folder', async () => {
    const memory = io(
      [install(), ...PHONES],
      [
        {
          type: 'cluster.install',
          at: '2024-03-05T09:00:00Z',
          version: '10.5(2)',
          domain: 'x.lab',
          securityPassword: 'a',
          nodes: [],
        },
        { type: 'phone.reset', at: '2024-03-05T09:01:00Z', phone: 'SEP0000000000FF' },
        { type: 'devices.reset', at: '2020-01-01T00:00:00Z' },
      ],
    );
    expect(await run(['replay', '--from', 'c', 'next.jsonl'], memory)).toBe(2);
    expect(memory.stderr).toEqual([
      'next.jsonl:1: cluster.install: the cluster is the folder this log continues',
      'next.jsonl:2: phone.reset: unknown phone "SEP0000000000FF" (no earlier phone.add)',
      expect.stringMatching(/^next\.jsonl:3: devices\.reset: field "at" goes back in time/),
    ]);
    expect(memory.stdout).toEqual([]);
  });

  it('should refuse a folder it cannot read, and --html with --from', async () => {
    const memory = io([install(), ...PHONES], []);
    memory.files.delete('c/cluster.json');
    expect(await run(['replay', '--from', 'c', 'next.jsonl'], memory)).toBe(2);
    expect(memory.stderr).toEqual(['c/cluster.json: missing: a cluster folder must have it (docs/cluster-folder.md)']);
    const other = io([install(), ...PHONES], []);
    expect(await run(['replay', '--from', 'c', 'next.jsonl', '--html', 'r.html'], other)).toBe(2);
    expect(other.stderr).toEqual(['--from cannot be combined with --html']);
  });

  it('should continue from the sample folder examples/cluster (files written by tlvfile)', async () => {
    const memory = capturingIo();
    const original = memory.readFile;
    memory.readFile = async (path, max) =>
      path === 'next.jsonl'
        ? new TextEncoder().encode(JSON.stringify({ type: 'devices.reset', at: '2024-06-04T09:00:00Z' }))
        : original(path, max);
    expect(await run(['replay', '--from', 'examples/cluster', 'next.jsonl', '--json'], memory)).toBe(0);
    // The phones holding another cluster's ITL (or none known) lock; the ones off stay as they were.
    expect(
      Object.entries(trustOf(memory.stdout))
        .filter(([, t]) => t === 'locked')
        .map(([id]) => id),
    ).toEqual(['SEP0011AA000007', 'SEP0011AA000009']);
  });
});
