import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnoseAll } from '../machines/diagnose.ts';
import { replay } from '../machines/replay.ts';
import { parseLog } from '../model/parseLog.ts';
import { refusalText } from '../cli/refusalText.ts';
import type { ClusterState, CtlRule, ModelOptions, PhoneTrust, Rule } from '../model/cluster/clusterState.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { secureRegistration } from '../model/trust/secureRegistration.ts';

/** A phone as an example expects it; every field but `trust` is compared only when given. */
interface ExpectedPhone {
  /** As `replay` reports it: a rejected CTL locks the phone, and a device without SBD trusts its CTL (A26). */
  trust: PhoneTrust;
  /** The rule of its last ITL decision; null when it never decided one (a device without Security By Default). */
  rule?: Rule | null;
  /** Mixed mode: the phone's CTL (installed or rejected) and the rule that decided it; null when it holds none. */
  ctl?: { state: 'installed' | 'rejected'; rule?: CtlRule } | null;
  /** A27: whether a phone with a secure profile registers securely. */
  secureRegistration?: boolean;
}

interface Expected {
  scenario: string;
  phones: Record<string, ExpectedPhone>;
  messages: string[];
  recovery: Record<string, string>;
  /** The event at which a phone last locked or recovered; null: it never did. */
  lockedAt?: Record<string, number | null>;
  recoveredAt?: Record<string, number | null>;
  alertEvents?: number[];
  /** Checkpoints: the phones once the first `until` events are replayed (and automatic restarts under way have ended). */
  stages?: Array<{ until: number; phones: Record<string, ExpectedPhone> }>;
  /** Model options of the replay, as the switches of `replay` give them (`holdTimer: false` is `--no-hold-timer`). */
  options?: Partial<ModelOptions>;
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

/** The phones an example names, with the fields it states. */
function phonesOf(cluster: ClusterState, expected: Record<string, ExpectedPhone>) {
  return Object.fromEntries(
    cluster.phones
      .filter((p) => p.id in expected)
      .map((p) => {
        const want = expected[p.id]!;
        return [
          p.id,
          {
            trust: phoneTrust(p),
            ...('rule' in want ? { rule: p.lastDecision?.rule ?? null } : {}),
            ...('ctl' in want
              ? { ctl: p.ctl ? { state: p.ctl.state, ...(want.ctl?.rule ? { rule: p.ctl.rule } : {}) } : null }
              : {}),
            ...('secureRegistration' in want ? { secureRegistration: secureRegistration(cluster, p) } : {}),
          },
        ];
      }),
  );
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
      const opts = expected.options ? { options: expected.options } : {};
      const result = replay(log.events, opts);
      const cluster = result.settled.cluster!;
      for (const stage of expected.stages ?? []) {
        const early = replay(log.events, { ...opts, until: stage.until }).settled.cluster!;
        expect(phonesOf(early, stage.phones), `${expected.scenario} (after event ${stage.until})`).toEqual(
          stage.phones,
        );
      }
      expect(phonesOf(cluster, expected.phones), expected.scenario).toEqual(expected.phones);
      expect(result.reports.flatMap((r) => r.refusals.map(refusalText))).toEqual(expected.messages);
      const last = result.reports[result.reports.length - 1]!;
      const recovery = Object.fromEntries(
        diagnoseAll(result.settled, (result.settle ?? last).at).map((d) => [d.phone, d.recovery]),
      );
      expect(recovery).toEqual(expected.recovery);
      for (const [phone, event] of Object.entries(expected.lockedAt ?? {}))
        expect(cluster.phones.find((p) => p.id === phone)!.lockedAt, `${phone} lockedAt`).toBe(event ?? undefined);
      for (const [phone, event] of Object.entries(expected.recoveredAt ?? {}))
        expect(cluster.phones.find((p) => p.id === phone)!.recoveredAt, `${phone} recoveredAt`).toBe(
          event ?? undefined,
        );
      if (expected.alertEvents)
        expect(result.reports.filter((r) => r.alerts.length > 0).map((r) => r.event)).toEqual(expected.alertEvents);
    });
  }
});
