import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/memoryIo.ts';
import { FLAG_KEYS, SWITCHES } from '../cli/modelSwitches.ts';
import { replayCommand, type ReplayCommandOptions } from '../cli/replayCommand.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';

/**
 * The `replay --json` report of every example, held equal to the one checked in beside it
 * (examples/reports/NAME.json). The examples' `.expected.json` state what the rules decide (trust,
 * rule, messages, recovery), written from the sources; these reports freeze everything else a user
 * reads in the contract's JSON: each phone's status line, the typed reasons of a refusal (which rule,
 * why, which signer, which TVS answered what), the CTL's state and failures, the timeline's counts,
 * the diagnosis and its remedy, the alerts. (The properties a log violates are left to logCheck's
 * tests: `--no-check` keeps this file to seconds.) A change to any of them is then a reviewed change:
 * `npx vitest run examples/reports.test.ts -u` rewrites the files, and the diff shows what moved.
 */

const dir = new URL('./', import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.replace(/\.jsonl$/, ''))
  .sort();
/**
 * The order the reports are checked in: by name, the one example of 37 nodes (seconds, where the
 * others take milliseconds) last, so that a run that stops at its first failure (StrykerJS's) seldom
 * waits for it.
 */
const SLOW = 'r17-itl-too-large';
const order = [...names.filter((n) => n !== SLOW), ...names.filter((n) => n === SLOW)];

/** The command-line flags that give an example's model options (`holdTimer: false` is `--no-hold-timer`). */
function flagsOf(options: Partial<ModelOptions> | undefined): ReplayCommandOptions {
  const flags: Record<string, boolean> = {};
  for (const [option, value] of Object.entries(options ?? {})) {
    if (option === 'holdTimer') {
      flags.holdTimer = value as boolean;
      continue;
    }
    const s = SWITCHES.find((sw) => sw.option === option && sw.value === value);
    if (!s) throw new Error(`no flag gives ${option}: ${String(value)}`);
    flags[FLAG_KEYS[s.flag]] = !s.flag.startsWith('--no-');
  }
  return flags as ReplayCommandOptions;
}

describe('example reports', () => {
  it('should have a checked-in report for every example log', () => {
    const reports = readdirSync(new URL('./reports/', dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(reports).toEqual(names);
  });

  for (const name of order) {
    it(`should give ${name} the report checked in for it`, async () => {
      const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as {
        options?: Partial<ModelOptions>;
      };
      const file = `${name}.jsonl`;
      const io = memoryIo({ [file]: readFileSync(new URL(file, dir), 'utf8') });
      const code = await replayCommand(file, { json: true, check: false, ...flagsOf(expected.options) }, io);
      expect(io.stderr).toEqual([]);
      expect(code).toBe(0);
      await expect(`${io.stdout.join('\n')}\n`).toMatchFileSnapshot(`./reports/${name}.json`);
    });
  }
});
