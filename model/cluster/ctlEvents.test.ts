import { describe, expect, it } from 'vitest';
import { clusterAfter, install, type Line, PHONE_A as A, run, threeNodes } from '../../test-support/scenario.ts';
import { Role } from '../itl/tags.ts';
import type { ClusterState } from './clusterState.ts';
import { resetCtl, setClusterMode, updateCtl } from './ctlEvents.ts';

const AT = '2024-03-04T12:00:00Z';
const THREE_NODES = threeNodes('ccm');
const MIXED: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' };

const setCluster = (node: string, mode: 'mixed' | 'non-secure' = 'mixed') =>
  ({ type: 'ctl.setCluster', at: AT, node, mode }) as const;
const update = (node = 'pub') => ({ type: 'ctl.update', at: AT, node }) as const;
const reset = (node = 'pub') => ({ type: 'ctl.reset', at: AT, node, key: 'localkey' }) as const;

/** The cluster's CTL as stored. */
const ctlOf = (state: ClusterState) => state.itls[state.ctl!]!;

describe('utils ctl (docs/rules.md §16)', () => {
  it('should run every utils ctl command on the publisher only, and change nothing elsewhere (A36)', () => {
    const mixed = clusterAfter([install(), A, MIXED]);
    for (const step of [
      setClusterMode(mixed, setCluster('sub')),
      updateCtl(mixed, update('sub')),
      resetCtl(mixed, reset('sub')),
    ]) {
      expect(step.refusals).toEqual([{ kind: 'notPublisher', node: 'sub' }]);
      expect(step.state).toBe(mixed);
      expect(step.notes).toEqual([]);
    }
  });

  it('should refuse utils ctl before 10.0, and update or reset on a cluster that never had a CTL', () => {
    const old = clusterAfter([install({ version: '9.1(2)' }), A]);
    for (const step of [setClusterMode(old, setCluster('pub')), updateCtl(old, update()), resetCtl(old, reset())]) {
      expect(step.refusals).toEqual([{ kind: 'ctlBefore10', version: '9.1(2)' }]);
      expect(step.state.ctl).toBeNull();
    }
    const plain = clusterAfter([install(), A]);
    for (const step of [updateCtl(plain, update()), resetCtl(plain, reset())]) {
      expect(step.refusals).toEqual([{ kind: 'noCtl' }]);
      expect(step.state).toBe(plain);
    }
    // set-cluster non-secure-mode on such a cluster is not refused: it writes a non-secure CTL.
    const nonSecure = setClusterMode(plain, setCluster('pub', 'non-secure'));
    expect(nonSecure.refusals).toEqual([]);
    expect(nonSecure.state.securityMode).toBe('non-secure');
    expect(ctlOf(nonSecure.state).origin).toBe('ctl');
  });

  it('should sign the CTL with the publisher CallManager before 12.0, and name each node CCM+TFTP or CCM by its services', () => {
    const state = clusterAfter([install({ nodes: THREE_NODES }), A]);
    const step = setClusterMode(state, setCluster('pub'));
    expect(step.notes).toEqual([{ kind: 'ctlWritten', command: 'setCluster', mode: 'mixed', signer: 'callManager' }]);
    const ctl = ctlOf(step.state);
    expect(ctl.origin).toBe('ctl');
    expect(ctl.records.map((r) => r.role)).toEqual([Role.SAST, Role.CCM_TFTP, Role.CAPF, Role.CCM_TFTP, Role.CCM]);
    expect(step.state.ctlStale).toBe(false);
    expect(step.restarts).toEqual([]);
  });

  it('should lay the 12.0+ CTL out with the ITLRecovery SAST first and sign it with ITLRecovery', () => {
    const state = clusterAfter([install({ version: '12.5(1)SU3' }), A]);
    const step = setClusterMode(state, setCluster('pub'));
    expect(step.notes).toEqual([{ kind: 'ctlWritten', command: 'setCluster', mode: 'mixed', signer: 'itlRecovery' }]);
    const ctl = ctlOf(step.state);
    expect(ctl.records.map((r) => r.role)).toEqual([Role.SAST, Role.SAST, Role.CCM_TFTP, Role.CCM_TFTP, Role.CAPF]);
    expect(ctl.records[0]!.certSha1).not.toBe(ctl.records[1]!.certSha1);
  });

  it('should sign reset localkey with the publisher CallManager in every release, and refuse it alone under H1 (A28)', () => {
    const v12 = clusterAfter([install({ version: '12.5(1)SU3' }), A, MIXED]);
    expect(resetCtl(v12, reset()).notes).toEqual([
      { kind: 'ctlWritten', command: 'reset', mode: 'mixed', signer: 'callManager' },
    ]);
    expect(updateCtl(v12, update()).notes).toEqual([
      { kind: 'ctlWritten', command: 'update', mode: 'mixed', signer: 'itlRecovery' },
    ]);

    // H1: the CLI refuses the reset (a refusal changes nothing, so the state after it is the state before).
    const h1Run = run([
      install({ version: '12.5(1)SU3', keyBits: 2048, itlRecoveryKeyBits: 1024 }),
      MIXED,
      { type: 'ctl.reset', node: 'pub', key: 'localkey' },
    ]);
    expect(h1Run.reports.at(-1)!.refusals).toEqual([{ kind: 'recoveryKeyTooShort', command: 'ctl.reset' }]);
    const h1 = h1Run.final.cluster!;
    const refused = resetCtl(h1, reset());
    expect(refused.refusals).toEqual([{ kind: 'recoveryKeyTooShort', command: 'ctl.reset' }]);
    expect(refused.state).toBe(h1);
    // utils ctl update CTLFile and set-cluster are not refused by H1.
    expect(updateCtl(h1, update()).refusals).toEqual([]);
    expect(setClusterMode(h1, setCluster('pub', 'non-secure')).refusals).toEqual([]);
  });
});
