import fc from 'fast-check';
import type { EventType } from '../model/events.ts';
import { seedFromEnv } from '../properties/arbitraries.ts';

/*
 * The log lines the fast-path property tests (model/fastEvents.prop.test.ts,
 * model/fastEventsLog.prop.test.ts) draw, valid and broken: wrong types, extra, missing and repeated
 * keys, `__proto__` and other prototype names, numbers and lengths just past a limit, control and
 * non-ASCII characters. Runs use FC_SEED (a fixed default; `random` draws one).
 */

export const params = (numRuns: number) => ({ numRuns, seed: seedFromEnv() });

/** Values of the wrong kind for any field. */
const wrongKind = fc.constantFrom<unknown>(null, 0, -0, 1.5, true, false, '', [], {}, ['n1'], { n1: true }, '1024');

/** Text just outside a rule: control, format and non-ASCII characters, prototype names, long strings. */
const oddText = fc.constantFrom(
  '\u0000',
  'n1\u0007',
  'n1\u0085',
  'n\u00e91',
  '\u202en1',
  '\ufeffn1',
  'n1 ',
  '__proto__',
  'constructor',
  'toString',
  'a'.repeat(64),
  'a'.repeat(300),
);

/** Draws a value: a good one, or (when noisy) sometimes one a rule away (`near`), of a wrong kind, or odd text. */
type Draw = (good: fc.Arbitrary<unknown>, near?: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>;

/** A good value most of the time, else one a rule away, of a wrong kind, or odd text. */
export const noisy: Draw = (good, near = wrongKind) =>
  fc.oneof(
    { arbitrary: good, weight: 12 },
    { arbitrary: near, weight: 4 },
    { arbitrary: wrongKind, weight: 1 },
    { arbitrary: oddText, weight: 1 },
  );

/** Only good values (a log that may parse: its refusals come from the order of events). */
export const clean: Draw = (good) => good;

export const FIRST = Date.UTC(2024, 0, 1);
const hex = fc.stringMatching(/^[0-9A-Fa-f]{12}$/);

/** Good values of the enumerated fields (those the fast path learns). */
export const GOOD: Record<string, Record<string, unknown[]>> = {
  'phone.add': {
    firmware: ['10.3(1)', '11.5(1)SU3', '12.0', '9.4(2)SR3a'],
    sbd: [true, false],
    securityProfile: ['non-secure', 'authenticated', 'encrypted'],
  },
  'phone.power': { on: [true, false] },
  'cert.regenerate': {
    cert: ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'],
    keyBits: [1024, 2048, 4096],
    years: [5, 10, 15, 20],
  },
  'ctl.setCluster': { mode: ['mixed', 'non-secure'] },
};

/**
 * Each type's fields and how to draw a value for each (the types the fast path reads, and two it
 * leaves to zod): timestamps in several spellings and just outside the shape, the calendar or the
 * range; device names in any case and a character too long, short or foreign; node names of the
 * cluster (any case) and labels a rule away; values of the enumerations and near misses.
 */
function fieldsOf(draw: Draw): Partial<Record<EventType, Record<string, fc.Arbitrary<unknown>>>> {
  const at = draw(
    fc.oneof(
      fc.integer({ min: 0, max: 10 ** 6 }).map((s) => new Date(FIRST + s * 1000).toISOString()),
      fc.integer({ min: 0, max: 10 ** 6 }).map((s) => new Date(FIRST + s * 1000).toISOString().replace('.000Z', 'Z')),
      fc.constantFrom(
        '2024-01-01T00:00:00+01:00',
        '2024-01-01T00:00:00.123456789-08:00',
        '2024-02-29T12:00:00Z',
        '1970-01-01T00:00:00Z',
        '2106-02-07T06:28:15Z',
      ),
    ),
    fc.constantFrom(
      '2023-02-29T12:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:00:00.1234567890Z',
      '2024-01-01 00:00:00Z',
      '2024-01-01T00:00:00',
      '1969-12-31T23:59:59Z',
      '2106-02-07T06:28:15.5Z',
      '2106-02-07T06:28:16Z',
      '\uff12024-01-01T00:00:00Z',
    ),
  );
  const phone = draw(
    fc.oneof(
      hex.map((h) => `SEP${h}`),
      hex.map((h) => `ata${h}`),
      fc.stringMatching(/^[0-9A-Za-z]{1,12}$/).map((s) => `CSF${s}`),
    ),
    fc.oneof(
      fc.stringMatching(/^[0-9A-Za-z]{13}$/).map((s) => `CSF${s}`),
      fc.constantFrom('SEP00000000000', 'SEP0000000000000', 'SEP00000000000G', 'XYZ000000000000', 'CSF', 'SEP\u0660'),
    ),
  );
  const goodNode =
    draw === clean
      ? fc.constantFrom('n1', 'N2', 'n2')
      : fc.constantFrom('n1', 'N2', 'n3', 'n4', 'cucm-a', 'a'.repeat(63));
  const node = draw(goodNode, fc.constantFrom('-n1', 'n1-', 'n_1', 'n.1', 'a'.repeat(64), ''));
  const oneOf = (good: unknown[], near: unknown[]) => draw(fc.constantFrom(...good), fc.constantFrom(...near));
  const bool = draw(fc.boolean());
  return {
    'phone.add': {
      at,
      phone,
      tftp: node,
      tvs: draw(
        fc.uniqueArray(node, { minLength: 1, maxLength: 5, selector: (n) => String(n).toLowerCase() }),
        fc.oneof(fc.constant([]), fc.array(goodNode, { minLength: 6, maxLength: 7 })),
      ),
      firmware: oneOf(GOOD['phone.add']!.firmware!, ['', '10.3(1) ', 'x', '1'.repeat(33), '10.3(1)\u0000']),
      sbd: bool,
      securityProfile: oneOf(GOOD['phone.add']!.securityProfile!, ['Encrypted', 'none']),
    },
    'phone.reset': { at, phone },
    'phone.power': { at, phone, on: bool },
    'phone.deleteItl': { at, phone },
    'phone.deleteCtl': { at, phone },
    'phone.factoryReset': { at, phone },
    'phone.tftp': { at, phone, tftp: node },
    'devices.reset': { at },
    'cert.regenerate': {
      at,
      node,
      cert: oneOf(GOOD['cert.regenerate']!.cert!, ['callmanager', 'tomcat']),
      keyBits: oneOf(GOOD['cert.regenerate']!.keyBits!, [3072, 512, '2048', 2048.5]),
      years: oneOf(GOOD['cert.regenerate']!.years!, [0, 25, '5']),
    },
    'tftp.restart': { at, node },
    'ctl.setCluster': { at, node, mode: oneOf(GOOD['ctl.setCluster']!.mode!, ['Mixed', 'secure']) },
    'tftp.forge': { at, node },
    'ctl.reset': { at, node, key: oneOf(['localkey'], ['remotekey']) },
  };
}

/** The fields a line may leave out. */
const OPTIONAL = new Set(['tvs', 'firmware', 'sbd', 'securityProfile', 'keyBits', 'years']);

/** A line as key-value pairs, in order (so keys can repeat, as JSON text allows). */
type Pairs = Array<[string, unknown]>;

/** Extra keys a line might carry: unknown fields, prototype names, another event's field. */
const extraKey = fc.constantFrom(
  'extra',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'node',
  'phone',
  'Type',
);

/** One way to break a line. */
const breakage = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), value: noisy(fc.constant('n1')) }),
  fc.record({ kind: fc.constant('extra' as const), key: extraKey, value: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ kind: fc.constant('shuffle' as const), at: fc.nat() }),
);

/** Lines of every type: each optional field present or not; noisy lines broken in up to two ways. */
export function pairsArb(draw: Draw): fc.Arbitrary<Pairs> {
  const fieldsOfType = fieldsOf(draw);
  const noBreaks = fc.constant([]);
  const breaks =
    draw === clean
      ? noBreaks
      : fc.oneof({ arbitrary: noBreaks, weight: 3 }, { arbitrary: fc.array(breakage, { maxLength: 2 }), weight: 1 });
  return fc.constantFrom(...(Object.keys(fieldsOfType) as EventType[])).chain((type) => {
    const fields = Object.entries(fieldsOfType[type]!).map(([name, value]) => {
      const pair = value.map((v): [string, unknown] => [name, v]);
      return OPTIONAL.has(name) ? fc.option(pair, { nil: undefined }) : pair;
    });
    return fc.tuple(fc.tuple(...fields), breaks).map(([present, breakages]): Pairs => {
      const pairs: Pairs = [['type', type]];
      for (const pair of present) if (pair !== undefined) pairs.push(pair);
      for (const b of breakages) {
        const i = 'at' in b ? b.at % pairs.length : 0;
        if (b.kind === 'drop' && i > 0) pairs.splice(i, 1);
        if (b.kind === 'repeat') pairs.push([pairs[i]![0], b.value]);
        if (b.kind === 'extra') pairs.push([b.key, b.value]);
        if (b.kind === 'shuffle') pairs.push(...pairs.splice(0, i));
      }
      return pairs;
    });
  });
}

/** The JSON text of a line's pairs (repeated keys kept: the last one wins when it is read). */
export function lineOf(pairs: Pairs): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}
