import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnoseAll } from '../machines/diagnose.ts';
import { replay } from '../machines/replay.ts';
import { parseLog } from '../model/parseLog.ts';
import { refusalText } from '../cli/refusalText.ts';

interface Expected {
  scenario: string;
  phones: Record<string, { trust: 'noItl' | 'trusted' | 'locked'; rule: string }>;
  messages: string[];
  recovery: Record<string, string>;
  lockedAt?: Record<string, number>;
  recoveredAt?: Record<string, number>;
  alertEvents?: number[];
  /** Model options of the replay (counterexample (d) turns the hold timer off, like `replay --no-hold-timer`). */
  options?: { holdTimer: boolean };
}

const dir = new URL('./', import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.replace(/\.jsonl$/, ''));

function load(name: string) {
  const log = parseLog(readFileSync(new URL(`${name}.jsonl`, dir), 'utf8'), `${name}.jsonl`);
  const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as Expected;
  return { log, expected };
}

describe('examples', () => {
  it('should have an expected outcome for every example log', () => {
    const expectations = readdirSync(dir)
      .filter((f) => f.endsWith('.expected.json'))
      .map((f) => f.replace(/\.expected\.json$/, ''));
    expect(expectations.sort()).toEqual(names.sort());
  });

  for (const name of names) {
    it(`should replay ${name} to its expected outcome`, () => {
      const { log, expected } = load(name);
      const result = replay(log.events, expected.options ? { options: expected.options } : {});
      const cluster = result.settled.cluster!;
      const phones = Object.fromEntries(
        cluster.phones
          .filter((p) => p.id in expected.phones)
          .map((p) => [p.id, { trust: p.trust, rule: p.lastDecision?.rule }]),
      );
      expect(phones, expected.scenario).toEqual(expected.phones);
      expect(result.reports.flatMap((r) => r.refusals.map(refusalText))).toEqual(expected.messages);
      const last = result.reports[result.reports.length - 1]!;
      const recovery = Object.fromEntries(
        diagnoseAll(result.settled, (result.settle ?? last).at).map((d) => [d.phone, d.recovery]),
      );
      expect(recovery).toEqual(expected.recovery);
      for (const [phone, event] of Object.entries(expected.lockedAt ?? {}))
        expect(cluster.phones.find((p) => p.id === phone)!.lockedAt).toBe(event);
      for (const [phone, event] of Object.entries(expected.recoveredAt ?? {}))
        expect(cluster.phones.find((p) => p.id === phone)!.recoveredAt).toBe(event);
      if (expected.alertEvents)
        expect(result.reports.filter((r) => r.alerts.length > 0).map((r) => r.event)).toEqual(expected.alertEvents);
    });
  }
});
