import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { clusterAfter, install, type Line, run } from '../../test-support/scenario.ts';
import type { ItlResetEvent } from '../events.ts';
import { publisherOf, servedItl } from './buildItls.ts';
import type { ClusterState } from './clusterState.ts';
import { resetItl, resetRefusal } from './tftpEvents.ts';

const AT = '2024-03-04T10:00:00Z';
const LOCALKEY: ItlResetEvent = { type: 'itl.reset', at: AT, node: 'pub', key: 'localkey' };
/** `pub` runs Cisco Tftp, `sub` does not. */
const PUB_ONLY_TFTP = [
  { name: 'pub', role: 'publisher', tftp: true },
  { name: 'sub', role: 'subscriber', tftp: false },
];
const backup: Line = { type: 'itlrecovery.backup', node: 'pub', host: 'sftp.lab', user: 'admin', path: '/keys' };
const remotekey = (path: string): Line => ({
  type: 'itl.reset',
  node: 'pub',
  key: 'remotekey',
  host: 'sftp.lab',
  user: 'admin',
  path,
});

describe('TFTP events (docs/log-format.md; docs/rules.md §8)', () => {
  it('should refuse tftp.restart, tftp.corrupt and tftp.forge on a node without Cisco Tftp, and change nothing', () => {
    const out = run([
      install({ nodes: PUB_ONLY_TFTP }),
      { type: 'tftp.restart', node: 'sub' },
      { type: 'tftp.corrupt', node: 'sub' },
      { type: 'tftp.forge', node: 'sub' },
    ]);
    expect(out.reports).toHaveLength(4);
    for (const report of out.reports.slice(1)) {
      expect(report.refusals).toEqual([{ kind: 'tftpNotActive', node: 'sub', hostname: 'sub' }]);
      expect(report.notes).toEqual([]);
    }
    const pub = out.final.cluster!.nodes[0]!;
    expect(pub.tftp!.signer).toMatchObject({ serving: 'normal', file: 'intact' });
    expect(out.final.cluster!.forgeries).toBe(0);
  });

  it('should corrupt only the named node, and count one attacker key per forgery', () => {
    const cluster = clusterAfter([install(), { type: 'tftp.corrupt', node: 'sub' }]);
    const [pub, sub] = cluster.nodes;
    const broken = cluster.itls[servedItl(sub!)!]!;
    expect(broken.corrupted).toBe(true);
    expect(broken.records).toEqual(cluster.itls[sub!.tftp!.normalItl]!.records);
    expect(servedItl(pub!)).toBe(pub!.tftp!.normalItl);

    const forged = clusterAfter([install(), { type: 'tftp.forge', node: 'sub' }, { type: 'tftp.forge', node: 'pub' }]);
    expect(forged.forgeries).toBe(2);
    const attackers = forged.nodes.map((n) => forged.itls[servedItl(n)!]!);
    expect(attackers.map((itl) => itl.origin)).toEqual(['forged', 'forged']);
    expect(attackers[0]!.signer.serial).not.toBe(attackers[1]!.signer.serial);
  });

  it('should refuse utils itl reset before 10.0(1), with a 1024-bit ITLRecovery under a longer key, and with no p12 at the given location', () => {
    const refusals = (lines: Line[]) => run(lines).reports.at(-1)!.refusals;
    expect(
      refusals([
        install({ version: '9.1(2)', nodes: PUB_ONLY_TFTP }),
        { type: 'itl.reset', node: 'pub', key: 'localkey' },
      ]),
    ).toEqual([{ kind: 'resetBefore10', version: '9.1(2)' }]);
    expect(
      refusals([
        install({ keyBits: 2048, itlRecoveryKeyBits: 1024 }),
        { type: 'itl.reset', node: 'pub', key: 'localkey' },
      ]),
    ).toEqual([{ kind: 'recoveryKeyTooShort', command: 'itl.reset' }]);
    const remote = run([install(), backup, remotekey('/elsewhere'), remotekey('/keys')]).reports;
    expect(remote[2]!.refusals).toEqual([{ kind: 'remoteP12Missing', host: 'sftp.lab', path: '/elsewhere' }]);
    expect(remote[3]!.refusals).toEqual([]);
  });

  it('should leave the cluster as it was when utils itl reset is refused', () => {
    const cluster = clusterAfter([install()]);
    const step = resetItl(cluster, { ...LOCALKEY, node: 'sub' });
    expect(step.refusals).toEqual([{ kind: 'notPublisher', node: 'sub' }]);
    expect(step.state).toBe(cluster);
    expect(step.signals).toEqual([]);
  });

  it('should serve the reset ITL on the TFTP nodes only; before 12.0 their services restart and load the ITLRecovery', () => {
    for (const [version, loaded] of [
      ['10.5(2)', true],
      ['12.0(1)', false],
    ] as const) {
      const cluster = clusterAfter([install({ version, nodes: PUB_ONLY_TFTP })]);
      const step = resetItl(cluster, LOCALKEY);
      expect(step.refusals).toEqual([]);
      expect(step.notes).toEqual([
        { kind: 'resetItlServed', mode: 'localkey', nodes: [{ id: 'pub', hostname: 'pub' }] },
      ]);
      expect(step.signals).toEqual([
        { node: 'pub', event: { type: 'RESET' } },
        ...(loaded ? [{ node: 'pub', event: { type: 'LOADED' } }] : []),
      ]);
      expect(step.state.itls[step.state.nodes[0]!.tftp!.resetItl!]!.origin).toBe('reset');
      expect(step.state.nodes[1]!.tftp).toBeUndefined();
    }
  });

  it('should fail loudly (a bug, not a refusal) when the publisher lacks its ITLRecovery key or a p12 does not match its metadata', () => {
    const cluster = clusterAfter([install(), backup]);
    const withoutKey = produce(cluster, (d) => void delete publisherOf(d as ClusterState).certs.ITLRecovery);
    expect(() => resetRefusal(withoutKey, LOCALKEY)).toThrow(/^bug:/);
    const other = publisherOf(cluster).certs.CallManager;
    const event = { ...LOCALKEY, ...remotekey('/keys'), at: AT } as ItlResetEvent;
    expect(resetRefusal(cluster, event)).toBeUndefined();
    const otherKey = produce(cluster, (d) => void (d.backups[0]!.key = other.key));
    const otherCert = produce(cluster, (d) => void (d.backups[0]!.cert = other.cert));
    for (const bad of [otherKey, otherCert]) expect(() => resetRefusal(bad, event)).toThrow(/^bug:/);
  });
});
