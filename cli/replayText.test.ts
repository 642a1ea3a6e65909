import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnoseAll, type Diagnosis } from '../machines/diagnose.ts';
import { replay, shownSteps } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import { htmlIncident } from '../test-support/htmlIncident.ts';
import { FIRST_LOCKED } from './lockedText.ts';
import { PHONE_ROWS, replayText, type ReplayTextOptions } from './replayText.ts';

const seed = parseLog(readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8'), 'seed').events;

/** The text report of a log, as replayCommand builds it (with the contexts, so the diagnosis has histories). */
function textOf(
  events: LogEvent[],
  options: ReplayTextOptions = {},
  until?: number,
  edit: (d: Diagnosis[]) => Diagnosis[] = (d) => d,
) {
  const result = replay(events, { keepContexts: true, ...(until ? { until } : {}) });
  const { reports } = shownSteps(result);
  const diagnoses = edit(diagnoseAll(result.settled, reports[reports.length - 1]!.at));
  return replayText(events, result.settled, reports, diagnoses, undefined, { contexts: result.contexts, ...options });
}

/** The lines of the report's tables: from each table heading to the blank line that ends it. */
function tableLines(lines: string[], heading: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(heading));
  return lines.slice(start + 1, lines.indexOf('', start));
}

const big = parseLog(htmlIncident(500), 'big').events;
const bigText = textOf(big);

describe('replayText', () => {
  it('should say why the properties were not checked: the option, or a log too large for the check', () => {
    const last = (options: ReplayTextOptions) => textOf(seed, options, 10).at(-1);
    expect(last({ unchecked: { kind: 'option' } })).toBe('Properties: not checked (--no-check)');
    expect(last({ unchecked: { kind: 'tooLarge', phoneEvents: 200_000_000, budget: 150_000_000 } })).toBe(
      "Properties: not checked: 200,000,000 phone-events (phones x events) is more than the check's 150,000,000",
    );
  });

  it('should open with the headline when phones locked: counts, then the one remedy for the locked phone', () => {
    const lines = textOf(seed, {}, 10);
    expect(lines.slice(0, 3)).toEqual([
      'Summary: 1 of 3 phone(s) LOCKED, 0 recovered, 0 need a visit, 0 at risk (after 10 events)',
      'Remedy for the locked phone SEP001122334455: utils itl reset localkey on test10pub, then reset the phone',
      '',
    ]);
    expect(textOf(seed)[0]).toBe(
      'Summary: 0 of 3 phone(s) LOCKED, 1 recovered, 0 need a visit, 0 at risk (after 15 events)',
    );
  });

  it('should give one remedy line for all locked phones when they share it, not a line per phone', () => {
    expect(bigText[0]).toBe(
      'Summary: 10 of 500 phone(s) LOCKED, 90 recovered, 0 need a visit, 0 at risk (after 715 events)',
    );
    expect(bigText[1]).toBe(
      'Remedy for all 10 locked phones: utils itl reset localkey on bigpub, then reset the 10 phones',
    );
    expect(bigText.filter((l) => l.startsWith('Remed'))).toHaveLength(1);
  });

  it('should list a remedy per group, and count the phones that need a visit, when locked phones need different ones', () => {
    const lines = textOf(big, {}, undefined, (ds) =>
      ds.map((d, i) =>
        i < 3 ? { ...d, recovery: 'manual-itl-delete', advice: { ...d.advice, recovery: 'manual-itl-delete' } } : d,
      ),
    );
    expect(lines[0]).toMatch(/LOCKED, 90 recovered, 3 need a visit,/);
    expect(lines.slice(1, 4)).toEqual([
      'Remedies (phones that share one are listed together):',
      '  3 phone(s) (SEP100000000000, SEP100000000032, SEP100000000064), need a visit: erase the ITL on each phone (Settings > Security Configuration > Trust List), or factory reset them',
      '  7 phone(s) (SEP100000000096, SEP1000000000C8, SEP1000000000FA, SEP10000000012C, SEP10000000015E, SEP100000000190, SEP1000000001C2): utils itl reset localkey on bigpub, then reset the 7 phones',
    ]);
  });

  it('should tell a locked phone’s causal history in words for an RCA: what it missed, its TVS list, when and under which release its ITL was installed', () => {
    const lines = textOf(seed, {}, 10);
    expect(lines).toContain(
      '  history: SEP001122334455 was unplugged when CallManager on test10pub changed (event 7) and TVS on test10pub changed (event 9); its TVS list holds only test10pub; its ITL, an ITL built by test10pub, was installed at event 3 under 10.0(1) and has the ITLRECOVERY record of the current key.',
    );
  });

  it('should summarise the phones above the threshold: the count per outcome and the first locked phones', () => {
    expect(PHONE_ROWS).toBeLessThan(500);
    const phones = tableLines(bigText, 'Phones:');
    expect(bigText).toContain('Phones: 500 (more than 50: summarised; --phones all lists every phone)');
    expect(phones.slice(0, 7)).toEqual([
      'outcome    phones',
      'locked     10',
      'recovered  90',
      'trusted    400',
      'no ITL     0',
      'unplugged  10',
      'at risk    0',
    ]);
    // A trusted phone has no row; the locked ones do.
    expect(bigText.some((l) => l.startsWith('SEP100000000001 '))).toBe(false);
    expect(bigText.filter((l) => /^SEP100000000000 +LOCKED /.test(l))).toHaveLength(1);
    // Runs of like phone events are one timeline row each: no row per phone.add.
    expect(bigText.some((l) => /^2\.\.501 +18:01:00\.000 +phone\.add x500/.test(l))).toBe(true);
    expect(bigText.length).toBeLessThan(200);
  });

  it('should list and diagnose every phone with --phones all', () => {
    const all = textOf(big, { phones: 'all' });
    const rows = all.filter((l) => /^SEP1000000/.test(l));
    expect(rows.filter((l) => / (LOCKED|trusted) /.test(l))).toHaveLength(500);
    expect(all.filter((l) => l.startsWith('  recovery ('))).toHaveLength(10);
    expect(all.filter((l) => /^\d+ +18:01:00\.000 +phone\.add SEP/.test(l))).toHaveLength(500);
    expect(FIRST_LOCKED).toBeLessThan(all.length);
  });

  it('should fit every table line in the width it is given, and use the room a wider terminal gives', () => {
    for (const columns of [80, 100, 160]) {
      const lines = textOf(seed, { columns }, 10);
      for (const heading of ['Timeline', 'Phones', 'TFTP nodes'])
        for (const line of tableLines(lines, heading))
          expect(line.length, `${columns}: ${line}`).toBeLessThanOrEqual(columns);
    }
    const wide = tableLines(textOf(seed, { columns: 160 }, 10), 'Timeline');
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(100);
    expect(wide.length).toBeLessThan(tableLines(textOf(seed, { columns: 80 }, 10), 'Timeline').length);
  });

  it('should be the same lines when rendered twice (a fixed width by default)', () => {
    expect(textOf(seed)).toEqual(textOf(seed));
    expect(textOf(seed)).toEqual(textOf(seed, { columns: 100 }));
  });
});
