import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterContext } from '../machines/clusterMachine.ts';
import { replay, replayFrom } from '../machines/replay.ts';
import { eventArb, seedFromEnv } from './arbitraries.ts';
import { enabled } from './checker.ts';
import { installEvent, nodeName, phoneName, toLogEvent } from './concretize.ts';
import { applyR, type REvent } from './referenceEvents.ts';
import { initialState, scopeOf, type RScope, type RState } from './referenceModel.ts';
import { toJsonLines } from './formatLog.ts';
import type { LogEvent } from '../model/events.ts';

/** The reference side: the abstract state, the concrete time each node's running hold timer started and each phone's automatic reset happened. */
interface Model {
  s: RState;
  regenAt: Array<number | null>;
  resetAt: Array<number | null>;
  passwords: number;
}

/** The real side: the cluster machine's context, the log's clock, and the log so far (printed with a failure). */
interface Real {
  context: ClusterContext;
  time: number;
  log: LogEvent[];
}

const TRUST = ['noItl', 'trusted', 'locked'] as const;

/** One log event, applied to both sides; then every phone's trust must agree. */
class EventCommand implements fc.Command<Model, Real> {
  constructor(
    readonly scope: RScope,
    readonly e: REvent,
    readonly minutes: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    if (!('p' in this.e)) return this.e.t !== 'wait';
    return this.e.t === 'add' ? !m.s.phones[this.e.p]!.added : m.s.phones[this.e.p]!.added;
  }
  run(m: Model, r: Real): void {
    const at = r.time + this.minutes * 60_000;
    // Time abstraction: hold timers expire 300 s after they started (`wait`), automatic restarts end 120 s after the reset
    // (`back`, A14), earliest first; on a tie the restart ends first (the abstract model allows both orders then).
    for (;;) {
      const hold = m.s.nodes.findIndex((x) => x.hold === 1);
      const holdEnd = hold >= 0 ? m.regenAt[hold]! + 300_000 : Infinity;
      const backs = m.s.phones.map((p, i) => (p.back ? m.resetAt[i]! + 120_000 : Infinity));
      const backEnd = Math.min(...backs);
      if (Math.min(holdEnd, backEnd) > at) break;
      const e: REvent = backEnd <= holdEnd ? { t: 'back' } : { t: 'wait' };
      expect(enabled(m.s, e), `abstract ${e.t} enabled at ${new Date(Math.min(holdEnd, backEnd)).toISOString()}`).toBe(
        true,
      );
      const first = Math.min(...m.s.phones.map((p) => p.back || Infinity));
      if (e.t === 'back')
        expect(
          m.s.phones.map((p) => p.back === first),
          'the earliest restart group',
        ).toEqual(backs.map((b) => b === backEnd));
      m.s = applyR(m.s, this.scope, e).state;
      if (e.t === 'wait') m.regenAt[hold] = null;
    }
    const event = toLogEvent(this.scope, this.e, new Date(at).toISOString(), m.passwords)!;
    if (this.e.t === 'password' || this.e.t === 'domain') m.passwords += 1;
    const before = m.s;
    m.s = applyR(m.s, this.scope, this.e).state;
    m.s.nodes.forEach(
      (node, n) =>
        node.hold !== before.nodes[n]!.hold &&
        node.hold > before.nodes.reduce((x, y) => Math.max(x, y.hold), 0) &&
        (m.regenAt[n] = at),
    );
    m.s.phones.forEach((p, i) => p.back && !before.phones[i]!.back && (m.resetAt[i] = at));
    r.log.push(event);
    r.context = replayFrom(r.context, [event]).final;
    r.time = at;
    // Trust, power, TFTP node (and a change waiting for the next reset), and whether an automatic restart is under way.
    const real = m.s.phones.map((_, i) => {
      const p = r.context.cluster!.phones.find((x) => x.id === phoneName(i));
      return p
        ? `${p.trust} ${p.online ? 'on' : 'off'} tftp=${p.tftp}${p.pendingTftp ? `->${p.pendingTftp}` : ''}${p.restartingUntil ? ' restarting' : ''}`
        : 'absent';
    });
    const reference = m.s.phones.map((p) =>
      p.added
        ? `${TRUST[p.trust]} ${p.online ? 'on' : 'off'} tftp=${nodeName(p.tftp)}${p.pending >= 0 ? `->${nodeName(p.pending)}` : ''}${p.back ? ' restarting' : ''}`
        : 'absent',
    );
    expect(real, `after ${JSON.stringify(event)}`).toEqual(reference);
  }
  toString(): string {
    return `${JSON.stringify(this.e)}+${this.minutes}m`;
  }
}

function modelBased(scope: RScope, numRuns: number): void {
  const install = installEvent(scope);
  const start = replay([install]).final;
  const minutes = fc.integer({ min: 1, max: 10 });
  const add = fc
    .tuple(fc.integer({ min: 0, max: scope.phones - 1 }), minutes)
    .map(([p, m]) => new EventCommand(scope, { t: 'add', p }, m));
  const event = fc.tuple(eventArb(scope), minutes).map(([e, m]) => new EventCommand(scope, e, m));
  const commands = fc.commands([add, event, event, event], { maxCommands: 24 });
  fc.assert(
    fc.property(commands, (cmds) => {
      const real: Real = { context: start, time: Date.parse(install.at), log: [install] };
      const setup = () => ({
        model: {
          s: initialState(scope),
          regenAt: Array.from({ length: scope.nodes }, () => null),
          resetAt: scope.configs.map(() => null),
          passwords: 0,
        },
        real,
      });
      try {
        fc.modelRun(setup, cmds);
      } catch (error) {
        // The log the machines replayed, ready to save as an example (style.md convention 8).
        throw new Error(`${(error as Error).message}\nlog (JSON Lines):\n${toJsonLines(real.log)}`);
      }
    }),
    { seed: seedFromEnv(), numRuns },
  );
}

describe('referenceModel against the machines', () => {
  it('should give every phone the same trust, power, TFTP and restart as the reference model after every event when 2 nodes and 3 phones', () => {
    modelBased(scopeOf(2, 3), 300);
  });

  it('should give every phone the same trust, power, TFTP and restart as the reference model after every event when 3 nodes and 4 phones', () => {
    modelBased(scopeOf(3, 4), 200);
  });

  it('should give every phone the same trust, power, TFTP and restart as the reference model after every event when installed before 10.0', () => {
    modelBased(scopeOf(2, 3, { pre10: true }), 150);
  });
});
