import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { clusterAfter, install, type Line, nodeOf, run, threeNodes } from '../../test-support/scenario.ts';
import type { ClusterState } from './clusterState.ts';
import { loadTftp, startTftp, writeRollbackItl } from './refreshItls.ts';
import type { SignerSignal } from './step.ts';

const AT = '2024-03-04T10:00:00Z';
/** `pub` and `sub` run Cisco Tftp, `bare` does not. */
const NODES = threeNodes('bare');
const regen = (node: string, cert: string): Line => ({ type: 'cert.regenerate', node, cert });
const rollbackItls = (state: ClusterState) => Object.values(state.itls).filter((i) => i.origin === 'rollback');

describe('TFTP starts and rebuilds (docs/rules.md §6; A10, A12, A25)', () => {
  it('should leave a node without Cisco Tftp alone: nothing starts, loads or is written there', () => {
    const cluster = clusterAfter([install({ nodes: NODES })]);
    let signals: SignerSignal[] = ['untouched' as never];
    const next = produce(cluster, (d) => {
      const bare = d.nodes.find((n) => n.id === 'bare')!;
      signals = startTftp(d, bare, AT);
      loadTftp(d, bare, AT);
      writeRollbackItl(d, bare, AT);
    });
    expect(signals).toEqual([]);
    expect(next).toEqual(cluster);
    // An upgrade starts Cisco Tftp on every node that runs it, and only there.
    const upgraded = run([install({ nodes: NODES }), { type: 'cluster.upgrade', version: '11.5(1)SU8' }]);
    expect(upgraded.reports[1]!.refusals).toEqual([]);
    expect(nodeOf(upgraded.final.cluster!, 'bare').tftp).toBeUndefined();
  });

  it("should end an attacker's impersonation when the node's Cisco Tftp starts again (A12)", () => {
    const lines: Line[] = [install(), { type: 'tftp.forge', node: 'sub' }];
    const cluster = clusterAfter(lines);
    expect(nodeOf(cluster, 'sub').tftp!.signer.serving).toBe('forged');
    const sub = nodeOf(clusterAfter([...lines, { type: 'tftp.restart', node: 'sub' }]), 'sub');
    expect(sub.tftp!.signer.serving).toBe('normal');
    expect(sub.tftp!.forgery).toBeUndefined();
    let signals: SignerSignal[] = [];
    produce(cluster, (d) => void (signals = startTftp(d, d.nodes[1]!, AT)));
    expect(signals).toEqual([{ node: 'sub', event: { type: 'START' } }]);
  });

  it('should load no ITLRecovery before 10.0(1), where there is none', () => {
    const cluster = clusterAfter([
      install({ version: '9.1(2)', nodes: [{ name: 'pub', role: 'publisher', tftp: true }] }),
      { type: 'tftp.restart', node: 'pub' },
    ]);
    expect(cluster.nodes[0]!.tftp).not.toHaveProperty('loadedItlRecovery');
  });

  it('should write the rollback ITL on a rebuild only while the rollback parameter is True (A25)', () => {
    const off = clusterAfter([install({ nodes: NODES }), regen('sub', 'CallManager')]);
    expect(rollbackItls(off)).toEqual([]);
    expect(nodeOf(off, 'sub').tftp!.rollbackItl).toBeUndefined();

    const on = clusterAfter([
      install({ nodes: NODES }),
      { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true },
      regen('sub', 'CallManager'),
    ]);
    const sub = nodeOf(on, 'sub');
    // Signed like the normal ITL: by the new CallManager key before 12.0.
    expect(on.itls[sub.tftp!.rollbackItl!]!.records[0]!.certSha1).toBe(sub.certs.CallManager.cert.sha1);
    expect(rollbackItls(on)).toHaveLength(3);
  });
});
