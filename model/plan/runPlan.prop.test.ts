import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../machines/diagnose.ts';
import { replay, replayFrom } from '../../machines/replay.ts';
import { needsVisit } from '../../cli/adviceText.ts';
import { seedFromEnv } from '../../properties/arbitraries.ts';
import { install, logOf, type Line } from '../../test-support/scenario.ts';
import { phoneTrust } from '../trust/boot.ts';
import { readPlan } from './plan.ts';
import { runPlan, type PlanAnalysis } from './runPlan.ts';

const analysis: PlanAnalysis<Diagnosis> = { replayFrom, diagnose, visit: needsVisit };

/** Two nodes, phones with every kind of TVS list; A and C (the same TFTP, different TVS lists) and D unplugged. */
const CLUSTER: Line[] = [
  install(),
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['pub'] },
  { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000D', tftp: 'sub', tvs: ['sub'] },
  { type: 'phone.power', phone: 'SEP00000000000A', on: false },
  { type: 'phone.power', phone: 'SEP00000000000C', on: false },
  { type: 'phone.power', phone: 'SEP00000000000D', on: false },
];

/** The changes of a night, each a few lines: a plan is one of them, then a few more lines of LINES. */
const CORES = [
  ['set cert regen CallManager', 'wait 6m', 'set cert regen TVS'],
  ['set cert regen TVS', 'wait 6m', 'set cert regen CallManager'],
  ['set cert regen CallManager on sub', 'set cert regen TVS'],
  ['set cert regen CallManager on sub', 'wait 6m', 'set cert regen TVS on sub'],
  ['reset all'],
];

const LINES = [
  'set cert regen CallManager',
  'set cert regen TVS',
  'set cert regen CallManager on sub',
  'set cert regen TVS on sub',
  'utils service restart Cisco Tftp on sub',
  'reset all',
  'wait 3m',
  'wait 6m',
  'phone SEP00000000000D on',
  'phone SEP00000000000A on',
  'phone SEP00000000000B off',
];

/**
 * The spec of "at risk": a phone is in trouble after a plan exactly when it is locked, or when
 * booting it then (a reset, or plugging it in) locks it. Checked phone by phone, each booted alone,
 * against the plan run's answer (which boots one phone per group of phones that boot alike).
 */
describe('runPlan: the phones in trouble at the end (property)', () => {
  it('should name exactly the phones that are locked or that their next boot alone would lock', () => {
    const log = logOf(CLUSTER);
    const at = log[log.length - 1]!.at;
    const start = replay(log).final;
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom(...CORES), fc.array(fc.constantFrom(...LINES), { maxLength: 2 })),
        ([core, more]) => {
          const lines = [...core, ...more];
          const plan = readPlan(lines.join('\n'), 'p.plan', log, at, { publisher: 'pub' });
          const run = runPlan(analysis, start, plan.events, plan.lines, { startAt: at });
          const end = run.end;
          const when = new Date(Date.parse(end.last!.at) + 60_000).toISOString();
          const expected = end
            .cluster!.phones.filter((p) => {
              if (phoneTrust(p) === 'locked') return true;
              const boot = p.online
                ? { type: 'phone.reset' as const, at: when, phone: p.id }
                : { type: 'phone.power' as const, at: when, phone: p.id, on: true };
              const after = replayFrom(end, [boot]).settled.cluster!.phones.find((q) => q.id === p.id)!;
              return phoneTrust(after) === 'locked';
            })
            .map((p) => p.id);
          expect(run.trouble.map((t) => t.phone)).toEqual(expected);
          // A locked phone is `locked`, the others `at-risk`.
          for (const t of run.trouble)
            expect(t.state).toBe(
              phoneTrust(end.cluster!.phones.find((p) => p.id === t.phone)!) === 'locked' ? 'locked' : 'at-risk',
            );
        },
      ),
      { numRuns: 40, seed: seedFromEnv() },
    );
  });
});
