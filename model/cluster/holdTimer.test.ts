import { describe, expect, it } from 'vitest';
import { install, type Line, logOf, PHONE_A as A, run } from '../../test-support/scenario.ts';
import { replay } from '../../machines/replay.ts';
import { replayModel, type ReplayOptions } from '../replay/fold.ts';
import type { Refusal } from './refusals.ts';
import { tickHold } from './holdTimer.ts';
import { modelOptions } from './install.ts';

const regen = (node: string, cert: string, after = 1): Line => ({ type: 'cert.regenerate', node, cert, after });

/**
 * The refusals of every event, as the machines decide them and as the model decides them alone
 * (the model engine: its own hold-timer tick and regeneration refusal); the two must agree.
 */
function refusals(lines: Line[], options: ReplayOptions = {}): Refusal[][] {
  const events = logOf(lines);
  const machines = replay(events, options).reports.map((r) => r.refusals);
  const model = replayModel(events, options).reports.map((r) => r.refusals);
  expect(model).toEqual(machines);
  return model;
}

describe('the 5-minute hold timer (docs/rules.md §7)', () => {
  it('should refuse a regeneration within 300 s on the same node only, not restart on a refusal, and accept one exactly 300 s later', () => {
    const lines = [
      install(),
      A,
      regen('pub', 'TVS', 6), // 09:08, accepted: the timer runs until 09:13
      regen('pub', 'CallManager', 4), // 09:12, 240 s later: refused
      regen('sub', 'TVS', 0), // 09:12 on the other node: not blocked
      regen('pub', 'CallManager', 1), // 09:13, exactly 300 s after the accepted one: accepted
      regen('pub', 'TVS', 4), // 09:17: the accepted CallManager started the timer again
    ];
    expect(refusals(lines)).toEqual([
      [],
      [],
      [],
      [
        {
          kind: 'holdTimer',
          node: 'pub',
          lastCert: 'TVS',
          cert: 'CallManager',
          until: '2024-03-04T09:13:00.000Z',
        },
      ],
      [],
      [],
      [
        {
          kind: 'holdTimer',
          node: 'pub',
          lastCert: 'CallManager',
          cert: 'TVS',
          until: '2024-03-04T09:18:00.000Z',
        },
      ],
    ]);
    // Without the timer (a what-if option) nothing is refused.
    expect(refusals(lines, { options: { holdTimer: false } }).flat()).toEqual([]);
  });

  it('should check the missing certificate before the timer (A13)', () => {
    // ITLRecovery before 10.0(1): there is no such key, even while the node's timer runs.
    expect(refusals([install({ version: '9.1(2)' }), A, regen('pub', 'TVS'), regen('pub', 'ITLRecovery')])).toEqual([
      [],
      [],
      [],
      [{ kind: 'noItlRecovery', node: 'pub', version: '9.1(2)' }],
    ]);
    // From 14: CAPF only on the publisher; from 12.5: ITLRecovery only on the publisher (which may).
    expect(
      refusals([
        install({ version: '14' }),
        A,
        regen('sub', 'TVS'),
        regen('sub', 'CAPF'),
        regen('sub', 'ITLRecovery'),
        regen('pub', 'ITLRecovery'),
      ]),
    ).toEqual([
      [],
      [],
      [],
      [{ kind: 'capfNotOnNode', node: 'sub' }],
      [{ kind: 'itlRecoveryOnPublisher', node: 'sub' }],
      [], // the publisher regenerates the cluster's ITLRecovery
    ]);
  });

  it('should stop a running timer once 300 s have passed since the last regeneration, and not before', () => {
    const node = run([install(), regen('pub', 'TVS')]).final.cluster!.nodes[0]!;
    const options = modelOptions({});
    const since = Date.parse(node.lastRegen!.at);
    const at = (seconds: number) => new Date(since + seconds * 1000).toISOString();
    expect(node.holdTimer).toBe('running');
    // docs/rules.md §7: the timer runs 300 s.
    expect(tickHold(node, at(299), options)).toEqual(node);
    expect(tickHold(node, at(300), options)).toEqual({ ...node, holdTimer: 'idle' });
    expect(tickHold(node, at(1), modelOptions({ holdTimer: false }))).toEqual({ ...node, holdTimer: 'idle' });
  });
});
