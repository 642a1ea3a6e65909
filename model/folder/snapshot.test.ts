import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../../test-support/scenario.ts';
import type { ClusterState } from '../cluster/clusterState.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { Role } from '../itl/tags.ts';
import { formatShowItl } from '../itl/formatShowItl.ts';
import { verifyItl } from '../itl/verifyItl.ts';
import { replayModel } from '../replay/fold.ts';
import { parseClusterConfig } from './clusterConfig.ts';
import { folderOfState } from './folderOfState.ts';
import { nodeFileName, nodeOfFolder } from './folderLayout.ts';
import { parseFolder, type RawFile } from './readFolder.ts';
import { snapshot, type Snapshot, type SnapshotIssue } from './snapshot.ts';

/** The state after a scenario (automatic restarts ended). */
function stateOf(lines: Line[]): ClusterState {
  return replayModel(logOf(lines)).settled.cluster!;
}

/** What the CLI's walk hands the model, from a map of folder-relative paths (as folderOfState writes them). */
function snapshotOf(files: Map<string, Uint8Array>): Snapshot {
  const cluster = parseClusterConfig(files.get('cluster.json')!);
  const raw: RawFile[] = [];
  for (const [path, bytes] of files) {
    const [top, node, name] = path.split('/');
    if (top === 'tftp') {
      const folder = nodeOfFolder(cluster, node!)!;
      raw.push({ path, bytes, place: { kind: 'node', node: folder.name, name: nodeFileName(name!)! } });
    } else if (top === 'history') raw.push({ path, bytes, place: { kind: 'history' } });
  }
  return snapshot(parseFolder({ cluster, phones: files.get('phones.csv')!, files: raw }));
}

const kinds = (snap: Snapshot) => snap.issues.map((i) => i.kind);
const issue = <K extends SnapshotIssue['kind']>(snap: Snapshot, kind: K) =>
  snap.issues.find((i): i is Extract<SnapshotIssue, { kind: K }> => i.kind === kind);
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const phones = (...lines: Line[]): Line[] => lines;

const PHONES = phones(
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
);

describe('snapshot of a folder written from a replay', () => {
  it('should recover each node certificates and place every phone on the file its node serves', () => {
    const state = stateOf([install({ version: '12.5(1)SU3' }), ...PHONES]);
    const snap = snapshotOf(folderOfState(state));
    expect(snap.issues).toEqual([]);
    for (const node of state.nodes) {
      const found = snap.nodes.find((n) => n.name === node.id)!;
      expect(found.callManager?.certSha1).toBe(node.certs.CallManager.cert.sha1);
      expect(found.tvs?.certSha1).toBe(node.certs.TVS.cert.sha1);
      expect(found.itlRecovery?.certSha1).toBe(state.nodes[0]!.certs.ITLRecovery!.cert.sha1);
      expect(found.serves).toEqual({ itl: `tftp/${node.id}/ITLFile.tlv` });
    }
    expect(snap.capf.map((c) => c.certSha1)).toEqual([state.nodes[0]!.certs.CAPF!.cert.sha1]);
    expect(snap.files.map((f) => [f.path, f.servedBy, f.signature.status, f.signer.identity.kind])).toEqual([
      ['tftp/pub/ITLFile.tlv', ['pub'], 'verified', 'itlRecovery'],
      ['tftp/sub/ITLFile.tlv', ['sub'], 'verified', 'itlRecovery'],
    ]);
    expect(snap.phones.map((p) => p.itl.match)).toEqual(['current', 'current']);
    expect(snap.summary).toMatchObject({ phones: 2, unregistered: 0, issues: 0 });
    expect(snap.cluster.release).toEqual({ itlSigner: 'itlRecovery', itlRecovery: 'per-cluster' });
  });

  it('should place a phone that was off during a TVS regeneration on the history file, and the others on current files', () => {
    const state = stateOf([
      install(),
      ...PHONES,
      { type: 'phone.power', phone: 'SEP00000000000B', on: false },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS' },
    ]);
    const snap = snapshotOf(folderOfState(state, { history: true }));
    expect(snap.phones.map((p) => [p.device, p.status, p.itl.match])).toEqual([
      ['SEP00000000000A', 'Registered', 'current'],
      ['SEP00000000000B', 'Unregistered', 'history'],
    ]);
    const without = snapshotOf(folderOfState(state));
    expect(without.phones[1]!.itl.match).toBe('unexplained');
    expect(issue(without, 'phone-hash-unexplained')).toMatchObject({
      at: { file: 'phones.csv', line: 3 },
      device: 'SEP00000000000B',
      fileKind: 'itl',
    });
  });

  it('should say other-node for a phone holding the file another node serves', () => {
    const state = stateOf([install(), ...PHONES]);
    const files = folderOfState(state);
    const csv = Buffer.from(files.get('phones.csv')!).toString().replace('SEP00000000000B,sub', 'SEP00000000000B,pub');
    const snap = snapshotOf(new Map([...files, ['phones.csv', text(csv)]]));
    expect(snap.phones[1]!.itl).toMatchObject({ match: 'other-node', file: 'tftp/sub/ITLFile.tlv', nodes: ['sub'] });
  });

  it('should find an ITLRecovery regenerated on 12.5 but loaded by one node only (one per cluster)', () => {
    const state = stateOf([
      install({ version: '12.5(1)SU3' }),
      ...PHONES,
      { type: 'cert.regenerate', node: 'pub', cert: 'ITLRecovery' },
      { type: 'tftp.restart', node: 'pub' },
    ]);
    const snap = snapshotOf(folderOfState(state));
    const found = issue(snap, 'itl-recovery-differs')!;
    expect(found.rule).toBe('one-per-cluster');
    expect(found.variants.map((v) => v.files)).toEqual([['tftp/pub/ITLFile.tlv'], ['tftp/sub/ITLFile.tlv']]);
    expect(snap.itlRecovery).toHaveLength(2);
  });

  it('should find the publisher ITLRecovery of 10.5 in one ITL only (publisher in every ITL)', () => {
    const state = stateOf([
      install(),
      ...PHONES,
      { type: 'cert.regenerate', node: 'pub', cert: 'ITLRecovery' },
      { type: 'tftp.restart', node: 'sub', after: 6 },
    ]);
    expect(issue(snapshotOf(folderOfState(state)), 'itl-recovery-differs')?.rule).toBe('publisher-in-every-itl');
  });

  it('should find a node serving an ITL from before the TVS regeneration (two TVS certificates of pub)', () => {
    const before = stateOf([install(), ...PHONES]);
    const after = stateOf([install(), ...PHONES, { type: 'cert.regenerate', node: 'pub', cert: 'TVS' }]);
    const files = folderOfState(after);
    files.set('tftp/sub/ITLFile.tlv', folderOfState(before).get('tftp/sub/ITLFile.tlv')!);
    const found = issue(snapshotOf(files), 'tvs-differs')!;
    expect(found.node).toBe('pub');
    expect(found.variants.map((v) => v.certSha1)).toEqual([
      after.nodes[0]!.certs.TVS.cert.sha1,
      before.nodes[0]!.certs.TVS.cert.sha1,
    ]);
  });

  it('should report a file whose signature fails and not take the node certificates from it', () => {
    const state = stateOf([install(), ...PHONES, { type: 'tftp.corrupt', node: 'pub' }]);
    const snap = snapshotOf(folderOfState(state));
    const failed = issue(snap, 'signature-failed')!;
    expect(failed.file).toBe('tftp/pub/ITLFile.tlv');
    expect(failed.verdict.status).toBe('invalid-signature');
    expect(failed.at.offset).toBe(decodeItl(folderOfState(state).get('tftp/pub/ITLFile.tlv')!).signatureOffset);
    const pub = snap.nodes.find((n) => n.name === 'pub')!;
    expect(pub.callManager).toBeUndefined();
    expect(pub.serves.itl).toBe('tftp/pub/ITLFile.tlv');
  });

  it('should say that the subscriber serves the reset ITL of utils itl reset (the publisher records)', () => {
    const state = stateOf([install(), ...PHONES, { type: 'itl.reset', node: 'pub', key: 'localkey' }]);
    const snap = snapshotOf(folderOfState(state));
    const found = issue(snap, 'itl-names-other-node')!;
    expect(found).toMatchObject({ node: 'sub', names: 'pub', file: 'tftp/sub/ITLFile.tlv' });
    expect(snap.files[0]!.sha1).toBe(snap.files[1]!.sha1);
    expect(snap.files[0]!.servedBy).toEqual(['pub', 'sub']);
  });

  it('should read a mixed-mode cluster CTL, and find a node serving an older CTL', () => {
    const mixed = [
      install({ version: '12.5(1)SU3' }),
      ...PHONES,
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    ];
    const first = stateOf(mixed);
    const updated = stateOf([
      ...mixed,
      { type: 'ctl.update', node: 'pub' },
      { type: 'cert.regenerate', node: 'pub', cert: 'CAPF' },
      { type: 'ctl.update', node: 'pub', after: 6 },
    ]);
    const clean = snapshotOf(folderOfState(first));
    expect(clean.issues).toEqual([]);
    expect(clean.files.filter((f) => f.kind === 'ctl').map((f) => f.servedBy)).toEqual([
      ['pub', 'sub'],
      ['pub', 'sub'],
    ]);
    expect(clean.nodes.map((n) => n.serves.ctl)).toEqual(['tftp/pub/CTLFile.tlv', 'tftp/sub/CTLFile.tlv']);
    const files = folderOfState(updated);
    files.set('tftp/sub/CTLFile.tlv', folderOfState(first).get('tftp/sub/CTLFile.tlv')!);
    const snap = snapshotOf(files);
    expect(issue(snap, 'ctl-differs')!.variants.map((v) => v.nodes)).toEqual([['pub'], ['sub']]);
    expect(kinds(snap)).toContain('capf-differs');
  });

  it('should say when a mixed-mode folder holds no CTL', () => {
    const files = folderOfState(stateOf([install(), ...PHONES]));
    const json = Buffer.from(files.get('cluster.json')!).toString().replace('"non-secure"', '"mixed"');
    expect(kinds(snapshotOf(new Map([...files, ['cluster.json', text(json)]])))).toEqual(['ctl-missing']);
  });

  it('should report a TVS record that names no node, and an ITL whose TFTP record names no node', () => {
    const files = folderOfState(stateOf([install(), ...PHONES]));
    const json = Buffer.from(files.get('cluster.json')!).toString().replace('"sub.example.lab"', '"sub2.example.lab"');
    const snap = snapshotOf(new Map([...files, ['cluster.json', text(json)]]));
    expect(kinds(snap)).toEqual(['tvs-unknown-node', 'tvs-unknown-node', 'itl-names-other-node']);
    // Each issue is located at its own TVS record: the offset decodeItl gives the record of that subject.
    const located = snap.issues.flatMap((i) => (i.kind === 'tvs-unknown-node' ? [i] : []));
    const offsets = located.map((i) => {
      const matches = decodeItl(files.get(i.file)!).records.filter(
        (r) => r.role === Role.TVS && r.subjectName === i.subject,
      );
      expect(matches).toHaveLength(1);
      expect(i.at).toEqual({ file: i.file, offset: matches[0]!.offset });
      return `${i.file}@${i.at.offset}`;
    });
    expect(offsets).toHaveLength(2);
    expect(new Set(offsets).size).toBe(2);
    expect(issue(snap, 'itl-names-other-node')).toMatchObject({ node: 'sub' });
    expect(issue(snap, 'itl-names-other-node')!.names).toBeUndefined();
  });

  it('should report an ITL without ITLRecovery on a release that has one, but not on 9.1', () => {
    const files = folderOfState(stateOf([install({ version: '9.1(2)' }), ...PHONES]));
    expect(snapshotOf(files).issues).toEqual([]);
    const json = Buffer.from(files.get('cluster.json')!).toString().replace('"9.1(2)"', '"10.0(1)"');
    expect(kinds(snapshotOf(new Map([...files, ['cluster.json', text(json)]])))).toEqual([
      'no-itl-recovery',
      'no-itl-recovery',
    ]);
  });

  it("should report phones on unknown and non-TFTP nodes, unknown TVS, and a TFTP node's folder without an ITL", () => {
    const state = stateOf([
      install({
        nodes: [
          { name: 'pub', role: 'publisher', tftp: true },
          { name: 'sub', role: 'subscriber', tftp: true },
          { name: 'cm3', role: 'subscriber', tftp: false },
        ],
      }),
      ...PHONES,
    ]);
    const files = folderOfState(state);
    files.delete('tftp/sub/ITLFile.tlv');
    files.set('tftp/cm3/ITLFile.tlv', files.get('tftp/pub/ITLFile.tlv')!);
    const csv = `${Buffer.from(files.get('phones.csv')!).toString()}SEP00000000000C,cm3,cm3;old,Registered,,,\r\nSEP00000000000D,10.1.1.1,pub,Unknown,,,\r\n`;
    const snap = snapshotOf(new Map([...files, ['phones.csv', text(csv)]]));
    expect(snap.issues.map((i) => [i.kind, i.at])).toEqual([
      ['no-itl', { file: 'cluster.json', line: 11 }],
      ['files-on-non-tftp-node', { file: 'tftp/cm3/ITLFile.tlv' }],
      ['itl-names-other-node', { file: 'tftp/cm3/ITLFile.tlv', offset: expect.any(Number) }],
      ['phone-hash-unexplained', { file: 'phones.csv', line: 3 }],
      ['phone-tftp-not-tftp', { file: 'phones.csv', line: 4 }],
      ['phone-tvs-unknown', { file: 'phones.csv', line: 4 }],
      ['phone-tftp-unknown', { file: 'phones.csv', line: 5 }],
    ]);
    expect(snap.phones[1]!.itl.match).toBe('unexplained');
  });

  it('should use a show-itl.txt when the file is absent: unverifiable, matched by the SHA-1 it prints', () => {
    const state = stateOf([install(), ...PHONES]);
    const files = folderOfState(state);
    const bytes = files.get('tftp/sub/ITLFile.tlv')!;
    files.delete('tftp/sub/ITLFile.tlv');
    const file = decodeItl(bytes);
    files.set('tftp/sub/show-itl.txt', text(formatShowItl(bytes, file, verifyItl(bytes, file)).join('\n')));
    const snap = snapshotOf(files);
    expect(snap.issues).toEqual([]);
    const listed = snap.files.find((f) => f.path === 'tftp/sub/show-itl.txt')!;
    expect(listed).toMatchObject({ source: 'text', signature: { status: 'unverifiable', listingSays: true } });
    expect(listed.sha1).toBe(hashHex('sha1', bytes));
    expect(snap.phones[1]!.itl).toMatchObject({ match: 'current', file: 'tftp/sub/show-itl.txt' });
    expect(snap.nodes[1]!.callManager?.certSha1).toBe(state.nodes[1]!.certs.CallManager.cert.sha1);
    expect(snap.nodes[1]!.callManager?.at.line).toBeGreaterThan(1);
  });

  it('should prefer the file to its listing, and say when the listing is of another file', () => {
    const old = folderOfState(stateOf([install(), ...PHONES]));
    const files = folderOfState(stateOf([install(), ...PHONES, { type: 'cert.regenerate', node: 'pub', cert: 'TVS' }]));
    const stale = old.get('tftp/sub/ITLFile.tlv')!;
    const file = decodeItl(stale);
    files.set('tftp/sub/show-itl.txt', text(formatShowItl(stale, file, verifyItl(stale, file)).join('\n')));
    const snap = snapshotOf(files);
    expect(kinds(snap)).toEqual(['listing-differs']);
    expect(snap.files.map((f) => f.path)).toEqual(['tftp/pub/ITLFile.tlv', 'tftp/sub/ITLFile.tlv']);
  });

  it('should report a listing that says its file could not be verified, and a CTL served as ITLFile.tlv', () => {
    const state = stateOf([
      install(),
      ...PHONES,
      { type: 'tftp.corrupt', node: 'sub' },
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    ]);
    const files = folderOfState(state);
    const bytes = files.get('tftp/sub/ITLFile.tlv')!;
    const file = decodeItl(bytes);
    files.delete('tftp/sub/ITLFile.tlv');
    files.set('tftp/sub/show-itl.txt', text(formatShowItl(bytes, file, verifyItl(bytes, file)).join('\n')));
    files.set('tftp/pub/ITLFile.tlv', files.get('tftp/pub/CTLFile.tlv')!);
    const snap = snapshotOf(files);
    expect(issue(snap, 'listing-not-verified')!.at).toEqual({
      file: 'tftp/sub/show-itl.txt',
      line: expect.any(Number),
    });
    expect(issue(snap, 'wrong-kind')).toMatchObject({ file: 'tftp/pub/ITLFile.tlv', expected: 'itl', found: 'ctl' });
  });

  it('should match a 32-digit hash against the files MD5', () => {
    const files = folderOfState(stateOf([install(), ...PHONES]));
    const md5 = hashHex('md5', files.get('tftp/pub/ITLFile.tlv')!);
    const csv = Buffer.from(files.get('phones.csv')!)
      .toString()
      .replace(/SEP00000000000A,(.*?),Registered,[0-9a-f]{40}/, `SEP00000000000A,$1,Registered,${md5}`);
    const snap = snapshotOf(new Map([...files, ['phones.csv', text(csv)]]));
    expect(snap.phones[0]!.itl).toEqual({ match: 'current', hash: md5, file: 'tftp/pub/ITLFile.tlv' });
  });

  it('should explain every phone of a big replay by the files the nodes serve and history/', () => {
    const lines: Line[] = [install()];
    for (let i = 0; i < 30; i++)
      lines.push({
        type: 'phone.add',
        phone: `SEP0000000001${i.toString(16).padStart(2, '0')}`,
        tftp: i % 2 ? 'pub' : 'sub',
        tvs: ['pub', 'sub'],
      });
    lines.push({ type: 'phone.power', phone: 'SEP000000000100', on: false });
    lines.push({ type: 'cert.regenerate', node: 'sub', cert: 'CallManager' });
    lines.push({ type: 'phone.tftp', phone: 'SEP000000000102', tftp: 'pub' });
    const state = stateOf(lines);
    const snap = snapshotOf(folderOfState(state, { history: true }));
    expect(snap.summary.itl.unexplained).toBe(0);
    expect(snap.summary.itl.history).toBe(1);
    for (const phone of state.phones) {
      const found = snap.phones.find((p) => p.device === phone.id)!;
      const match = found.itl;
      expect(match.match === 'unknown' ? null : match.hash).toBe(phone.itl);
    }
  });
});
