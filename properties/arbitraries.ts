import fc from 'fast-check';
import type { LogEvent } from '../model/events.ts';
import { toLog, type TimedEvent } from './concretize.ts';
import { CERTS } from './spec/constants.ts';
import type { SpecEvent } from './spec/events.ts';
import { scopeOf, type SpecScope } from './spec/scope.ts';

/** One abstract event of a scope: every log event type (power and forgery included); `wait` is left to the delays. Pure. */
export function eventArb(scope: SpecScope): fc.Arbitrary<SpecEvent> {
  const p = fc.integer({ min: 0, max: scope.phones - 1 });
  const n = fc.integer({ min: 0, max: scope.nodes - 1 });
  return fc.oneof(
    { weight: 3, arbitrary: p.map((i): SpecEvent => ({ kind: 'reset', phone: i })) },
    { weight: 3, arbitrary: fc.tuple(p, fc.boolean()).map(([i, on]): SpecEvent => ({ kind: 'power', phone: i, on })) },
    { weight: 1, arbitrary: p.map((i): SpecEvent => ({ kind: 'deleteItl', phone: i })) },
    { weight: 1, arbitrary: fc.tuple(p, n).map(([i, k]): SpecEvent => ({ kind: 'phoneTftp', phone: i, node: k })) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(n, fc.constantFrom(...CERTS))
        .map(([k, cert]): SpecEvent => ({ kind: 'regen', node: k, cert })),
    },
    { weight: 1, arbitrary: n.map((k): SpecEvent => ({ kind: 'rename', node: k })) },
    { weight: 2, arbitrary: n.map((k): SpecEvent => ({ kind: 'tftpRestart', node: k })) },
    { weight: 1, arbitrary: n.map((k): SpecEvent => ({ kind: 'forge', node: k })) },
    { weight: 1, arbitrary: n.map((k): SpecEvent => ({ kind: 'corrupt', node: k })) },
    { weight: 2, arbitrary: n.map((k): SpecEvent => ({ kind: 'itlReset', node: k })) },
    { weight: 1, arbitrary: n.map((k): SpecEvent => ({ kind: 'backup', node: k })) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<SpecEvent>(
        { kind: 'itlResetRemote' },
        { kind: 'domain' },
        { kind: 'upgrade' },
        { kind: 'password' },
        { kind: 'rebuild' },
        { kind: 'devicesReset' },
        { kind: 'devicesReset' },
      ),
    },
  );
}

/** Abstract events with delays of 1–10 minutes, so the 5-minute hold timer both fires and not. Pure. */
export function stepsArb(scope: SpecScope, maxLength: number): fc.Arbitrary<TimedEvent[]> {
  const phoneAdds = fc.shuffledSubarray(
    Array.from({ length: scope.phones }, (_, i) => i),
    { minLength: 1 },
  );
  const step = fc.record({ e: eventArb(scope), minutes: fc.integer({ min: 1, max: 10 }) });
  return fc
    .tuple(phoneAdds, fc.array(step, { maxLength }))
    .map(([adds, rest]) => [...adds.map((i) => ({ e: { kind: 'add', phone: i } as SpecEvent, minutes: 1 })), ...rest]);
}

/** A scope of 2–3 nodes and 2–4 phones; 10.x mostly, sometimes installed as 9.1(2) (pre-10.0 ITLs). Pure. */
export function scopeArb(): fc.Arbitrary<SpecScope> {
  return fc
    .record({
      nodes: fc.integer({ min: 2, max: 3 }),
      phones: fc.integer({ min: 2, max: 4 }),
      pre10: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map((s) => scopeOf(s.nodes, s.phones, { pre10: s.pre10 }));
}

/** A generated log with its scope and the abstract events it came from (index i+1 of `events` is `abstract[i]`). */
export interface GeneratedLog {
  scope: SpecScope;
  events: LogEvent[];
  abstract: SpecEvent[];
}

/** Valid logs in small scopes: the fixed install line of the scope, then up to `maxLength` events. Pure. */
export function logArb(maxLength = 10): fc.Arbitrary<GeneratedLog> {
  return scopeArb().chain((scope) => stepsArb(scope, maxLength).map((steps) => ({ scope, ...toLog(scope, steps) })));
}

/** The seed every property and `check` use when `FC_SEED` is unset: runs are reproducible by default. */
export const DEFAULT_SEED = 20141126;

/**
 * The fast-check seed: `FC_SEED` when it is an integer (else a RangeError naming it), a fresh one when
 * it is `random` (`npm run test:random` draws and prints one), and DEFAULT_SEED when it is unset.
 */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FC_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw.trim() === 'random') return Math.floor(Math.random() * 2 ** 31);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw)))
    throw new RangeError(`FC_SEED must be an integer or "random", got '${raw}'`);
  return Number(raw);
}
