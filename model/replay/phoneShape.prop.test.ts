import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../events.ts';
import { parseLog } from '../parseLog.ts';
import { logArb, seedFromEnv } from '../../properties/arbitraries.ts';
import { toJsonLines } from '../../properties/formatLog.ts';
import { modelEngine, type Engine } from './engine.ts';
import { evolve } from './evolve.ts';
import { emptyContext, foldFrom, type Replay, type ReplayOptions } from './fold.ts';

/*
 * Phones alike decide alike (model/replay/phoneShape.ts): a replay that decides each shape of phone
 * once per step must equal one that decides every phone by itself (an engine with an observer,
 * `observed`, is never memoised). Random logs get twins: each added phone has a twin added just after
 * it, alike until an event names one of the two, so steps boot phones alike and phones that differ
 * in one field.
 */

/** A replay by the model fold with this engine. Pure. */
function replayWith(engine: Engine, events: LogEvent[], opts: ReplayOptions): Replay {
  return foldFrom((c, e) => evolve(c, e, engine), emptyContext(opts), events);
}

const everyPhone: Engine = { ...modelEngine, observed: true };

/** Each `phone.add` followed by its twin's: the same line with another id. Pure. */
function withTwins(events: LogEvent[]): LogEvent[] {
  return events.flatMap((e): LogEvent[] =>
    e.type === 'phone.add' ? [e, { ...e, phone: `SEPFFFF${e.phone.slice(-8).padStart(8, '0')}` }] : [e],
  );
}

/** Where two replays' JSON first differs, or undefined. Pure. */
function difference(a: Replay, b: Replay): string | undefined {
  const left = JSON.stringify({ reports: a.reports, settled: a.settled });
  const right = JSON.stringify({ reports: b.reports, settled: b.settled });
  if (left === right) return undefined;
  let i = 0;
  while (left[i] === right[i]) i++;
  return `…${left.slice(Math.max(0, i - 80), i + 40)}… vs …${right.slice(Math.max(0, i - 80), i + 40)}…`;
}

/** The property: deciding once per shape gives the same replay as deciding every phone; throws with the log. */
function alike(engine: Engine, events: LogEvent[], opts: ReplayOptions): void {
  const where = difference(replayWith(engine, events, opts), replayWith(everyPhone, events, opts));
  if (where) throw new Error(`shapes and phones differ: ${where}\nlog (JSON Lines):\n${toJsonLines(events)}`);
}

describe('phones alike decide alike', () => {
  it('should replay random logs with twins the same whether each shape or each phone is decided', () => {
    fc.assert(
      fc.property(logArb(16), fc.boolean(), ({ events }, holdTimer) =>
        alike(modelEngine, withTwins(events), { crypto: 'symbolic', options: { holdTimer } }),
      ),
      { seed: seedFromEnv(), numRuns: 150 },
    );
  });

  it('should replay every bundled example the same whether each shape or each phone is decided', () => {
    const dir = new URL('../../examples/', import.meta.url);
    const logs = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(logs.length).toBeGreaterThan(10);
    for (const file of logs) {
      const { events } = parseLog(readFileSync(new URL(file, dir), 'utf8'), file);
      expect(() => alike(modelEngine, events, {}), file).not.toThrow();
    }
  });

  it('should see the difference when a decision reads the phone id (the premise broken: a bad trace)', () => {
    // A twin never boots: phones alike but for the id then decide apart.
    const byId: Engine = {
      ...modelEngine,
      phone: (phone, event) =>
        event.type === 'BOOT' && phone.id.startsWith('SEPFFFF') ? phone : modelEngine.phone(phone, event),
    };
    const found = fc.check(
      fc.property(logArb(16), ({ events }) => alike(byId, withTwins(events), { crypto: 'symbolic' })),
      { seed: seedFromEnv(), numRuns: 300 },
    );
    expect(found.failed).toBe(true);
    expect(String(found.errorInstance)).toMatch(/shapes and phones differ/);
  });
});
