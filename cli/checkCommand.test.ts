import { describe, expect, it } from 'vitest';
import { memoryIo } from './memoryIo.ts';
import { check } from './checkCommand.ts';
import { parseLog } from '../model/parseLog.ts';
import { replayCommand } from './replayCommand.ts';
import { switchFlags } from './modelSwitches.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';

/** The command-line flags (as commander gives them) that set these model options: `--no-x-y` is `xY: false`, `--x-y` is `xY: true`. */
function flagsOf(options: Partial<ModelOptions>): Record<string, boolean> {
  return Object.fromEntries(
    switchFlags(options).map((flag) => {
      const off = flag.startsWith('--no-');
      const words = flag.replace(/^--(no-)?/, '').split('-');
      return [words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join(''), !off];
    }),
  );
}

describe('check', () => {
  it('should exit 0 and print the counts and every property when the scope is small', async () => {
    const io = memoryIo();
    expect(await check({ depth: '3', phones: '2', runs: '2' }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(
      /^scope: 2 nodes, 2 phones; states explored \d+, distinct states \d+, depth 3 .*\d+ states\/s \(\d+ distinct states\/s\); scopes: 10\.x; 12\.5 non-secure; 12\.5 mixed mode; 11\.5 mixed mode to 12\.5\(1\)SU2$/,
    );
    // A bounded run says so in the verdict of each property it checked exhaustively, and in each of
    // its exhaustive lines; one checked only on random logs says only that.
    expect(io.stdout).toContain(
      'recoveryWithItlRecovery: holds to depth 3 (BOUNDED: states deeper than the bound were not checked)',
    );
    expect(io.stdout).toContain('snapshotReplay: holds');
    const lines = (name: string) =>
      io.stdout
        .slice(io.stdout.findIndex((l) => l.startsWith(`${name}: holds`)) + 1)
        .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('  - ')));
    expect(lines('recoveryWithItlRecovery')).toEqual([
      expect.stringMatching(/^ {2}- exhaustive: to depth 3 \(bounded: frontier not empty\) of 2 nodes, 2 phones/),
      expect.stringMatching(/^ {2}- randomized: 2 logs .*FC_SEED=\d+\)$/),
    ]);
    expect(lines('snapshotReplay')).toEqual([expect.stringMatching(/^ {2}- randomized: 2 logs/)]);
    expect(io.stdout).toContain('recoveryForEveryPhone[c-rebuild-without-backup]: violated (expected)');
    // The 12.5 headline is checked in the two 12.5 scopes, the 10.x one in the 10.x scope only.
    expect(lines('recoveryByDocumentedProcedure').slice(0, 2)).toEqual([
      expect.stringMatching(/^ {2}- exhaustive: .* of 2 nodes, 2 phones, 12\.5 non-secure \(its events\)/),
      expect.stringMatching(/^ {2}- exhaustive: .* of 2 nodes, 2 phones, 12\.5 mixed mode \(its events\)/),
    ]);
    expect(io.stdout).toContain('upgradeKeepsTrust[g-fn70613-mixed-mode]: violated (expected)');
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
      'options',
      'parts',
      'properties',
      'scopes',
      'seconds',
      'seed',
      'statesExplored',
    ]);
    const scopes = (doc as unknown as { scopes: Array<{ name: string; events: string[] | 'all'; depth: number }> })
      .scopes;
    expect(scopes.map((x) => x.name)).toEqual([
      '10.x',
      '12.5 non-secure',
      '12.5 mixed mode',
      '11.5 mixed mode to 12.5(1)SU2',
    ]);
    expect(scopes[0]!.events).toBe('all');
    expect(scopes[2]!.events).toContain('ctlReset');
    expect(scopes.every((x) => x.depth === 2)).toBe(true);
    expect((doc as unknown as { options: object }).options).toEqual({});
    const weakness = doc.properties.find((p) => p.name === 'recoveryForEveryPhone[a-pre10-itl]')!;
    expect(weakness).toMatchObject({ holds: false, expectedToHold: false });
    const text = weakness.counterexample!.map((e) => JSON.stringify(e)).join('\n');
    expect(parseLog(text, 'cx.jsonl').events.length).toBe(weakness.counterexample!.length);
  });

  it('should stop a part at the memory budget and exit 1 with "out of budget, explored N states"', async () => {
    const io = memoryIo();
    // One phone to depth 5 needs a few thousand states per scope: a 16 MiB store holds them.
    expect(await check({ depth: '5', phones: '1', runs: '1', memory: '16' }, io)).toBe(0);
    expect(io.stderr.join('\n')).not.toMatch(/out of budget/);
    // To an empty frontier the 10.x part needs 1.5 million states: 16 MiB cannot hold them.
    const small = memoryIo();
    expect(await check({ phones: '1', runs: '1', memory: '16' }, small)).toBe(1);
    expect(small.stderr).toContainEqual(
      expect.stringMatching(/^itl-model check: out of budget \(--memory 16 MiB\), explored \d+ states: 10\.x: phone /),
    );
    expect(small.stdout.join('\n')).toMatch(/OUT OF BUDGET/);
    // A property the stopped part checks says so in its verdict, not that it holds to a depth bound.
    const verdict = small.stdout.find((l) => l.startsWith('recoveryWithItlRecovery: '));
    expect(verdict).toBe(
      'recoveryWithItlRecovery: holds in the states searched (OUT OF BUDGET: a search stopped at --memory, so states beyond were not checked)',
    );
    const evidence = small.stdout[small.stdout.indexOf(verdict!) + 1];
    expect(evidence).toMatch(/^ {2}- exhaustive: to depth \d+ \(out of budget\) of 2 nodes, 1 phone/);
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
          options: Partial<ModelOptions>;
          explanation?: { property: string; event: number };
        }>;
      }>;
    };
    const expected = doc.properties.filter((p) => p.counterexamples.length > 0);
    expect(expected.map((p) => p.name)).toContain('regenerationsKeepTrust[d-hold-timer-off]');
    for (const p of expected) {
      for (const c of p.counterexamples) {
        const replayed = memoryIo({ 'cx.jsonl': c.log.map((e) => JSON.stringify(e)).join('\n') });
        await replayCommand('cx.jsonl', { json: true, ...flagsOf(c.options) }, replayed);
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

  it('should run under a model switch given on the command line and carry it in every counterexample', async () => {
    const io = memoryIo();
    expect(await check({ json: true, depth: '1', phones: '2', runs: '1', conservativeTvs: true }, io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as {
      options: Partial<ModelOptions>;
      properties: Array<{ name: string; counterexamples: Array<{ options: Partial<ModelOptions> }> }>;
    };
    expect(doc.options).toEqual({ tvsVouchesOwnItlRecovery: false });
    const d = doc.properties.find((p) => p.name === 'regenerationsKeepTrust[d-hold-timer-off]')!;
    expect(d.counterexamples[0]!.options).toEqual({ tvsVouchesOwnItlRecovery: false, holdTimer: false });
  });

  it('should print a coverage table with every rule met and say when a run is bounded', async () => {
    const io = memoryIo();
    expect(await check({ quick: true }, io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/BOUNDED: the frontier was not empty/);
    for (const rule of ['R0', 'R2', 'R3', 'R4']) expect(text).toMatch(new RegExp(`rule +${rule} +[1-9][\\d,]* `));
  });
});
