import { describe, expect, it } from 'vitest';
import { install, run } from '../../test-support/scenario.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import { itlRecoverySource } from './recoveryKey.ts';

function cluster(version: string, itlRecoveryPerNode12_0: boolean): ClusterState {
  return run([install({ version })], { options: { itlRecoveryPerNode12_0 } }).final.cluster!;
}

/** Whose ITLRecovery the subscriber's TFTP loads: its own or the publisher's (they differ before 12.5). */
function loadedBySubscriber(state: ClusterState): 'own' | 'publisher' {
  const [pub, sub] = ['pub', 'sub'].map((id) => state.nodes.find((n) => n.id === id)!) as [NodeState, NodeState];
  expect(pub.certs.ITLRecovery!.cert.sha1).not.toBe(sub.certs.ITLRecovery!.cert.sha1);
  const source = itlRecoverySource(state, sub)!;
  expect(sub.tftp!.loadedItlRecovery).toEqual(source);
  if (source.cert.sha1 === sub.certs.ITLRecovery!.cert.sha1) return 'own';
  expect(source).toEqual(pub.certs.ITLRecovery);
  return 'publisher';
}

describe('which ITLRecovery a TFTP node loads (docs/rules.md §15.3, A15)', () => {
  it("should load the publisher's in 12.0, and the node's own only under the per-node switch", () => {
    expect(loadedBySubscriber(cluster('12.0(1)', false))).toBe('publisher');
    expect(loadedBySubscriber(cluster('12.0(1)', true))).toBe('own');
  });

  it("should load the publisher's before 12.0 whatever the switch says (the ITL is then signed by CallManager)", () => {
    expect(loadedBySubscriber(cluster('11.5(1)SU8', true))).toBe('publisher');
    expect(loadedBySubscriber(cluster('10.5(2)', false))).toBe('publisher');
  });

  it("should load the cluster's one from 12.5, which every node holds", () => {
    const state = cluster('12.5(1)SU3', true);
    const pub = state.nodes.find((n) => n.role === 'publisher')!;
    for (const node of state.nodes) expect(itlRecoverySource(state, node)).toEqual(pub.certs.ITLRecovery);
  });
});
