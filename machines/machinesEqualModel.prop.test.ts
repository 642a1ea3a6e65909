import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signerStep, type SignerEvent } from '../model/cluster/signer.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import { modelEngine, type Engine } from '../model/replay/engine.ts';
import { evolve } from '../model/replay/evolve.ts';
import { emptyContext, foldFrom, replayModel, type Replay, type ReplayOptions } from '../model/replay/fold.ts';
import { logArb, seedFromEnv } from '../properties/arbitraries.ts';
import { toJsonLines } from '../properties/formatLog.ts';
import { replay } from './replay.ts';

/*
 * The machine layer is the engine, and model/ replays a log by itself: the two must agree on every
 * log. `replay` folds the cluster machine's transition with the phone, node and signer machines
 * deciding; `replayModel` folds model/replay/evolve.ts with the rules called directly. Same log,
 * same options: the same contexts (every phone, node, signer, ITL byte and hash), the same reports
 * (refusals, notes, alerts, restart ends) and the same settled world.
 */

/** Where two replays first differ: the event number and the first differing path, or undefined when equal. */
function firstDifference(a: Replay, b: Replay): string | undefined {
  for (let i = 0; i < Math.max(a.reports.length, b.reports.length); i++) {
    const path = diff(a.reports[i], b.reports[i], `reports[${i}]`);
    if (path) return path;
  }
  return diff(a.final, b.final, 'final') ?? diff(a.settled, b.settled, 'settled') ?? diff(a.settle, b.settle, 'settle');
}

/** The first path at which two JSON-like values differ. Pure. */
function diff(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of [...keys].sort()) {
    const found = diff((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Both replays of a log; throws with the log (ready to save as an example) when they differ. */
function agree(events: LogEvent[], opts: ReplayOptions, model: (e: LogEvent[], o: ReplayOptions) => Replay): void {
  const where = firstDifference(replay(events, opts), model(events, opts));
  if (where) throw new Error(`machines and model differ at ${where}\nlog (JSON Lines):\n${toJsonLines(events)}`);
}

/** A model fold with a deliberately wrong engine: the signer ignores `utils itl reset` (a bad trace for this property). */
const ignoresReset: Engine = {
  ...modelEngine,
  signer: (node, event: SignerEvent) =>
    event.type === 'RESET' ? node.tftp!.signer : signerStep(node.tftp!.signer, event),
};
const brokenModel = (events: LogEvent[], opts: ReplayOptions) =>
  foldFrom((c, e) => evolve(c, e, ignoresReset), emptyContext(opts), events);

describe('the machine layer equals the model fold', () => {
  it('should give the same contexts and reports on random logs, with the hold timer on and off (symbolic keys)', () => {
    fc.assert(
      fc.property(logArb(16), fc.boolean(), ({ events }, holdTimer) =>
        agree(events, { crypto: 'symbolic', options: { holdTimer } }, replayModel),
      ),
      { seed: seedFromEnv(), numRuns: 150 },
    );
  });

  it('should give the same contexts and reports on random logs with real RSA keys and signatures', () => {
    fc.assert(
      fc.property(logArb(10), ({ events }) => agree(events, {}, replayModel)),
      { seed: seedFromEnv(), numRuns: 20 },
    );
  });

  it('should give the same contexts and reports on every bundled example', () => {
    const dir = new URL('../examples/', import.meta.url);
    const logs = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(logs.length).toBeGreaterThan(10);
    for (const file of logs) {
      const { events } = parseLog(readFileSync(new URL(file, dir), 'utf8'), file);
      expect(() => agree(events, {}, replayModel), file).not.toThrow();
      expect(() => agree(events, { options: { holdTimer: false } }, replayModel), file).not.toThrow();
    }
  });

  it('should find a log on which they differ when the model side is broken (its signer ignores utils itl reset)', () => {
    const found = fc.check(
      fc.property(logArb(16), ({ events }) => agree(events, { crypto: 'symbolic' }, brokenModel)),
      { seed: seedFromEnv(), numRuns: 300 },
    );
    expect(found.failed).toBe(true);
    expect(String(found.errorInstance)).toMatch(/machines and model differ at .*signer/);
  });
});
