import { describe, expect, it } from 'vitest';
import { clusterAfter, install, PHONE_A as A, run, threeNodes } from '../../test-support/scenario.ts';
import { changeParameter, restartService, reuseCertificate } from './parameterEvents.ts';

const node = (n: string) => ({ id: n, hostname: n });
const PUB_SUB = [node('pub'), node('sub')];
const LATER = '2024-03-04T12:00:00Z';
const THREE_NODES = threeNodes('ccm');

const rollback = (value: boolean, at = LATER) =>
  ({ type: 'cluster.parameter', at, name: 'prepareRollbackPre80', value }) as const;
const interaction = (value: 'automatic' | 'manual') =>
  ({ type: 'cluster.parameter', at: LATER, name: 'phoneInteractionOnCertificateUpdate', value }) as const;
const reuse = (from: 'tomcat' | 'tomcat-ECDSA' = 'tomcat') => ({ type: 'cert.reuse', at: LATER, from }) as const;

describe('enterprise parameters and certificate reuse (docs/rules.md §17)', () => {
  it('P1: should refuse Phone Interaction on Certificate Update before 14 and change nothing, and take it from 14', () => {
    const old = clusterAfter([install(), A]);
    const refused = changeParameter(old, interaction('manual'));
    expect(refused.refusals).toEqual([
      { kind: 'notInRelease', feature: 'phoneInteractionOnCertificateUpdate', version: '10.5(2)' },
    ]);
    expect(refused.state).toBe(old);
    expect(refused.notes).toEqual([]);
    expect(
      run([
        install(),
        A,
        { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' },
      ]).reports.at(-1)!.refusals,
    ).toEqual(refused.refusals);

    const taken = changeParameter(clusterAfter([install({ version: '14' }), A]), interaction('manual'));
    expect(taken.refusals).toEqual([]);
    expect(taken.state.parameters.phoneInteractionOnCertificateUpdate).toBe('manual');
    expect(taken.restarts).toEqual([]);
    expect(taken.notes).toEqual([
      { kind: 'parameterChanged', name: 'phoneInteractionOnCertificateUpdate', value: 'manual', resets: false },
    ]);
  });

  it('P2: should serve the rollback ITL on every TFTP node only, reset every online phone from 10.5, and do nothing when the value is unchanged', () => {
    const before = clusterAfter([install({ nodes: THREE_NODES }), A]);
    const on = changeParameter(before, rollback(true));
    expect(on.signals).toEqual([
      { node: 'pub', event: { type: 'ROLLBACK_ON' } },
      { node: 'sub', event: { type: 'ROLLBACK_ON' } },
    ]);
    expect(on.restarts).toEqual(['SEP00000000000A']);
    expect(on.state.rollbackSince).toBe(LATER);
    for (const n of on.state.nodes.filter((n) => n.tftp))
      expect(on.state.itls[n.tftp!.rollbackItl!]!.origin).toBe('rollback');
    const ccm = on.state.nodes.find((n) => n.id === 'ccm')!;
    expect(ccm.tftp).toBeUndefined();
    expect(on.notes).toEqual([{ kind: 'parameterChanged', name: 'prepareRollbackPre80', value: 'True', resets: true }]);

    // Setting the value it already has changes nothing: no signal, no reset, no new file, the day H13 counts from kept.
    const again = changeParameter(on.state, rollback(true, '2024-03-05T12:00:00Z'));
    expect(again.signals).toEqual([]);
    expect(again.restarts).toEqual([]);
    expect(again.state.rollbackSince).toBe(LATER);
    expect(Object.keys(again.state.itls).sort()).toEqual(Object.keys(on.state.itls).sort());
    expect(again.notes).toEqual([
      { kind: 'parameterChanged', name: 'prepareRollbackPre80', value: 'True', resets: false },
    ]);
    const unchangedOff = changeParameter(before, rollback(false));
    expect(unchangedOff.signals).toEqual([]);
    expect(unchangedOff.restarts).toEqual([]);

    // Back to False: the nodes serve their own ITL again; no new file is written; the H13 clock stops.
    const off = changeParameter(on.state, rollback(false, '2024-03-04T13:00:00Z'));
    expect(off.signals).toEqual([
      { node: 'pub', event: { type: 'ROLLBACK_OFF' } },
      { node: 'sub', event: { type: 'ROLLBACK_OFF' } },
    ]);
    expect(off.state.rollbackSince).toBeUndefined();
    expect(Object.keys(off.state.itls).sort()).toEqual(Object.keys(on.state.itls).sort());
    expect(off.restarts).toEqual(['SEP00000000000A']);
    expect(off.notes).toEqual([
      { kind: 'parameterChanged', name: 'prepareRollbackPre80', value: 'False', resets: true },
    ]);
  });

  it('P2: should reset no phone before 10.5 when the value changes', () => {
    const step = changeParameter(clusterAfter([install({ version: '10.0(1)' }), A]), rollback(true));
    expect(step.signals).toHaveLength(2);
    expect(step.restarts).toEqual([]);
    expect(step.notes).toEqual([
      { kind: 'parameterChanged', name: 'prepareRollbackPre80', value: 'True', resets: false },
    ]);
  });

  it('should refuse certificate reuse before 14, and say ECDSA is not modelled from 14, changing nothing', () => {
    const old = clusterAfter([install({ version: '12.5(1)SU3' }), A]);
    const refused = reuseCertificate(old, reuse());
    expect(refused.refusals).toEqual([{ kind: 'notInRelease', feature: 'certificateReuse', version: '12.5(1)SU3' }]);
    expect(refused.state).toBe(old);
    expect(refused.notes).toEqual([]);

    const v14 = clusterAfter([install({ version: '14' }), A]);
    const ecdsa = reuseCertificate(v14, reuse('tomcat-ECDSA'));
    expect(ecdsa.state).toBe(v14);
    expect(ecdsa.notes).toEqual([{ kind: 'notModelled', what: 'ecdsa' }]);
    expect(ecdsa.refusals).toEqual([]);
    expect(ecdsa.signals).toEqual([]);
  });

  it('should give every node one new CallManager certificate at each reuse, rebuild the ITLs and reset phones per P1', () => {
    const v14 = clusterAfter([install({ version: '14' }), A]);
    const first = reuseCertificate(v14, reuse());
    const cm = first.state.nodes.map((n) => n.certs.CallManager.cert.sha1);
    expect(new Set(cm).size).toBe(1);
    expect(cm[0]).not.toBe(v14.nodes[0]!.certs.CallManager.cert.sha1);
    expect(first.state.reuses).toBe(1);
    expect(first.restarts).toEqual(['SEP00000000000A']);
    expect(first.notes).toEqual([
      { kind: 'certificatesReused', nodes: PUB_SUB },
      { kind: 'itlsRebuilt', nodes: PUB_SUB, seconds: 120 },
    ]);
    // A second reuse is a new certificate again, counted as the second.
    const second = reuseCertificate(first.state, reuse());
    expect(second.state.reuses).toBe(2);
    expect(second.state.nodes[0]!.certs.CallManager.cert.sha1).not.toBe(cm[0]);
    // No CTL: nothing is stale.
    expect(first.state.ctlStale).toBe(false);

    // P1 manual: files change, no phone resets.
    const manual = changeParameter(v14, interaction('manual')).state;
    const quiet = reuseCertificate(manual, reuse());
    expect(quiet.signals).toHaveLength(2);
    expect(quiet.restarts).toEqual([]);
    expect(quiet.notes[1]).toEqual({ kind: 'itlsRebuilt', nodes: PUB_SUB, seconds: null });
  });

  it('should leave the CTL stale after a reuse in mixed mode (H9), until utils ctl update', () => {
    const lines = [install({ version: '14' }), A, { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }];
    const mixed = clusterAfter(lines);
    expect(reuseCertificate(mixed, reuse()).state.ctlStale).toBe(true);
    const alerts = run([...lines, { type: 'cert.reuse', from: 'tomcat' }]).reports.flatMap((r) => r.alerts);
    expect(alerts.map((a) => a.kind)).toContain('ctl-not-updated');
  });

  it('should record a service restart on its node and change nothing else (A22)', () => {
    const state = clusterAfter([install(), A]);
    const step = restartService(state, { type: 'service.restart', at: LATER, node: 'sub', service: 'CTIManager' });
    expect(step.state).toBe(state);
    expect(step.notes).toEqual([{ kind: 'serviceRestarted', node: node('sub'), service: 'CTIManager' }]);
    expect([...step.restarts, ...step.boots, ...step.signals, ...step.refusals]).toEqual([]);
  });

  it('should note no ITL rebuild on a cluster where no node runs TFTP', () => {
    const none = clusterAfter([
      install({
        version: '14',
        nodes: [
          { name: 'pub', role: 'publisher', tftp: false },
          { name: 'sub', role: 'subscriber', tftp: false },
        ],
      }),
    ]);
    const step = reuseCertificate(none, reuse());
    expect(step.notes).toEqual([{ kind: 'certificatesReused', nodes: PUB_SUB }]);
    expect(step.signals).toEqual([]);
    expect(step.restarts).toEqual([]);
  });
});
