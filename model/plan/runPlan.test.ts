import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../machines/diagnose.ts';
import { replay, replayFrom } from '../../machines/replay.ts';
import { needsVisit } from '../../cli/adviceText.ts';
import { install, logOf, type Line } from '../../test-support/scenario.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { formatShowItl } from '../itl/formatShowItl.ts';
import { verifyItl } from '../itl/verifyItl.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { methodOfProcedure } from './mop.ts';
import { readPlan } from './plan.ts';
import { runPlan, type PlanAnalysis } from './runPlan.ts';
import { saferOrder } from './saferOrder.ts';

const analysis: PlanAnalysis<Diagnosis> = { replayFrom, diagnose, visit: needsVisit };

/** A single-node cluster (one TVS), phones A and B registered, C unplugged. */
const singleTvs: Line[] = [
  install({ nodes: [{ name: 'pub', role: 'publisher', tftp: true }] }),
  { type: 'itlrecovery.backup', node: 'pub', host: 'sftp', user: 'u', path: '/b/ITLRecovery.p12' },
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'pub', tvs: ['pub'] },
  { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] },
];
const unplugC: Line = { type: 'phone.power', phone: 'SEP00000000000C', on: false };

/** Runs a plan's text from the end of a log. */
function planOn(lines: Line[], text: string) {
  const log = logOf(lines);
  const at = log[log.length - 1]!.at;
  const plan = readPlan(text, 'test.plan', log, at, { publisher: 'pub' });
  const start = replay(log).final;
  return { start, at, plan, run: runPlan(analysis, start, plan.events, plan.lines, { startAt: at }) };
}

const CM_THEN_TVS = ['set cert regen CallManager', 'wait 10m', 'set cert regen TVS'].join('\n');

describe('runPlan: what each step does to the phones', () => {
  it('should predict that the unplugged single-TVS phone locks when it comes back, from the TVS step on', () => {
    const { run } = planOn([...singleTvs, unplugC], CM_THEN_TVS);
    expect(run.steps.map((s) => [s.line, s.atRisk, s.locked])).toEqual([
      [1, [], []],
      [3, ['SEP00000000000C'], []],
    ]);
    const c = run.trouble.find((t) => t.phone === 'SEP00000000000C')!;
    expect(c).toMatchObject({
      state: 'at-risk',
      online: false,
      rule: 'R4',
      recovery: 'itl-reset-localkey',
      visit: false,
    });
    // The prediction is the model's: plugging C in after the plan does lock it.
    const end = replayFrom(run.end, [
      { type: 'phone.power', phone: 'SEP00000000000C', on: true, at: '2024-03-04T12:00:00.000Z' },
    ]);
    expect(end.settled.cluster!.phones.find((p) => p.id === 'SEP00000000000C')!.trust).toBe('locked');
    expect(run.pointOfNoReturn).toBeNull();
  });

  it('should put no phone at risk when the unplugged phone is plugged in between the two changes', () => {
    const between = [
      'set cert regen CallManager',
      'wait 10m',
      'phone SEP00000000000C on',
      'wait 5m',
      'set cert regen TVS',
    ];
    const { run } = planOn([...singleTvs, unplugC], between.join('\n'));
    expect(run.steps[1]!.booted).toEqual(['SEP00000000000C']);
    expect(run.trouble).toEqual([]);
  });

  it('should put no phone at risk when every phone is registered through the same plan', () => {
    const { run } = planOn(singleTvs, CM_THEN_TVS);
    expect(run.trouble).toEqual([]);
    expect(run.steps.every((s) => s.atRisk.length === 0 && s.locked.length === 0)).toBe(true);
    expect(run.steps[0]!.reset).toEqual(['SEP00000000000A', 'SEP00000000000B', 'SEP00000000000C']);
  });

  it("should give the hold timer's refusal at the step typed a minute after the first", () => {
    const { run } = planOn(singleTvs, 'set cert regen CallManager\nset cert regen TVS');
    expect(run.steps[0]!.refusals).toEqual([]);
    expect(run.steps[1]!.refusals.map((r) => r.kind)).toEqual(['holdTimer']);
  });

  it('should lock a phone that is still restarting when its TVS changes, and say so at that step', () => {
    const { run } = planOn(
      [
        install(),
        { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'sub', tvs: ['pub'] },
        { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'pub', tvs: ['pub', 'sub'] },
      ],
      'set cert regen CallManager on sub\nset cert regen TVS on pub',
    );
    expect(run.steps.map((s) => s.locked)).toEqual([[], ['SEP00000000000A']]);
    expect(run.lockedEver).toEqual(['SEP00000000000A']);
    expect(run.trouble.map((t) => [t.phone, t.state, t.recovery])).toEqual([
      ['SEP00000000000A', 'locked', 'itl-reset-localkey'],
    ]);
  });

  it('should find the point of no return at the step after which a phone can only be visited', () => {
    // C's ITL was installed under 9.1: it has no ITLRECOVERY record, so utils itl reset cannot reach it.
    const pre10: Line[] = [
      install({ version: '9.1(2)', nodes: [{ name: 'pub', role: 'publisher', tftp: true }] }),
      { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] },
      { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] },
      unplugC,
      { type: 'cluster.upgrade', version: '10.5(2)' },
    ];
    const { run } = planOn(pre10, CM_THEN_TVS);
    expect(run.pointOfNoReturn).toBe(1);
    expect(run.trouble.map((t) => [t.phone, t.recovery, t.visit])).toEqual([
      ['SEP00000000000C', 'manual-itl-delete', true],
    ]);
    // Without the TVS step, a command still brings it back: no point of no return.
    expect(planOn(pre10, 'set cert regen CallManager').run.pointOfNoReturn).toBeNull();
  });
});

describe('saferOrder: a bounded, deterministic search', () => {
  const twoNodes: Line[] = [
    install(),
    { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'sub', tvs: ['pub'] },
    { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'pub', tvs: ['pub', 'sub'] },
  ];
  const texts = ['set cert regen CallManager on sub', 'set cert regen TVS on pub'];
  const clock = () => 0;

  it('should wait for the automatic restarts before the TVS change, and lock nobody', () => {
    const { start, at, plan } = planOn(twoNodes, texts.join('\n'));
    const found = saferOrder(analysis, start, plan.events, texts, plan.lines, at, {
      maxCandidates: 50,
      maxMillis: 60_000,
      now: clock,
    });
    expect(found.original.troubled).toEqual(['SEP00000000000A']);
    expect(found.stopped).toBe('found');
    expect(found.better!.score.troubled).toEqual([]);
    expect(found.better!.lines.map((l) => [l.text, l.change])).toEqual([
      ['set cert regen CallManager on sub', 'kept'],
      ['wait 3m', 'added'],
      ['set cert regen TVS on pub', 'kept'],
    ]);
    // Deterministic: the same answer again.
    expect(
      saferOrder(analysis, start, plan.events, texts, plan.lines, at, {
        maxCandidates: 50,
        maxMillis: 60_000,
        now: clock,
      }),
    ).toEqual(found);
  });

  it('should say it gave up at its budget of candidates, or of time', () => {
    const { start, at, plan } = planOn(twoNodes, texts.join('\n'));
    const none = saferOrder(analysis, start, plan.events, texts, plan.lines, at, {
      maxCandidates: 0,
      maxMillis: 60_000,
      now: clock,
    });
    expect([none.stopped, none.tried, none.better]).toEqual(['candidates', 0, null]);
    let t = 0;
    const slow = saferOrder(analysis, start, plan.events, texts, plan.lines, at, {
      maxCandidates: 50,
      maxMillis: 1000,
      now: () => (t += 2000),
    });
    expect(slow.stopped).toBe('time');
  });

  it('should say none exists for a phone unplugged through the whole plan, and why', () => {
    const { start, at, plan } = planOn([...singleTvs, unplugC], CM_THEN_TVS);
    const typed = ['set cert regen CallManager', 'set cert regen TVS'];
    const found = saferOrder(analysis, start, plan.events, typed, plan.lines, at, {
      maxCandidates: 300,
      maxMillis: 60_000,
      now: clock,
    });
    expect(found.better).toBeNull();
    expect(found.stopped).toBe('exhausted');
    expect(found.tried).toBeGreaterThan(2);
    expect(found.why.map((w) => [w.phone, w.offlineThroughout, w.tvs, w.rule])).toEqual([
      ['SEP00000000000C', true, ['pub'], 'R4'],
    ]);
  });
});

describe('methodOfProcedure: what to verify after each step', () => {
  it("should name, per TFTP node, the SHA-1 of the file it serves and the record `show itl` marks as the signer's", () => {
    const { run } = planOn([...singleTvs, unplugC], CM_THEN_TVS);
    const mop = methodOfProcedure(run);
    expect(mop.steps).toHaveLength(2);
    for (const [i, step] of mop.steps.entries()) {
      const cluster = run.steps[i]!.settled.cluster!;
      for (const check of step.nodes) {
        const bytes = Buffer.from(cluster.itls[check.sha1]!.bytes, 'base64');
        // The real file: its SHA-1, a valid signature, and CUCM's listing marks that record.
        expect(hashHex('sha1', bytes)).toBe(check.sha1);
        const file = decodeItl(bytes);
        const verdict = verifyItl(bytes, file);
        expect(verdict.status).toBe('verified');
        const listing = formatShowItl(bytes, file, verdict);
        const used = listing.indexOf('This etoken was used to sign the ITL file.');
        const header = listing
          .slice(0, used)
          .filter((l) => l.startsWith('ITL Record #:'))
          .pop();
        expect(header).toBe(`ITL Record #:${check.signerRecord}`);
        expect(check.signer).toBe(file.signerName);
      }
      expect(step.nodes.map((n) => n.changed)).toEqual([true]);
    }
    // The phones' groups: after TVS, A and B report the new file, C (unplugged, at risk) the one from before the plan.
    const last = mop.steps[1]!;
    expect(last.groups.map((g) => [g.phones, g.trust, g.sha1 === last.nodes[0]!.sha1])).toEqual([
      [['SEP00000000000A', 'SEP00000000000B'], 'trusted', true],
      [['SEP00000000000C'], 'at-risk', false],
    ]);
    expect(last.groups[1]!.sha1).toBe(mop.before.groups[0]!.sha1);
    expect(last.mustRegister).toEqual(['SEP00000000000A', 'SEP00000000000B']);
  });
});
