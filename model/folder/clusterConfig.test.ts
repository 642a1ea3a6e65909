import { describe, expect, it } from 'vitest';
import { nodeNamed, parseClusterConfig } from './clusterConfig.ts';
import { FolderError } from './folderError.ts';
import { lineOf, parseJsonWithLines } from './jsonWithLines.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const GOOD = `{
  "version": "14SU2",
  "securityMode": "mixed",
  "nodes": [
    { "name": "pub", "hostname": "pub.example.com", "role": "publisher", "tftp": true },
    { "name": "sub", "role": "subscriber", "tftp": false }
  ],
  "parameters": { "phoneInteractionOnCertificateUpdate": "manual" }
}
`;

/** The problems of a refused cluster.json as `LINE: reason` (or `offset N: reason`). */
function problems(text: string | Uint8Array): string[] {
  try {
    parseClusterConfig(typeof text === 'string' ? bytes(text) : text);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    return error.problems.map((p) => `${p.file}:${p.line ?? `offset ${p.offset}`}: ${p.reason}`);
  }
  return [];
}

describe('parseClusterConfig', () => {
  it('should read the release, mode, nodes with their lines, and parameters', () => {
    expect(parseClusterConfig(bytes(GOOD))).toEqual({
      version: '14SU2',
      securityMode: 'mixed',
      nodes: [
        { name: 'pub', hostname: 'pub.example.com', role: 'publisher', tftp: true, line: 5 },
        { name: 'sub', role: 'subscriber', tftp: false, line: 6 },
      ],
      parameters: { phoneInteractionOnCertificateUpdate: 'manual' },
    });
  });

  it('should accept a byte order mark and CRLF', () => {
    expect(parseClusterConfig(bytes(`\uFEFF${GOOD.replace(/\n/g, '\r\n')}`)).nodes[1]!.line).toBe(6);
  });

  it('should name the field and its line for every problem', () => {
    const bad = GOOD.replace('"sub", "role"', '"-sub", "role"')
      .replace('"tftp": false', '"tftp": "no"')
      .replace('"mixed"', '"secure"')
      .replace('"manual" }', '"manual", "colour": 1 }');
    expect(problems(bad)).toEqual([
      'cluster.json:3: field "securityMode" must be "non-secure" or "mixed"',
      'cluster.json:6: field "nodes[1].name" must be a DNS label (RFC 1123): 1-63 letters, digits or hyphens, not starting or ending with a hyphen, got "-sub"',
      'cluster.json:6: field "nodes[1].tftp" must be a boolean',
      'cluster.json:8: unknown field "parameters.colour"',
    ]);
  });

  it('should refuse a release with no ITL or past the model, and a missing field at its object line (zod: a missing literal reads as a wrong one)', () => {
    expect(problems(GOOD.replace('"14SU2"', '"7.1(5)"'))).toEqual([
      'cluster.json:2: field "version" is 7.1(5): CUCM before 8.0 has no ITL, so there is nothing to model',
    ]);
    expect(problems(GOOD.replace('"14SU2"', '"fourteen"'))).toEqual([
      'cluster.json:2: field "version" must be a version like "12.5(1)SU3" or "14SU2", got "fourteen"',
    ]);
    expect(problems(GOOD.replace('"role": "subscriber", ', ''))).toEqual([
      'cluster.json:6: field "nodes[1].role" must be "publisher" or "subscriber"',
    ]);
  });

  it('should refuse two publishers, a name used twice, and a cluster without TFTP', () => {
    expect(problems(GOOD.replace('"subscriber"', '"publisher"'))).toEqual([
      'cluster.json:6: field "nodes" must list exactly one publisher, found 2',
    ]);
    expect(problems(GOOD.replace('"name": "sub"', '"name": "PUB"'))).toEqual([
      'cluster.json:6: field "nodes[1].name" is "PUB", already another node\'s name or host name on line 5',
    ]);
    expect(problems(GOOD.replace('"tftp": true', '"tftp": false'))).toEqual([
      'cluster.json:5: field "nodes": no node runs TFTP ("tftp": true)',
    ]);
  });

  it('should refuse invalid JSON at its line and column, a key given twice, and bytes that are not UTF-8', () => {
    expect(problems(GOOD.replace('"mixed",', '"mixed"'))).toEqual([
      "cluster.json:4: invalid JSON: expected ',' or '}' at column 3",
    ]);
    expect(problems('{"version": "14", "version": "15"}')).toEqual([
      'cluster.json:1: invalid JSON: field "version" appears twice at column 19',
    ]);
    expect(problems(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual(['cluster.json:offset 1: not UTF-8 text']);
    expect(problems('[]')).toEqual(['cluster.json:1: must be a JSON object']);
    expect(problems('')).toEqual(['cluster.json:1: invalid JSON: unexpected end of the text at column 1']);
  });

  it('should keep a __proto__ key as data and refuse it as an unknown field', () => {
    expect(problems(GOOD.replace('"version"', '"__proto__": {"x": 1}, "version"'))).toEqual([
      'cluster.json:2: unknown field "__proto__"',
    ]);
  });

  it('should find a node by name or host name without case', () => {
    const config = parseClusterConfig(bytes(GOOD));
    expect(nodeNamed(config, 'PUB.example.COM')?.name).toBe('pub');
    expect(nodeNamed(config, 'Sub')?.name).toBe('sub');
    expect(nodeNamed(config, 'pub.other.com')).toBeUndefined();
  });
});

describe('parseJsonWithLines', () => {
  it('should give the line of every value, and of the deepest existing part of a path', () => {
    const json = parseJsonWithLines('{\n "a": [\n  1,\n  {"b": "x\\n"}\n ]\n}');
    expect(json.value).toEqual({ a: [1, { b: 'x\n' }] });
    expect(lineOf(json, ['a', 1, 'b'])).toBe(4);
    expect(lineOf(json, ['a', 0])).toBe(3);
    expect(lineOf(json, ['a', 7, 'c'])).toBe(2);
  });

  it('should read what JSON.parse reads', () => {
    for (const text of ['1.5e3', '-0', '"\\u00e9\\/"', 'true', 'null', '[ ]', '{ }', '[[[]]]'])
      expect(parseJsonWithLines(text).value).toEqual(JSON.parse(text));
  });

  it('should refuse what JSON refuses, with a position', () => {
    for (const text of ['01', '[1,]', "{'a':1}", '"\\x"', '"a\u0001"', '"open', 'tru', '1 2', '{"a" 1}'])
      expect(() => parseJsonWithLines(text), text).toThrow(/^line 1 column \d+: /);
  });
});
