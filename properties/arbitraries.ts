import fc from 'fast-check';
import type { CertRegenerateEvent, LogEvent } from '../model/events.ts';
import { installVersion, nodeName, phoneName, toLog, type TimedEvent } from './concretize.ts';
import { CERTS } from './spec/constants.ts';
import type { SpecEvent } from './spec/events.ts';
import { scopeOf, type ScopeOptions, type SpecScope } from './spec/scope.ts';

/** One abstract event of a scope: every log event type (power and forgery included; `utils ctl` in mixed mode); `wait` is left to the delays. Pure. */
export function eventArb(scope: SpecScope): fc.Arbitrary<SpecEvent> {
  const p = fc.integer({ min: 0, max: scope.phones - 1 });
  const n = fc.integer({ min: 0, max: scope.nodes - 1 });
  // Mostly on the publisher: a subscriber refuses them (notPublisher).
  const pubMostly = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: n });
  const mixed: Array<fc.WeightedArbitrary<SpecEvent>> = scope.mixed
    ? [
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.constantFrom('ctlSetCluster' as const, 'ctlUpdate' as const, 'ctlReset' as const), pubMostly)
            .map(([kind, k]): SpecEvent => ({ kind, node: k })),
        },
        { weight: 1, arbitrary: p.map((i): SpecEvent => ({ kind: 'deleteCtl', phone: i })) },
      ]
    : [];
  return fc.oneof(
    ...mixed,
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

/** The releases and modes random logs are drawn from: 10.x (sometimes installed as 9.1(2)), 12.5 non-secure, 12.5 mixed mode (sometimes installed as 11.5). */
const RELEASE_OPTIONS: Array<fc.WeightedArbitrary<ScopeOptions>> = [
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant({ pre10: true }) },
  { weight: 2, arbitrary: fc.constant({ release: '12.5' as const }) },
  { weight: 1, arbitrary: fc.constant({ release: '12.5' as const, pre12: true }) },
  { weight: 2, arbitrary: fc.constant({ release: '12.5' as const, mixed: true }) },
  { weight: 1, arbitrary: fc.constant({ release: '12.5' as const, mixed: true, pre12: true }) },
];

/** A scope of 2–3 nodes and 2–4 phones; 10.x or 12.5 (non-secure or mixed mode), sometimes installed a release before. Pure. */
export function scopeArb(): fc.Arbitrary<SpecScope> {
  return fc
    .record({
      nodes: fc.integer({ min: 2, max: 3 }),
      phones: fc.integer({ min: 2, max: 4 }),
      options: fc.oneof(...RELEASE_OPTIONS),
    })
    .map((s) => scopeOf(s.nodes, s.phones, s.options));
}

/**
 * A generated log with its scope and the abstract events it came from: index i+1 of `events` is
 * `abstract[i]`, null for an event the spec does not model (the concrete-only events of `extrasArb`).
 */
export interface GeneratedLog {
  scope: SpecScope;
  events: LogEvent[];
  abstract: Array<SpecEvent | null>;
}

/**
 * The versions a scope's install may be drawn at, all of one band of the rules (the first is
 * concretize.ts's): 10.x 10.5(2) or 11.5(1)SU8; 12.5 12.5(1)SU3, 12.5(1) or 12.5(1)SU8, and 14SU3 or
 * 15 (the concrete checks speak of every release; the spec's 12.5 scope stands for 12.5 to 15 but for
 * what changes at 14: CAPF on the publisher only, Phone Interaction on Certificate Update, certificate
 * reuse, ITLRecovery validity). A scope installed a release before (9.1(2), 11.5) keeps its version:
 * its `upgrade` goes to a fixed release.
 */
export function installVersions(scope: Pick<SpecScope, 'release' | 'pre10' | 'pre12'>): string[] {
  if (scope.pre10 || scope.pre12) return [installVersion(scope)];
  return scope.release === '12.5' ? ['12.5(1)SU3', '12.5(1)', '12.5(1)SU8', '14SU3', '15'] : ['10.5(2)', '11.5(1)SU8'];
}

/** The optional fields a `cert.regenerate` may carry (docs/log-format.md): none, the install's key size, and for ITLRecovery 2048 bits or a validity. */
const REGEN_FIELDS: ReadonlyArray<Pick<CertRegenerateEvent, 'keyBits' | 'years'>> = [
  {},
  { keyBits: 1024 },
  { keyBits: 2048 },
  { years: 10 },
];

/**
 * An event of the log format the spec does not model, kept off the trust lists' rules or refused in
 * the releases drawn before 14: a service restart, Phone Interaction on Certificate Update, certificate
 * reuse, the rollback parameter (§17.2), a factory reset (a phone's ITL and CTL erased).
 */
export type ExtraEvent =
  | { kind: 'serviceRestart'; node: number; service: 'CallManager' | 'CTIManager' | 'TVS' | 'CAPF' }
  | { kind: 'phoneInteraction'; value: 'automatic' | 'manual' }
  | { kind: 'reuse' }
  | { kind: 'rollback'; value: boolean }
  | { kind: 'factoryReset'; phone: number };

/** Concrete-only events, each with the position (1 = after the install) it goes after. Pure. */
export function extrasArb(scope: SpecScope, maxLength: number): fc.Arbitrary<Array<{ e: ExtraEvent; after: number }>> {
  const n = fc.integer({ min: 0, max: scope.nodes - 1 });
  const extra = fc.oneof<fc.Arbitrary<ExtraEvent>[]>(
    fc
      .tuple(n, fc.constantFrom('CallManager' as const, 'CTIManager' as const, 'TVS' as const, 'CAPF' as const))
      .map(([node, service]) => ({ kind: 'serviceRestart', node, service })),
    fc.constantFrom('automatic' as const, 'manual' as const).map((value) => ({ kind: 'phoneInteraction', value })),
    fc.constant({ kind: 'reuse' }),
    fc.boolean().map((value) => ({ kind: 'rollback', value })),
    fc.integer({ min: 0, max: scope.phones - 1 }).map((phone) => ({ kind: 'factoryReset', phone })),
  );
  return fc.array(fc.record({ e: extra, after: fc.integer({ min: 1, max: maxLength + 1 }) }), { maxLength: 2 });
}

/** The log event of a concrete-only event at a time. Pure. */
function extraEvent(e: ExtraEvent, at: string): LogEvent {
  switch (e.kind) {
    case 'serviceRestart':
      return { type: 'service.restart', at, node: nodeName(e.node), service: e.service };
    case 'phoneInteraction':
      return { type: 'cluster.parameter', at, name: 'phoneInteractionOnCertificateUpdate', value: e.value };
    case 'reuse':
      return { type: 'cert.reuse', at, from: 'tomcat' };
    case 'rollback':
      return { type: 'cluster.parameter', at, name: 'prepareRollbackPre80', value: e.value };
    case 'factoryReset':
      return { type: 'phone.factoryReset', at, phone: phoneName(e.phone) };
  }
}

/** How a generated log is varied where the spec does not look: the install's version and each regeneration's optional fields. */
export interface LogVariant {
  /** Index into `installVersions(scope)`. */
  version: number;
  /** regen[k % length]: index into REGEN_FIELDS for the k-th `cert.regenerate`. */
  regen: number[];
  extras: Array<{ e: ExtraEvent; after: number }>;
}

/**
 * A log of the spec's events made concrete in a way the spec does not see: the install (and every
 * upgrade to the install's own version) at a drawn version of its band, optional fields on
 * `cert.regenerate` (a key size other than the install's only for ITLRecovery: a 2048-bit CallManager
 * would make `utils itl reset` refuse a 1024-bit ITLRecovery, H1), and the concrete-only events inserted
 * a second after the event they follow (one on a phone only once the phone is added). Pure.
 */
export function varyLog(
  scope: SpecScope,
  log: { events: LogEvent[]; abstract: SpecEvent[] },
  variant: LogVariant,
): GeneratedLog {
  const versions = installVersions(scope);
  const version = versions[variant.version % versions.length]!;
  const own = installVersion(scope);
  let k = 0;
  const events: LogEvent[] = [];
  const abstract: Array<SpecEvent | null> = [];
  const added = new Set<string>();
  log.events.forEach((event, i) => {
    let e = event;
    if (e.type === 'cluster.install') e = { ...e, version };
    else if (e.type === 'cluster.upgrade' && e.version === own) e = { ...e, version };
    else if (e.type === 'cert.regenerate') {
      const fields =
        REGEN_FIELDS[variant.regen.length ? variant.regen[k++ % variant.regen.length]! % REGEN_FIELDS.length : 0]!;
      const allowed = e.cert === 'ITLRecovery' ? fields : fields.keyBits === 1024 ? fields : {};
      e = { ...e, ...allowed };
    }
    if (e.type === 'phone.add') added.add(e.phone);
    events.push(e);
    if (i > 0) abstract.push(log.abstract[i - 1]!);
    for (const { e: x } of variant.extras.filter((v) => v.after === i + 1)) {
      if (x.kind === 'factoryReset' && !added.has(phoneName(x.phone))) continue;
      events.push(extraEvent(x, new Date(Date.parse(e.at) + 1000).toISOString()));
      abstract.push(null);
    }
  });
  return { scope, events, abstract };
}

/** Valid logs in small scopes: the install line of the scope, then up to `maxLength` events, varied where the spec does not look (`varyLog`). Pure. */
export function logArb(maxLength = 10): fc.Arbitrary<GeneratedLog> {
  return scopeArb().chain((scope) =>
    fc
      .record({
        steps: stepsArb(scope, maxLength),
        version: fc.nat({ max: 4 }),
        regen: fc.array(fc.nat({ max: REGEN_FIELDS.length - 1 }), { maxLength: 4 }),
        extras: extrasArb(scope, maxLength),
      })
      .map(({ steps, version, regen, extras }) => varyLog(scope, toLog(scope, steps), { version, regen, extras })),
  );
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
