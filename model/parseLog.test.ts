import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './events.ts';
import { LogError } from './logError.ts';
import { parseLog } from './parseLog.ts';

const FILE = 'incident.jsonl';
const PASSWORD = 'Sup3r-S3cret!pw';

type Row = Record<string, unknown> | string;

/** Joins rows into a log; objects are serialized, strings are taken verbatim. */
function log(...rows: Row[]): string {
  return rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');
}

/** An event at minute `m` past 10:00 UTC. */
function ev(m: number, type: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, at: `2014-02-26T10:${String(m).padStart(2, '0')}:00Z`, ...fields };
}

const INSTALL = ev(0, 'cluster.install', {
  version: '10.0(1)',
  domain: 'joemar2.lab',
  securityPassword: PASSWORD,
  nodes: [
    { name: 'pub', role: 'publisher', tftp: true },
    { name: 'sub', role: 'subscriber', tftp: true, keyBits: 1024 },
    { name: 'sub2', role: 'subscriber', tftp: false },
  ],
  subject: { OU: 'tac', O: 'cisco', L: 'rtp', ST: 'nc', C: 'US' },
});
const PHONE = ev(1, 'phone.add', { phone: 'SEP001122334455', tftp: 'pub' });
const DEVICE_RULE =
  'must be a device name: SEP or ATA and 12 hex digits, or CSF, BOT, TCT, TAB and 1-12 letters or digits';

/** The LogError that parsing a log throws; fails the test if it throws nothing or something else. */
function refusal(text: string): LogError {
  try {
    parseLog(text, FILE);
  } catch (error) {
    if (error instanceof LogError) return error;
    throw error;
  }
  throw new Error('expected parseLog to refuse the log');
}

/** Parses or refuses, asserting nothing but a LogError ever escapes; returns the refusal message. */
function outcome(text: string): string | undefined {
  try {
    parseLog(text, FILE);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(LogError);
    return (error as LogError).message;
  }
}

describe('parseLog', () => {
  it('should parse all 26 event types with defaults applied when the log is valid', () => {
    const text = log(
      INSTALL,
      PHONE,
      ev(2, 'phone.add', { phone: 'SEP0000000000AA', tftp: 'sub', tvs: ['sub', 'pub'], firmware: '9.4(2)SR3' }),
      ev(3, 'cert.regenerate', { node: 'pub', cert: 'CallManager' }),
      '   ',
      ev(4, 'node.rename', { node: 'sub', hostname: 'sub-new' }),
      ev(5, 'cluster.domain', { domain: 'example.lab' }),
      ev(6, 'tftp.restart', { node: 'sub' }),
      ev(7, 'itl.reset', { node: 'pub', key: 'localkey' }),
      ev(8, 'itl.reset', { node: 'pub', key: 'remotekey', host: '10.1.1.1', user: 'adm', path: '/backup' }),
      ev(9, 'itlrecovery.backup', { node: 'pub', host: '10.1.1.1', user: 'adm', path: '/backup' }),
      ev(10, 'cluster.password', { securityPassword: 'another-one' }),
      ev(11, 'publisher.rebuild'),
      ev(12, 'devices.reset'),
      ev(13, 'phone.reset', { phone: 'SEP001122334455' }),
      ev(14, 'phone.power', { phone: 'SEP001122334455', on: false }),
      ev(15, 'phone.deleteItl', { phone: 'SEP001122334455' }),
      ev(16, 'phone.tftp', { phone: 'SEP001122334455', tftp: 'sub' }),
      ev(17, 'tftp.forge', { node: 'pub' }),
      ev(17, 'tftp.corrupt', { node: 'sub' }),
      ev(18, 'cluster.upgrade', { version: '11.5(1)SU3' }),
      ev(19, 'ctl.setCluster', { node: 'pub', mode: 'mixed' }),
      ev(20, 'ctl.update', { node: 'pub' }),
      ev(21, 'ctl.reset', { node: 'pub', key: 'localkey' }),
      ev(22, 'cluster.parameter', { name: 'prepareRollbackPre80', value: true }),
      ev(23, 'cluster.parameter', { name: 'phoneInteractionOnCertificateUpdate', value: 'manual' }),
      ev(24, 'service.restart', { node: 'sub', service: 'CTIManager' }),
      ev(25, 'phone.deleteCtl', { phone: 'SEP001122334455' }),
      ev(26, 'phone.factoryReset', { phone: 'SEP001122334455' }),
      ev(27, 'cert.reuse', { from: 'tomcat' }),
      ev(28, 'cluster.upgrade', { version: '14SU3', method: 'l2' }),
      ev(29, 'cert.regenerate', { node: 'pub', cert: 'ITLRecovery', keyBits: 4096, years: 20 }),
      '',
    );
    const { events, lines } = parseLog(text, FILE);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    expect(lines).toEqual([1, 2, 3, 4, ...Array.from({ length: 27 }, (_, i) => i + 6)]);
    expect(events[0]).toMatchObject({
      keyBits: 2048,
      nodes: [
        { name: 'pub', keyBits: 2048 },
        { name: 'sub', keyBits: 1024 },
        { name: 'sub2', keyBits: 2048 },
      ],
    });
    expect(events[1]).toStrictEqual({ ...PHONE, tvs: ['pub'], firmware: '10.3(1)' });
    expect(events[2]).toMatchObject({ tvs: ['sub', 'pub'], firmware: '9.4(2)SR3' });
    expect(events[7]).toStrictEqual(ev(7, 'itl.reset', { node: 'pub', key: 'localkey' }));
  });

  it('should let a node keyBits win over the cluster keyBits when both are given', () => {
    const install = {
      ...INSTALL,
      keyBits: 1024,
      nodes: [
        { name: 'p', role: 'publisher', tftp: true, keyBits: 2048 },
        { name: 's', role: 'subscriber', tftp: true },
      ],
    };
    const [first] = parseLog(log(install), FILE).events;
    expect(first).toMatchObject({ keyBits: 1024, nodes: [{ keyBits: 2048 }, { keyBits: 1024 }] });
  });

  it('should accept equal and fractional timestamps across offsets when they do not go back in time', () => {
    const text = log(
      INSTALL,
      { ...PHONE, at: '2014-02-26T02:00:00.5-08:00' },
      ev(0, 'devices.reset', { at: '2014-02-26T10:00:00.500Z' }),
    );
    expect(parseLog(text, FILE).events).toHaveLength(3);
  });

  it('should refuse with line 1 when the log is empty or blank', () => {
    for (const text of ['', '\n  \n\t\n']) {
      expect(refusal(text).message).toBe(`${FILE}:1: empty log: the first event must be cluster.install`);
    }
  });

  it('should carry file, line and reason on the error when it refuses a log', () => {
    const error = refusal(log(INSTALL, '', 'oops'));
    expect([error.file, error.line, error.reason]).toEqual([FILE, 3, 'invalid JSON: unexpected character at column 1']);
    expect(error.name).toBe('LogError');
  });

  const cases: [string, Row[], number, string][] = [
    [
      'invalid JSON',
      [INSTALL, '{"type": "devices.reset",'],
      2,
      'invalid JSON: expected a double-quoted property name at column 26',
    ],
    ['a line that is not an object', [INSTALL, '[1,2]'], 2, 'an event must be a JSON object'],
    [
      '65 nodes (a CUCM cluster has at most 21)',
      [
        {
          ...INSTALL,
          nodes: Array.from({ length: 65 }, (_, i) => ({
            name: `n${i}`,
            role: i === 0 ? 'publisher' : 'subscriber',
            tftp: true,
          })),
        },
      ],
      1,
      'cluster.install: field "nodes" must list at most 64 entries',
    ],
    // JSON.parse takes any depth; counting a line's keys must not recurse past the strict reader's limit.
    [
      'a value nested 100,000 deep',
      [INSTALL, `{"type":"devices.reset","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      2,
      'invalid JSON: nested deeper than 64 levels at column 93',
    ],
    [
      'an object nested 100,000 deep',
      [INSTALL, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
      2,
      'invalid JSON: nested deeper than 64 levels at column 326',
    ],
    ['a missing type', [INSTALL, { at: '2014-02-26T10:01:00Z' }], 2, 'field "type" is missing'],
    ['a type that is not a string', [INSTALL, { type: 7 }], 2, 'field "type" must be a string'],
    ['an unknown type', [INSTALL, ev(1, 'phone.explode')], 2, 'unknown event type "phone.explode"'],
    [
      'a missing field',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001' })],
      2,
      'phone.add: field "tftp" is missing',
    ],
    [
      'an ill-typed field',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 3 })],
      2,
      'phone.add: field "tftp" must be a string',
    ],
    [
      'an ill-typed nested field',
      [{ ...INSTALL, nodes: [{ name: 'p', role: 'publisher', tftp: 'yes' }] }],
      1,
      'cluster.install: field "nodes[0].tftp" must be a boolean',
    ],
    [
      'an unknown extra field',
      [INSTALL, ev(1, 'devices.reset', { force: true })],
      2,
      'devices.reset: unknown field "force"',
    ],
    [
      'an unknown subject key',
      [{ ...INSTALL, subject: { CN: 'x' } }],
      1,
      'cluster.install: unknown field "subject.CN"',
    ],
    [
      'an at without offset',
      [INSTALL, ev(1, 'devices.reset', { at: '2014-02-26T10:24:27' })],
      2,
      'devices.reset: field "at" must be an ISO-8601 timestamp with offset or Z, e.g. "2014-02-26T10:24:27-08:00", got "2014-02-26T10:24:27"',
    ],
    [
      'an impossible date',
      [INSTALL, ev(1, 'devices.reset', { at: '2014-02-30T10:00:00Z' })],
      2,
      'devices.reset: field "at" must be an ISO-8601 timestamp with offset or Z, e.g. "2014-02-26T10:24:27-08:00", got "2014-02-30T10:00:00Z"',
    ],
    [
      'a decreasing at (as instants)',
      [INSTALL, { ...ev(0, 'devices.reset'), at: '2014-02-26T11:00:00+02:00' }],
      2,
      'devices.reset: field "at" goes back in time: 2014-02-26T11:00:00+02:00 is before the previous event\'s 2014-02-26T10:00:00Z',
    ],
    ['a first event that is not cluster.install', [PHONE], 1, 'the first event must be cluster.install, not phone.add'],
    [
      'a second cluster.install',
      [INSTALL, '', ev(1, 'cluster.install')],
      3,
      'cluster.install: the cluster was already installed on line 1',
    ],
    [
      'no publisher',
      [{ ...INSTALL, nodes: [{ name: 's', role: 'subscriber', tftp: true }] }],
      1,
      'cluster.install: exactly one node must have role "publisher", found 0',
    ],
    [
      'two publishers',
      [
        {
          ...INSTALL,
          nodes: [
            { name: 'a', role: 'publisher', tftp: true },
            { name: 'b', role: 'publisher', tftp: true },
          ],
        },
      ],
      1,
      'cluster.install: exactly one node must have role "publisher", found 2',
    ],
    [
      'duplicate node names',
      [
        {
          ...INSTALL,
          nodes: [
            { name: 'a', role: 'publisher', tftp: true },
            { name: 'a', role: 'subscriber', tftp: true },
          ],
        },
      ],
      1,
      'cluster.install: duplicate node name "a"',
    ],
    [
      'keyBits not 1024/2048',
      [{ ...INSTALL, keyBits: 4096 }],
      1,
      'cluster.install: field "keyBits" must be 1024 or 2048',
    ],
    [
      'a node keyBits not 1024/2048',
      [{ ...INSTALL, nodes: [{ name: 'p', role: 'publisher', tftp: true, keyBits: '2048' }] }],
      1,
      'cluster.install: field "nodes[0].keyBits" must be 1024 or 2048',
    ],
    [
      'an invalid version',
      [{ ...INSTALL, version: 'ten' }],
      1,
      'cluster.install: field "version" must be a version like "10.0(1)" or "11.5(1)SU3", got "ten"',
    ],
    [
      'an upgrade to an older version',
      [INSTALL, ev(1, 'cluster.upgrade', { version: '9.1(2)' })],
      2,
      'cluster.upgrade: version 9.1(2) is older than the installed 10.0(1)',
    ],
    [
      'an unknown node',
      [INSTALL, ev(1, 'tftp.restart', { node: 'ghost' })],
      2,
      'tftp.restart: unknown node "ghost" in field "node"',
    ],
    [
      'a hostname used as node id after a rename',
      [INSTALL, ev(1, 'node.rename', { node: 'pub', hostname: 'newpub' }), ev(2, 'tftp.forge', { node: 'newpub' })],
      3,
      'tftp.forge: unknown node "newpub" in field "node"',
    ],
    [
      'an unknown tftp node',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 'ghost' })],
      2,
      'phone.add: unknown node "ghost" in field "tftp"',
    ],
    [
      'an unknown tvs node',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 'pub', tvs: ['pub', 'ghost'] })],
      2,
      'phone.add: unknown node "ghost" in field "tvs"',
    ],
    [
      'an unknown phone',
      [INSTALL, PHONE, ev(2, 'phone.power', { phone: 'SEP000000000009', on: true })],
      3,
      'phone.power: unknown phone "SEP000000000009" (no earlier phone.add)',
    ],
    [
      'a phone added twice',
      [INSTALL, PHONE, { ...PHONE, tftp: 'sub' }],
      3,
      'phone.add: phone "SEP001122334455" was already added on line 2',
    ],
    [
      'phone.add to a node without TFTP',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 'sub2' })],
      2,
      'phone.add: node "sub2" in field "tftp" does not run TFTP',
    ],
    [
      'phone.tftp to a node without TFTP',
      [INSTALL, PHONE, ev(2, 'phone.tftp', { phone: 'SEP001122334455', tftp: 'sub2' })],
      3,
      'phone.tftp: node "sub2" in field "tftp" does not run TFTP',
    ],
    [
      'remotekey without host',
      [INSTALL, ev(1, 'itl.reset', { node: 'pub', key: 'remotekey', user: 'u', path: '/p' })],
      2,
      'itl.reset: field "host" is required with key "remotekey"',
    ],
    [
      'localkey with a path',
      [INSTALL, ev(1, 'itl.reset', { node: 'pub', key: 'localkey', path: '/p' })],
      2,
      'itl.reset: field "path" is only allowed with key "remotekey"',
    ],
    [
      'an unknown itl.reset key',
      [INSTALL, ev(1, 'itl.reset', { node: 'pub', key: 'otherkey' })],
      2,
      'itl.reset: field "key" must be "localkey" or "remotekey"',
    ],
    [
      'an unknown cert',
      [INSTALL, ev(1, 'cert.regenerate', { node: 'pub', cert: 'Tomcat' })],
      2,
      'cert.regenerate: field "cert" must be "CallManager" or "TVS" or "CAPF" or "ITLRecovery"',
    ],
    [
      'an empty tvs list',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 'pub', tvs: [] })],
      2,
      'phone.add: field "tvs" must list at least 1 entry',
    ],
    [
      'six tvs entries',
      [
        INSTALL,
        ev(1, 'phone.add', {
          phone: 'SEP000000000001',
          tftp: 'pub',
          tvs: ['pub', 'sub', 'sub2', 'pub', 'sub', 'sub2'],
        }),
      ],
      2,
      'phone.add: field "tvs" must list at most 5 entries',
    ],
    [
      'duplicate tvs entries',
      [INSTALL, ev(1, 'phone.add', { phone: 'SEP000000000001', tftp: 'pub', tvs: ['pub', 'sub', 'pub'] })],
      2,
      'phone.add: field "tvs" lists node "pub" twice',
    ],
    [
      'an empty phone name',
      [INSTALL, ev(1, 'phone.add', { phone: '', tftp: 'pub' })],
      2,
      `phone.add: field "phone" ${DEVICE_RULE}, got ""`,
    ],
  ];

  for (const [what, rows, line, reason] of cases) {
    it(`should refuse with FILE:LINE: reason when the log has ${what}`, () => {
      expect(refusal(log(...rows)).message).toBe(`${FILE}:${line}: ${reason}`);
    });
  }

  it('should quote at most 60 characters of a key given twice (a refusal stays one short line)', () => {
    const key = 'k'.repeat(100_000);
    const reason = refusal(log(INSTALL, `{"type":"devices.reset","${key}":1,"${key}":2}`)).reason;
    expect(reason).toMatch(/^invalid JSON: field "k+\.\.\. appears twice at column \d+$/);
    expect(reason.length).toBeLessThan(150);
  });

  it('should count blank and CRLF lines when it reports a line number', () => {
    const text = `${log(INSTALL)}\r\n\r\n   \r\n${log(ev(1, 'tftp.restart', { node: 'ghost' }))}\r\n`;
    expect(refusal(text).line).toBe(4);
  });

  it('should never show the security password when it refuses a log', () => {
    const leaks = [
      log({ ...INSTALL, nodes: [] }),
      log({ ...INSTALL, at: 'yesterday' }),
      `{"type":"cluster.install","securityPassword":"${PASSWORD}" oops}`,
      `{"type":"cluster.install","securityPassword":${PASSWORD}}`,
      log(INSTALL, ev(1, 'cluster.password', { securityPassword: PASSWORD, extra: 1 })),
      log(INSTALL, ev(1, 'cluster.password', { securityPassword: [PASSWORD] })),
    ];
    for (const text of leaks) expect(refusal(text).message).not.toContain(PASSWORD);
  });
});

describe('parseLog on arbitrary input', () => {
  const fieldNames = [
    'version',
    'domain',
    'securityPassword',
    'nodes',
    'keyBits',
    'subject',
    'phone',
    'tftp',
    'tvs',
    'firmware',
    'node',
    'cert',
    'hostname',
    'key',
    'host',
    'user',
    'path',
    'on',
    'at',
    'type',
  ];
  const valid = [
    INSTALL,
    PHONE,
    ev(2, 'itl.reset', { node: 'pub', key: 'remotekey', host: 'h', user: 'u', path: '/p' }),
    ev(3, 'phone.tftp', { phone: 'SEP001122334455', tftp: 'sub' }),
  ];

  it('should return or throw LogError when every line is an arbitrary string', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (rows) => void outcome(rows.join('\n'))),
      { numRuns: 500 },
    );
  });

  it('should return or throw LogError when every line is an arbitrary JSON value', () => {
    const rows = fc.array(fc.jsonValue().map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(fc.boolean(), rows, (installed, rest) => void outcome(log(...(installed ? [INSTALL] : []), ...rest))),
      { numRuns: 500 },
    );
  });

  it('should return or throw LogError without showing the password when a valid log gets arbitrary fields', () => {
    const field = fc.constantFrom(...fieldNames, '__proto__', 'constructor');
    const mutation = fc.tuple(fc.nat(valid.length - 1), field, fc.option(fc.jsonValue()));
    const typed = fc.record({ type: fc.constantFrom(...EVENT_TYPES), at: fc.constant('2014-02-26T10:30:00Z') });
    const extra = fc.array(fc.tuple(typed, fc.dictionary(field, fc.jsonValue(), { maxKeys: 4 })), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), extra, (mutations, more) => {
        const events = valid.map((e) => ({ ...e }));
        for (const [index, key, value] of mutations) {
          const target = events[index] ?? {};
          if (value === null) delete target[key];
          else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
        }
        const message = outcome(log(...events, ...more.map(([t, fields]) => ({ ...fields, ...t }))));
        expect(message ?? '').not.toContain(PASSWORD);
      }),
      { numRuns: 1000 },
    );
  });
});
