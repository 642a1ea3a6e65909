import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.ts';
import { check } from './checkCommand.ts';
import { parseLog } from '../model/parseLog.ts';
import { replayCommand } from './replayCommand.ts';

describe('check', () => {
  it('should exit 0 and print the counts and every property when the scope is small', async () => {
    const io = memoryIo();
    expect(await check({ depth: '3', phones: '2', runs: '2' }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(
      /^scope: 2 nodes, 2 phones; states explored \d+, distinct states \d+, depth 3 .*\d+ states\/s \(\d+ distinct states\/s\)$/,
    );
    expect(io.stdout).toContain('recoveryWithItlRecovery: holds');
    // A bounded run says so for each property it checked exhaustively; the random-only ones say only that.
    const lines = (name: string) =>
      io.stdout
        .slice(io.stdout.indexOf(`${name}: holds`) + 1)
        .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('  - ')));
    expect(lines('recoveryWithItlRecovery')).toEqual([
      expect.stringMatching(/^ {2}- exhaustive: to depth 3 \(bounded: frontier not empty\) of 2 nodes, 2 phones/),
      expect.stringMatching(/^ {2}- randomized: 2 logs .*FC_SEED=\d+\)$/),
    ]);
    expect(lines('snapshotReplay')).toEqual([expect.stringMatching(/^ {2}- randomized: 2 logs/)]);
    expect(io.stdout).toContain('recoveryForEveryPhone[c-rebuild-without-backup]: violated (expected)');
  });

  it('should print the JSON document with replayable counterexamples when --json', async () => {
    const io = memoryIo();
    expect(await check({ json: true, depth: '2', phones: '2', runs: '1' }, io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as {
      properties: Array<{ name: string; holds: boolean; expectedToHold: boolean; counterexample?: unknown[] }>;
      statesExplored: number;
      distinctStates: number;
      depth: number;
      seconds: number;
    };
    expect(Object.keys(doc).sort()).toEqual([
      'bounded',
      'complete',
      'coverage',
      'depth',
      'distinctStates',
      'parts',
      'properties',
      'seconds',
      'seed',
      'statesExplored',
    ]);
    const weakness = doc.properties.find((p) => p.name === 'recoveryForEveryPhone[a-pre10-itl]')!;
    expect(weakness).toMatchObject({ holds: false, expectedToHold: false });
    const text = weakness.counterexample!.map((e) => JSON.stringify(e)).join('\n');
    expect(parseLog(text, 'cx.jsonl').events.length).toBe(weakness.counterexample!.length);
  });

  it('should exit 2 with one line when an option is not a number in range', async () => {
    const io = memoryIo();
    expect(await check({ nodes: '7' }, io)).toBe(2);
    expect(io.stderr).toEqual(["itl-model check: --nodes must be an integer from 2 to 3, got '7'"]);
  });

  it('should exit 2 with one line when --runs is 0 (some invariants are checked only on random logs)', async () => {
    const io = memoryIo();
    expect(await check({ runs: '0' }, io)).toBe(2);
    expect(io.stderr).toEqual(["itl-model check: --runs must be an integer from 1 to 10000, got '0'"]);
  });

  it('should exit 2 with one line naming FC_SEED when it is not an integer', async () => {
    const io = memoryIo();
    const saved = process.env.FC_SEED;
    process.env.FC_SEED = 'abc';
    try {
      expect(await check({ depth: '1' }, io)).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.FC_SEED;
      else process.env.FC_SEED = saved;
    }
    expect(io.stderr).toEqual(['itl-model check: FC_SEED must be an integer or "random", got \'abc\'']);
  });
});

describe('check counterexamples', () => {
  it('should carry the options each needs, so that replaying it with them shows its violation', async () => {
    const io = memoryIo();
    await check({ json: true, quick: true, counterexamples: '2' }, io);
    const doc = JSON.parse(io.stdout.join('\n')) as {
      properties: Array<{
        name: string;
        counterexamples: Array<{
          log: unknown[];
          options: { holdTimer?: false };
          explanation?: { property: string; event: number };
        }>;
      }>;
    };
    const expected = doc.properties.filter((p) => p.counterexamples.length > 0);
    expect(expected.map((p) => p.name)).toContain('regenerationsKeepTrust[d-hold-timer-off]');
    for (const p of expected) {
      for (const c of p.counterexamples) {
        const replayed = memoryIo({ 'cx.jsonl': c.log.map((e) => JSON.stringify(e)).join('\n') });
        await replayCommand(
          'cx.jsonl',
          { json: true, ...(c.options.holdTimer === false ? { holdTimer: false } : {}) },
          replayed,
        );
        const violations = (
          JSON.parse(replayed.stdout.join('\n')) as { violations: Array<{ property: string; event: number }> }
        ).violations;
        expect(
          violations.map((v) => v.property),
          p.name,
        ).toContain(p.name.replace(/\[.*\]$/, ''));
        expect(c.explanation, p.name).toBeDefined();
      }
    }
    const d = doc.properties.find((p) => p.name === 'regenerationsKeepTrust[d-hold-timer-off]')!;
    expect(d.counterexamples[0]!.options).toEqual({ holdTimer: false });
    expect(d.counterexamples).toHaveLength(2);
  });

  it('should print a coverage table with every rule met and say when a run is bounded', async () => {
    const io = memoryIo();
    expect(await check({ quick: true }, io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/BOUNDED: the frontier was not empty/);
    for (const rule of ['R0', 'R2', 'R3', 'R4']) expect(text).toMatch(new RegExp(`rule +${rule} +[1-9][\\d,]* `));
  });
});
