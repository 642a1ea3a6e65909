import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterContext } from '../machines/clusterMachine.ts';
import { replay, replayFrom } from '../machines/replay.ts';
import type { PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { eventArb, seedFromEnv } from './arbitraries.ts';
import { installEvent, nodeName, phoneName, toLogEvent } from './concretize.ts';
import { toJsonLines } from './formatLog.ts';
import {
  AUTO_RESTART_SECONDS,
  enabled,
  HOLD_SECONDS,
  initialState,
  NO_NODE,
  runningTimers,
  scopeOf,
  specStep,
  trustOf,
  type SpecEvent,
  type SpecPhone,
  type SpecScope,
  type SpecState,
} from './spec/index.ts';

/**
 * The reference side: the abstract state, the concrete time each node's running hold timer started and
 * each phone's automatic reset happened, and how often each decision was compared (shared by the runs
 * of a test, so that a test can show its comparison of why was not vacuous).
 */
interface Model {
  s: SpecState;
  regenAt: Array<number | null>;
  resetAt: Array<number | null>;
  passwords: number;
  compared: Map<string, number>;
}

/** The real side: the cluster machine's context, the log's clock, and the log so far (printed with a failure). */
interface Real {
  context: ClusterContext;
  time: number;
  log: LogEvent[];
}

const NO_BOOT = 'no boot';

/** How often a phone's CTL was compared in the rejected state (C3), in the tally of decisions compared. */
const CTL_REJECTED = 'CTL rejected';

/** Why a phone that booted during a command trusts as it does: the rule of its last boot, and why R2 failed (R3, R4). */
const why = (rule: string, r2: string | null | undefined) => `${rule}${r2 ? ` (R2 failed: ${r2})` : ''}`;

/** The machines' decision of the phone's last boot, when that boot was caused by log event `event` (or the restarts that ended before it). */
function realDecision(p: PhoneState | undefined, event: number): string {
  const d = p?.lastDecision;
  return d && d.event === event ? why(d.rule, d.failures.find((f) => f.rule === 'R2')?.why) : NO_BOOT;
}

/** The spec's decision of the phone's last boot, when it booted during the command (`booted`: bit i for phone i). */
function specDecision(p: SpecPhone, i: number, booted: number): string {
  return booted & (1 << i) ? why(p.lastDecision!.rule, p.lastDecision!.r2) : NO_BOOT;
}

/** One log event, applied to both sides; then every phone's trust, and the rule of every boot, must agree. */
class EventCommand implements fc.Command<Model, Real> {
  constructor(
    readonly scope: SpecScope,
    readonly e: SpecEvent,
    readonly minutes: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    if (!('phone' in this.e)) return this.e.kind !== 'wait';
    return this.e.kind === 'add' ? !m.s.phones[this.e.phone]!.added : m.s.phones[this.e.phone]!.added;
  }
  run(m: Model, r: Real): void {
    const at = r.time + this.minutes * 60_000;
    // The phones the spec booted during this command: restarts that ended before the event, then the event.
    let booted = 0;
    // Time abstraction: hold timers expire HOLD_SECONDS after they started (`wait`), automatic restarts end
    // AUTO_RESTART_SECONDS after the reset (`back`, A14), earliest first; on a tie the restart ends first (the
    // abstract model allows both orders then).
    for (;;) {
      const hold = m.s.nodes.findIndex((x) => x.holdRank === 1);
      const holdEnd = hold >= 0 ? m.regenAt[hold]! + HOLD_SECONDS * 1000 : Infinity;
      const backs = m.s.phones.map((p, i) => (p.restartRank ? m.resetAt[i]! + AUTO_RESTART_SECONDS * 1000 : Infinity));
      const backEnd = Math.min(...backs);
      if (Math.min(holdEnd, backEnd) > at) break;
      const e: SpecEvent = backEnd <= holdEnd ? { kind: 'back' } : { kind: 'wait' };
      expect(
        enabled(m.s, e),
        `abstract ${e.kind} enabled at ${new Date(Math.min(holdEnd, backEnd)).toISOString()}`,
      ).toBe(true);
      const first = Math.min(...m.s.phones.map((p) => p.restartRank || Infinity));
      if (e.kind === 'back')
        expect(
          m.s.phones.map((p) => p.restartRank === first),
          'the earliest restart group',
        ).toEqual(backs.map((b) => b === backEnd));
      const step = specStep(m.s, this.scope, e);
      m.s = step.state;
      booted |= step.booted;
      if (e.kind === 'wait') m.regenAt[hold] = null;
    }
    const event = toLogEvent(this.scope, this.e, new Date(at).toISOString(), m.passwords)!;
    if (this.e.kind === 'password' || this.e.kind === 'domain') m.passwords += 1;
    const before = m.s;
    const step = specStep(m.s, this.scope, this.e);
    m.s = step.state;
    booted |= step.booted;
    m.s.nodes.forEach(
      (node, n) =>
        node.holdRank !== before.nodes[n]!.holdRank && node.holdRank > runningTimers(before) && (m.regenAt[n] = at),
    );
    m.s.phones.forEach((p, i) => p.restartRank && !before.phones[i]!.restartRank && (m.resetAt[i] = at));
    r.log.push(event);
    r.context = replayFrom(r.context, [event]).final;
    r.time = at;
    const phones = m.s.phones.map((_, i) => r.context.cluster!.phones.find((x) => x.id === phoneName(i)));
    // Trust (what the phone reports: a rejected CTL reports locked), power, TFTP node (and a change waiting for the
    // next reset), whether an automatic restart is under way, and in mixed mode the CTL region.
    const real = phones.map((p) =>
      p
        ? `${phoneTrust(p)} ${p.online ? 'on' : 'off'} tftp=${p.tftp}${p.pendingTftp ? `->${p.pendingTftp}` : ''}${p.restartingUntil ? ' restarting' : ''}${this.scope.mixed ? ` ctl=${p.ctl?.state ?? 'none'}` : ''}`
        : 'absent',
    );
    const reference = m.s.phones.map((p) =>
      p.added
        ? `${trustOf(p)} ${p.online ? 'on' : 'off'} tftp=${nodeName(p.tftp)}${p.pendingTftp !== NO_NODE ? `->${nodeName(p.pendingTftp)}` : ''}${p.restartRank ? ' restarting' : ''}${this.scope.mixed ? ` ctl=${p.ctl ? (p.ctlRejected ? 'rejected' : 'installed') : 'none'}` : ''}`
        : 'absent',
    );
    expect(real, `after ${JSON.stringify(event)}`).toEqual(reference);
    // Why: which phones booted during this event, the rule that decided each boot, and why R2 failed when it did.
    const decisions = m.s.phones.map((p, i) => specDecision(p, i, booted));
    expect(
      phones.map((p) => realDecision(p, r.context.events)),
      `the rule of each boot after ${JSON.stringify(event)}`,
    ).toEqual(decisions);
    for (const d of decisions) if (d !== NO_BOOT) m.compared.set(d, (m.compared.get(d) ?? 0) + 1);
    const rejected = m.s.phones.filter((p) => p.ctlRejected).length;
    if (rejected) m.compared.set(CTL_REJECTED, (m.compared.get(CTL_REJECTED) ?? 0) + rejected);
  }
  toString(): string {
    return `${JSON.stringify(this.e)}+${this.minutes}m`;
  }
}

/** Runs commands on both sides from the install of the scope; a failure prints the log the machines replayed. */
function runBoth(scope: SpecScope, cmds: Iterable<fc.Command<Model, Real>>, compared: Map<string, number>): void {
  const install = installEvent(scope);
  const real: Real = { context: replay([install]).final, time: Date.parse(install.at), log: [install] };
  const setup = () => ({
    model: {
      s: initialState(scope),
      regenAt: Array.from({ length: scope.nodes }, () => null),
      resetAt: scope.configs.map(() => null),
      passwords: 0,
      compared,
    },
    real,
  });
  try {
    fc.modelRun(setup, cmds);
  } catch (error) {
    // The log the machines replayed, ready to save as an example (style.md convention 8).
    throw new Error(`${(error as Error).message}\nlog (JSON Lines):\n${toJsonLines(real.log)}`);
  }
}

/** Random command sequences on both sides; returns how often each decision was compared. */
function modelBased(scope: SpecScope, numRuns: number): Map<string, number> {
  const minutes = fc.integer({ min: 1, max: 10 });
  const add = fc
    .tuple(fc.integer({ min: 0, max: scope.phones - 1 }), minutes)
    .map(([p, m]) => new EventCommand(scope, { kind: 'add', phone: p }, m));
  const event = fc.tuple(eventArb(scope), minutes).map(([e, m]) => new EventCommand(scope, e, m));
  // In mixed mode, set-cluster, the CTL's signer changing, the CTL rewritten and phones booting more often, so that
  // most runs boot phones holding a CTL against CTLs and ITLs signed by keys they may not know (I2, I3, C3).
  const fixed = (...es: SpecEvent[]) =>
    fc.tuple(fc.constantFrom(...es), minutes).map(([e, m]) => new EventCommand(scope, e, m));
  const mixed = scope.mixed
    ? [
        fixed({ kind: 'ctlSetCluster', node: 0 }, { kind: 'ctlUpdate', node: 0 }, { kind: 'ctlReset', node: 0 }),
        fixed({ kind: 'regen', node: 0, cert: 'ITLRecovery' }, { kind: 'regen', node: 0, cert: 'CallManager' }),
        fixed({ kind: 'devicesReset' }, { kind: 'tftpRestart', node: 0 }, { kind: 'tftpRestart', node: 1 }),
        ...(scope.pre12 ? [fixed({ kind: 'upgrade' })] : []),
      ]
    : [];
  // Mixed-mode runs are drawn at full length: a CTL matters only after set-cluster and a boot.
  const commands = fc.commands([add, ...mixed, event, event, event], {
    maxCommands: 24,
    ...(scope.mixed ? { size: 'max' as const } : {}),
  });
  const compared = new Map<string, number>();
  fc.assert(
    fc.property(commands, (cmds) => runBoth(scope, cmds, compared)),
    { seed: seedFromEnv(), numRuns },
  );
  return compared;
}

/** The comparison of why is not vacuous: random runs compared first boots (R0), R2, and boots where R2 failed. */
function expectWhyCompared(compared: Map<string, number>): void {
  expect(compared.get('R0'), 'boots decided by R0').toBeGreaterThan(0);
  expect(compared.get('R2'), 'boots decided by R2').toBeGreaterThan(0);
  const failed = [...compared].filter(([d]) => d.includes('R2 failed')).reduce((n, [, k]) => n + k, 0);
  expect(failed, 'boots where R2 failed (R3, R4)').toBeGreaterThan(0);
}

/** The comparison in mixed mode is not vacuous: random runs compared boots decided by I1, I2 and I3, and rejected CTLs (C3). */
function expectCtlRulesCompared(compared: Map<string, number>): void {
  for (const what of ['I1', 'I2', 'I3', CTL_REJECTED])
    expect(compared.get(what) ?? 0, `${what} compared, of ${JSON.stringify([...compared])}`).toBeGreaterThan(0);
}

describe('the spec against the machines (model-based)', () => {
  it('should give every phone the same trust, power, TFTP, restart and rule of its last boot as the spec after every event when 2 nodes and 3 phones', () => {
    expectWhyCompared(modelBased(scopeOf(2, 3), 300));
  });

  it('should give every phone the same trust, power, TFTP, restart and rule of its last boot as the spec after every event when 3 nodes and 4 phones', () => {
    expectWhyCompared(modelBased(scopeOf(3, 4), 200));
  });

  it('should give every phone the same trust, power, TFTP, restart and rule of its last boot as the spec after every event when installed before 10.0', () => {
    expectWhyCompared(modelBased(scopeOf(2, 3, { pre10: true }), 150));
  });

  it('should give every phone the same trust, power, TFTP, restart and rule of its last boot as the spec after every event when 12.5 non-secure', () => {
    expectWhyCompared(modelBased(scopeOf(2, 3, { release: '12.5' }), 200));
  });

  it('should give every phone the same trust, CTL region, power, TFTP, restart and rule of its last boot as the spec after every event when 12.5 mixed mode', () => {
    expectCtlRulesCompared(modelBased(scopeOf(2, 3, { release: '12.5', mixed: true }), 250));
  });

  it('should give every phone the same trust, CTL region and rule of its last boot as the spec after every event when 11.5 mixed mode is upgraded to 12.5(1)SU2', () => {
    expectCtlRulesCompared(modelBased(scopeOf(2, 3, { release: '12.5', mixed: true, pre12: true }), 150));
  });

  it('should give each boot the same rule and R2 failure as the spec when one log meets every rule and both R2 failures', () => {
    const scope = scopeOf(2, 3);
    const [a, c] = [0, 2];
    const steps: Array<[SpecEvent, number]> = [
      [{ kind: 'add', phone: a }, 1], // R0: a first ITL
      [{ kind: 'add', phone: c }, 1], // R0
      [{ kind: 'reset', phone: a }, 1], // R2: the same signer
      [{ kind: 'power', phone: c, on: false }, 1],
      [{ kind: 'regen', node: 0, cert: 'CallManager' }, 1], // A restarts ...
      [{ kind: 'password' }, 3], // ... and is back: R3, its TVS knows pub's new CallManager
      [{ kind: 'regen', node: 0, cert: 'TVS' }, 6], // A restarts again ...
      [{ kind: 'corrupt', node: 0 }, 1], // ... the file pub serves breaks ...
      [{ kind: 'power', phone: c, on: true }, 3], // ... A is back: R4, broken signature; C: R4, a signer it never saw
    ];
    const compared = new Map<string, number>();
    runBoth(
      scope,
      steps.map(([e, m]) => new EventCommand(scope, e, m)),
      compared,
    );
    expect(Object.fromEntries(compared)).toEqual({
      R0: 2,
      R2: 1,
      'R3 (R2 failed: signerNotSast)': 1,
      'R4 (R2 failed: badSignature)': 1,
      'R4 (R2 failed: signerNotSast)': 1,
    });
  });
});
