import { describe, expect, it } from 'vitest';
import { memoryIo } from './io.ts';
import { check } from './checkCommand.ts';
import { parseLog } from '../model/parseLog.ts';

describe('check', () => {
  it('should exit 0 and print the counts and every property when the scope is small', async () => {
    const io = memoryIo();
    expect(await check({ depth: '3', phones: '2', runs: '2' }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^scope: 2 nodes, 2 phones; states explored \d+, distinct states \d+, depth 3 .*states\/s$/);
    expect(io.stdout).toContain('recoveryWithItlRecovery: holds');
    expect(io.stdout).toContain('recoveryForEveryPhone[c-rebuild-without-backup]: violated (expected)');
  });

  it('should print the JSON document with replayable counterexamples when --json', async () => {
    const io = memoryIo();
    expect(await check({ json: true, depth: '2', phones: '2', runs: '0' }, io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as { properties: Array<{ name: string; holds: boolean; expectedToHold: boolean; counterexample?: unknown[] }>; statesExplored: number; distinctStates: number; depth: number; seconds: number };
    expect(Object.keys(doc).sort()).toEqual(['complete', 'depth', 'distinctStates', 'parts', 'properties', 'seconds', 'statesExplored']);
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
});
