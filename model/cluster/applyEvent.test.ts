import { describe, expect, it } from 'vitest';
import { install, logOf } from '../../test-support/scenario.ts';
import type { LogEvent } from '../events.ts';
import { applyEvent } from './applyEvent.ts';
import type { ClusterState } from './clusterState.ts';

const A = 'SEP00000000000A';
const [installed, added, domain, regen, factoryReset] = logOf([
  install(),
  { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'cluster.domain', domain: 'example.org' },
  { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
  { type: 'phone.factoryReset', phone: A },
]) as [LogEvent, LogEvent, LogEvent, LogEvent, LogEvent];

/** The cluster side of the install and the phone's plug-in. */
const start: ClusterState = applyEvent(applyEvent(null, installed).state, added).state;
const pub = (state: ClusterState) => state.nodes.find((n) => n.id === 'pub')!;

describe("applyEvent, the cluster side of a log event (the model's own fold)", () => {
  it('should refuse any event before cluster.install (a log starts with the install)', () => {
    expect(() => applyEvent(null, added)).toThrow(/before cluster.install/);
  });

  it('should move every node to the new domain on cluster.domain, the ITLRECOVERY record keeping its old name', () => {
    const { state, refusals } = applyEvent(start, domain);
    expect(refusals).toEqual([]);
    expect(state.domain).toBe('example.org');
    expect(pub(state).certs.CallManager.cert.subject).not.toEqual(pub(start).certs.CallManager.cert.subject);
    expect(pub(state).recoveryFqdn).toBe('pub.example.lab');
    expect(pub(state).certs.ITLRecovery).toBe(pub(start).certs.ITLRecovery);
  });

  it('should regenerate only the certificate named by cert.regenerate', () => {
    const { state, refusals } = applyEvent(start, regen);
    expect(refusals).toEqual([]);
    expect(pub(state).generations).toEqual({ CallManager: 1, TVS: 0, CAPF: 0, ITLRecovery: 0 });
    expect(pub(state).hostname).toBe('pub');
  });

  it('should erase the ITL and the CTL of a factory-reset phone and boot it', () => {
    expect(applyEvent(start, factoryReset)).toMatchObject({ erase: [A], eraseCtl: [A], boots: [A], refusals: [] });
  });
});
