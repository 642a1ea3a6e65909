import { describe, expect, it } from 'vitest';
import { LogError } from './logError.ts';
import { MAX_PROBLEMS, parseLog, parseLogBytes } from './parseLog.ts';
import { compareVersions } from './version.ts';

const FILE = 'x.jsonl';
const PASSWORD = 'Hunter2-secret';

type Row = Record<string, unknown> | string;
const log = (...rows: Row[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');
const ev = (m: number, type: string, fields: Record<string, unknown> = {}) => ({
  type,
  at: `2024-03-04T09:${String(m).padStart(2, '0')}:00Z`,
  ...fields,
});
const install = (fields: Record<string, unknown> = {}) =>
  ev(0, 'cluster.install', {
    version: '10.5(2)',
    domain: 'example.lab',
    securityPassword: PASSWORD,
    nodes: [
      { name: 'pub', role: 'publisher', tftp: true },
      { name: 'sub', role: 'subscriber', tftp: true },
    ],
    ...fields,
  });
const phone = (m: number, name: string, fields: Record<string, unknown> = {}) =>
  ev(m, 'phone.add', { phone: name, tftp: 'pub', ...fields });

/** The problems of a refused log as `LINE: reason` strings. */
function problems(text: string): string[] {
  try {
    parseLog(text, FILE);
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    return error.problems.map((p) => `${p.line}: ${p.reason}`);
  }
  throw new Error('expected the log to be refused');
}

describe('parseLog names', () => {
  it('should accept every device-name form CUCM gives when the names are well formed', () => {
    const names = [
      'SEP001122334455',
      'ATA0011223344AA',
      'sep00aabbccddee',
      'CSFJSMITH',
      'BOTJSMITH',
      'TCTA1',
      'TABJSMITH123456',
    ];
    const { events } = parseLog(log(install(), ...names.map((n, i) => phone(i + 1, n))), FILE);
    expect(events.slice(1).map((e) => (e as { phone: string }).phone)).toEqual(names);
  });

  const badDevices = [
    '../../../x',
    'SEP0011223344',
    'SEP0011223344556',
    'SEP00112233445G',
    'XYZ001122334455',
    'CSF',
    'CSFABCDEFGHIJKLM',
    'SEP001122334455\u0000',
    '<script>',
  ];
  for (const name of badDevices) {
    it(`should refuse the device name ${JSON.stringify(name)} with the rule when it is not a CUCM device name`, () => {
      const [first] = problems(log(install(), phone(1, name)));
      expect(first).toMatch(/^2: phone\.add: field "phone" must be a device name: SEP or ATA and 12 hex digits/);
    });
  }

  it('should take names that differ only in case as one name, keeping the first spelling', () => {
    const { events } = parseLog(
      log(
        install(),
        phone(1, 'SEP00AABBCCDDEE', { tftp: 'PUB', tvs: ['Pub', 'SUB'] }),
        ev(2, 'phone.reset', { phone: 'sep00aabbccddee' }),
        ev(3, 'tftp.restart', { node: 'Sub' }),
      ),
      FILE,
    );
    expect(events[1]).toMatchObject({ phone: 'SEP00AABBCCDDEE', tftp: 'pub', tvs: ['pub', 'sub'] });
    expect(events[2]).toMatchObject({ phone: 'SEP00AABBCCDDEE' });
    expect(events[3]).toMatchObject({ node: 'sub' });
  });

  it('should refuse a second phone.add or node whose name differs only in case', () => {
    expect(problems(log(install(), phone(1, 'SEP00AABBCCDDEE'), phone(2, 'sep00aabbccddee')))).toEqual([
      '3: phone.add: phone "sep00aabbccddee" was already added on line 2',
    ]);
    const twins = install({
      nodes: [
        { name: 'pub', role: 'publisher', tftp: true },
        { name: 'PUB', role: 'subscriber', tftp: true },
      ],
    });
    expect(problems(log(twins))).toEqual(['1: cluster.install: duplicate node name "PUB"']);
  });

  const badNodes: [string, string][] = [
    ['-pub', 'starts with a hyphen'],
    ['pub-', 'ends with a hyphen'],
    ['a'.repeat(64), 'is 64 characters long'],
    ['pub.example', 'holds a dot'],
    ['pub_1', 'holds an underscore'],
    ['p\u0000b', 'holds a NUL'],
  ];
  for (const [name, why] of badNodes) {
    it(`should refuse a node name that ${why}`, () => {
      expect(problems(log(install({ nodes: [{ name, role: 'publisher', tftp: true }] })))[0]).toMatch(
        /^1: cluster\.install: field "nodes\[0\]\.name" must be a DNS label \(RFC 1123\)/,
      );
    });
  }

  it('should accept a 63-character hostname and a 253-character domain when the FQDN fits', () => {
    const label = 'a'.repeat(63);
    const domain = [label, label, label, 'b'.repeat(58)].join('.');
    expect(domain).toHaveLength(250);
    expect(
      parseLog(log(install({ domain, nodes: [{ name: 'p', role: 'publisher', tftp: true }] })), FILE).events,
    ).toHaveLength(1);
    expect(problems(log(install({ domain, nodes: [{ name: 'pub', role: 'publisher', tftp: true }] })))).toEqual([
      '1: cluster.install: the name "pub" + "." + the domain is 254 characters, more than a DNS name\'s 253',
    ]);
  });

  it('should refuse a rename or a domain change whose FQDN would pass 253 characters', () => {
    const long = ['a'.repeat(63), 'a'.repeat(63), 'a'.repeat(63), 'c'.repeat(60)].join('.');
    expect(problems(log(install(), ev(1, 'cluster.domain', { domain: long })))).toEqual([
      `2: cluster.domain: the name "pub" + "." + the domain is 256 characters, more than a DNS name's 253`,
    ]);
    const fits = ['a'.repeat(63), 'a'.repeat(63), 'a'.repeat(63), 'c'.repeat(50)].join('.');
    expect(
      problems(log(install({ domain: fits }), ev(1, 'node.rename', { node: 'sub', hostname: 'a'.repeat(40) }))),
    ).toHaveLength(1);
  });

  const badFields: [string, Row, RegExp][] = [
    ['a domain with an empty label', install({ domain: 'example..lab' }), /field "domain" must be a DNS name/],
    [
      'a domain of 254 characters',
      install({ domain: `${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(62)}` }),
      /field "domain" must be a DNS name of at most 253/,
    ],
    [
      'a country of three letters',
      install({ subject: { C: 'USA' } }),
      /field "subject\.C" must be two capital letters/,
    ],
    [
      'an organisation with a semicolon',
      install({ subject: { O: 'a;CN=evil' } }),
      /field "subject\.O" must not contain ";" or "="/,
    ],
    [
      'an organisation of 65 characters',
      install({ subject: { O: 'o'.repeat(65) } }),
      /field "subject\.O" must be at most 64 characters/,
    ],
    [
      'an SFTP host that is not a host',
      ev(1, 'itlrecovery.backup', { node: 'pub', host: 'bad host', user: 'u', path: '/p' }),
      /field "host" must be a DNS name or an IPv4 or IPv6 address/,
    ],
    [
      'an SFTP user with a space',
      ev(1, 'itlrecovery.backup', { node: 'pub', host: '10.0.0.1', user: 'a b', path: '/p' }),
      /field "user" must not contain spaces/,
    ],
    [
      'an SFTP path with an escape character',
      ev(1, 'itlrecovery.backup', { node: 'pub', host: '::1', user: 'u', path: '/p\u001b[31m' }),
      /field "path" must not contain control characters/,
    ],
  ];
  for (const [what, row, reason] of badFields) {
    it(`should refuse ${what}`, () => {
      const rows = (row as { type: string }).type === 'cluster.install' ? [row] : [install(), row];
      expect(problems(log(...rows)).join('\n')).toMatch(reason);
    });
  }

  it('should accept IPv4 and IPv6 SFTP hosts when they are well formed', () => {
    const hosts = ['10.1.1.1', '::1', 'fe80::1:2', '2001:db8::192.0.2.1', 'sftp.example.lab'];
    const rows = hosts.map((host, i) => ev(i + 1, 'itlrecovery.backup', { node: 'pub', host, user: 'u', path: '/p' }));
    expect(parseLog(log(install(), ...rows), FILE).events).toHaveLength(hosts.length + 1);
  });
});

describe('parseLog timestamps and versions', () => {
  it('should accept the first and last instants an ITL TIMESTAMP holds', () => {
    const text = log(install({ at: '1970-01-01T00:00:00Z' }), ev(1, 'devices.reset', { at: '2106-02-07T06:28:15Z' }));
    expect(parseLog(text, FILE).events).toHaveLength(2);
  });

  for (const at of [
    '1969-12-31T23:59:59Z',
    '2106-02-07T06:28:16Z',
    '2106-02-07T06:28:15.5Z',
    '9999-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
  ]) {
    it(`should refuse ${at} as outside the ITL TIMESTAMP range`, () => {
      expect(problems(log(install({ at })))).toEqual([
        `1: cluster.install: field "at" must lie from 1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z (an ITL's TIMESTAMP is an unsigned 32-bit Unix time), got "${at}"`,
      ]);
    });
  }

  it('should refuse a fraction of more than nine digits', () => {
    expect(problems(log(install({ at: '2024-03-04T09:00:00.1234567890Z' })))[0]).toMatch(
      /^1: cluster\.install: field "at" must be an ISO-8601 timestamp/,
    );
  });

  for (const version of [
    '12.0(1)',
    '12.0(1)SU2',
    '12.5(1)',
    '12.5(1)SU2a',
    '12.5(1)SU6',
    '14',
    '14SU3',
    '15',
    '15SU2',
  ]) {
    it(`should accept Cisco's full version string ${version} for an install and an upgrade`, () => {
      expect(parseLog(log(install({ version })), 'x.jsonl').events[0]).toMatchObject({ version });
      expect(parseLog(log(install(), ev(1, 'cluster.upgrade', { version })), 'x.jsonl').events[1]).toMatchObject({
        version,
      });
    });
  }

  for (const version of ['16', '16.0(1)', '20SU1']) {
    it(`should refuse version ${version}: no source describes it`, () => {
      expect(problems(log(install({ version })))[0]).toBe(
        `1: cluster.install: field "version" is ${version}: not modelled (this release models CUCM 8.0 up to 15)`,
      );
      expect(problems(log(install(), ev(1, 'cluster.upgrade', { version })))[0]).toMatch(
        /^2: cluster\.upgrade: field "version" is .*: not modelled/,
      );
    });
  }

  it('should order versions as Cisco does: (major, minor, maintenance, SU, SU letter), 14SU3 = 14.0(1)SU3', () => {
    const order = [
      '10.5(2)',
      '11.5(1)SU8',
      '12.0(1)',
      '12.5(1)',
      '12.5(1)SU2',
      '12.5(1)SU2a',
      '12.5(1)SU3',
      '14',
      '14SU3',
      '15',
    ];
    for (let i = 1; i < order.length; i++)
      expect(compareVersions(order[i - 1]!, order[i]!), `${order[i - 1]} < ${order[i]}`).toBe(-1);
    expect(compareVersions('14SU3', '14.0(1)SU3')).toBe(0);
    expect(compareVersions('12.5', '12.5(1)')).toBe(0);
    expect(problems(log(install({ version: '14SU3' }), ev(1, 'cluster.upgrade', { version: '14SU2' })))[0]).toBe(
      '2: cluster.upgrade: version 14SU2 is older than the installed 14SU3',
    );
  });

  it('should refuse a version before 8.0 because it has no ITL', () => {
    expect(problems(log(install({ version: '7.1(5)' })))).toEqual([
      '1: cluster.install: field "version" is 7.1(5): CUCM before 8.0 has no ITL, so there is nothing to model',
    ]);
  });

  it('should accept 8.0 and 11.5(1)SU9 as the ends of the modelled range', () => {
    expect(
      parseLog(log(install({ version: '8.0(1)' }), ev(1, 'cluster.upgrade', { version: '11.5(1)SU9' })), FILE).events,
    ).toHaveLength(2);
  });
});

describe('parseLog with several problems', () => {
  it('should report every problem at its own line when a log has several', () => {
    const text = log(
      install(),
      phone(1, 'SEP000000000001', { tftp: 'ghost' }),
      '{oops',
      ev(3, 'phone.reset', { phone: 'SEP000000000001' }),
      ev(4, 'devices.reset', { force: 1 }),
    );
    expect(problems(text)).toEqual([
      '2: phone.add: unknown node "ghost" in field "tftp"',
      '3: invalid JSON: expected a double-quoted property name at column 2',
      '5: devices.reset: unknown field "force"',
    ]);
  });

  it('should not report lines that only depend on an earlier refused line', () => {
    const text = log(
      install({ nodes: 'oops' }),
      phone(1, 'SEP000000000001', { tftp: 'anything' }),
      phone(2, 'SEP000000000002', { firmware: 'x' }),
      ev(3, 'phone.reset', { phone: 'SEP000000000002' }),
    );
    expect(problems(text)).toEqual([
      '1: cluster.install: field "nodes" must be an array',
      '3: phone.add: field "firmware" must be a version like "10.0(1)" or "11.5(1)SU3", got "x"',
    ]);
  });

  it(`should stop after ${MAX_PROBLEMS} problems and say so`, () => {
    const found = problems(log(install(), ...Array.from({ length: 30 }, () => '[]')));
    expect(found).toHaveLength(MAX_PROBLEMS + 1);
    expect(found.at(-1)).toBe(`${MAX_PROBLEMS + 1}: stopped after ${MAX_PROBLEMS} problems`);
  });

  it('should never echo the security password in any of the problems', () => {
    const text = [
      `{"type":"cluster.install","securityPassword":'${PASSWORD}'}`,
      `{"securityPassword": ${PASSWORD}}`,
      `securityPassword=${PASSWORD}`,
      log(ev(1, 'cluster.password', { securityPassword: `${PASSWORD}\u0000` })),
    ].join('\n');
    const found = problems(text);
    expect(found).toHaveLength(4);
    for (const p of found) expect(p).not.toContain(PASSWORD.slice(0, 6));
  });
});

describe('parseLog, one mistake reported once', () => {
  it('should take a later cluster.install as the install when the first line is another event, and report only that line', () => {
    const text = log(ev(0, 'devices.reset'), install(), phone(2, 'SEP00000000000A', { tftp: 'nowhere' }));
    expect(problems(text)).toEqual([
      '1: the first event must be cluster.install, not devices.reset',
      // The install is read, so its nodes check the lines after it.
      '3: phone.add: unknown node "nowhere" in field "tftp"',
    ]);
    // A broken install on line 1 is still the install: a second one is refused.
    const broken = log({ ...install(), version: 'x' }, install());
    expect(problems(broken)[1]).toBe('2: cluster.install: the cluster was already installed on an earlier line');
  });
});

describe('parseLogBytes', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it('should report invalid UTF-8 at its own line when a later line holds a bad byte', () => {
    const text = bytes(
      `${log(install())}\n\n`,
      '{"type":"devices.reset","at":"2024-03-04T09:01:00Z","x":"',
      [0xc3, 0x28],
      '"}\n',
    );
    expect(() => parseLogBytes(text, FILE)).toThrow(`${FILE}:3: not UTF-8 text (byte 58 of the line)`);
  });

  it('should refuse a key given twice in a line, at its column, and take a value that only looks like one', () => {
    const twice = `${log(install())}\n{"type":"devices.reset","at":"2024-03-04T09:01:00Z","at":"2024-03-04T09:02:00Z"}\n`;
    expect(problems(twice)).toEqual(['2: invalid JSON: field "at" appears twice at column 53']);
    const nested = log(install()).replace('"role":"publisher"', '"role":"publisher","role":"subscriber"');
    expect(problems(nested)[0]).toMatch(/^1: invalid JSON: field "role" appears twice at column \d+$/);
    // A string value holding `":` makes the text count more keys than the value has: it is read again,
    // holds no key twice, and goes on to the field checks.
    const lookalike = `${log(install())}\n{"type":"devices.reset","at":"2024-03-04T09:01:00Z","note":"a\\":b"}\n`;
    expect(problems(lookalike)).toEqual(['2: devices.reset: unknown field "note"']);
  });

  it('should report a first line that is not UTF-8 once, not again as a missing install on the next line', () => {
    const text = bytes('{"type":"cluster.install","x":"', [0xc3, 0x28], '"}\n', `${log(ev(1, 'devices.reset'))}\n`);
    let reasons: string[] = [];
    try {
      parseLogBytes(text, FILE);
    } catch (error) {
      reasons = (error as LogError).problems.map((p) => `${p.line}: ${p.reason}`);
    }
    expect(reasons).toEqual(['1: not UTF-8 text (byte 32 of the line)']);
  });

  it('should skip a byte order mark and read CRLF line ends when the file has them', () => {
    const text = bytes([0xef, 0xbb, 0xbf], `${log(install())}\r\n\r\n${log(ev(1, 'devices.reset'))}\r\n`);
    expect(parseLogBytes(text, FILE).lines).toEqual([1, 3]);
  });

  it('should refuse a line longer than the cap without reading the rest of it', () => {
    const long = `{"type":"devices.reset","at":"2024-03-04T09:01:00Z","x":"${'a'.repeat(1024 * 1024)}"}`;
    expect(() => parseLogBytes(bytes(`${log(install())}\n${long}\n`), FILE)).toThrow(
      `${FILE}:2: line longer than 1048576 bytes`,
    );
  });

  it('should read millions of blank lines without holding them when the log is mostly blank', () => {
    const blank = new Uint8Array(3_000_000).fill(0x0a);
    const text = bytes(log(install()), [...blank.subarray(0, 10)], '\n');
    expect(parseLogBytes(Buffer.concat([text, blank]), FILE).events).toHaveLength(1);
  });
});

describe('parseLog: the fields and events of 12.0 to 15 and mixed mode', () => {
  it('should refuse a node address that is not IPv4', () => {
    expect(
      problems(log(install({ nodes: [{ name: 'pub', role: 'publisher', tftp: true, ip: '10.1.1' }] })))[0],
    ).toMatch(/^1: cluster\.install: field "nodes\[0\]\.ip" must be an IPv4 address/);
  });

  it('should refuse a 3072-bit regeneration: a TLV file cannot carry its signature', () => {
    expect(
      problems(log(install(), ev(1, 'cert.regenerate', { node: 'pub', cert: 'CallManager', keyBits: 3072 })))[0],
    ).toMatch(/^2: cert\.regenerate: field "keyBits" must be 1024 or 2048 or 4096/);
  });

  it('should refuse a parameter whose value does not fit its name', () => {
    expect(
      problems(log(install(), ev(1, 'cluster.parameter', { name: 'prepareRollbackPre80', value: 'manual' })))[0],
    ).toMatch(/^2: cluster\.parameter: /);
    expect(
      problems(
        log(install(), ev(1, 'cluster.parameter', { name: 'phoneInteractionOnCertificateUpdate', value: true })),
      )[0],
    ).toMatch(/^2: cluster\.parameter: /);
  });

  it('should refuse a `utils ctl` event on a node the cluster does not have, and a CTL delete of an unknown phone', () => {
    expect(problems(log(install(), ev(1, 'ctl.update', { node: 'nope' })))[0]).toMatch(/^2: ctl\.update: .*nope/);
    expect(problems(log(install(), ev(1, 'phone.deleteCtl', { phone: 'SEP00000000000F' })))[0]).toMatch(
      /^2: phone\.deleteCtl: .*SEP00000000000F/,
    );
  });

  it('should keep optional fields absent when the log omits them (the model applies the defaults)', () => {
    const events = parseLog(
      log(
        install(),
        ev(1, 'phone.add', { phone: 'SEP00000000000A', tftp: 'pub' }),
        ev(2, 'cluster.upgrade', { version: '12.5(1)SU3' }),
      ),
      'x.jsonl',
    ).events;
    expect(events[1]).not.toHaveProperty('sbd');
    expect(events[1]).not.toHaveProperty('securityProfile');
    expect(events[2]).not.toHaveProperty('method');
  });
});
