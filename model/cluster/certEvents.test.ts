import { describe, expect, it } from 'vitest';
import { clusterAfter, install, nodeOf, PHONE_A as A, threeNodes, type Line } from '../../test-support/scenario.ts';
import type { CertKind } from '../certs/issueCertificate.ts';
import type { CertRegenerateEvent } from '../events.ts';
import {
  changeDomain,
  rebuildPublisher,
  regenerateCert,
  regenerateNode,
  renameNode,
  upgradeCluster,
} from './certEvents.ts';
import type { Step } from './step.ts';

/** After every scenario's own events (they are stamped a minute apart from 09:01). */
const AT = '2024-03-04T10:00:00.000Z';
const mixed: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' };
/** A publisher and a subscriber that run TFTP, and a subscriber that does not. */
const NODES = threeNodes('cm');

function regen(node: string, cert: CertKind, extra: Partial<CertRegenerateEvent> = {}): CertRegenerateEvent {
  return { type: 'cert.regenerate', at: AT, node, cert, ...extra };
}

/** The signals a step sends to the signer machines, as `node:EVENT`. */
function signals(step: Step): string[] {
  return step.signals.map((s) => `${s.node}:${s.event.type}`);
}

const name = (id: string, hostname = id) => ({ id, hostname });

describe('set cert regen (docs/rules.md §6, §7, §15.5)', () => {
  it('should rebuild every TFTP node’s ITL and reset the powered-on phones after a TVS change, and neither after a subscriber’s CAPF (not in any ITL)', () => {
    const state = clusterAfter([install(), A]);
    const tvs = regenerateCert(state, regen('sub', 'TVS'));
    expect(tvs.notes).toEqual([
      { kind: 'regenerated', node: name('sub'), cert: 'TVS' },
      { kind: 'itlsRebuilt', nodes: [name('pub'), name('sub')], seconds: 120 },
    ]);
    expect(tvs.restarts).toEqual(['SEP00000000000A']);
    expect(signals(tvs)).toEqual(['pub:REBUILT', 'sub:REBUILT']);

    const capf = regenerateCert(state, regen('sub', 'CAPF'));
    expect(capf.notes).toEqual([{ kind: 'regenerated', node: name('sub'), cert: 'CAPF' }]);
    expect(capf.restarts).toEqual([]);
    expect(capf.signals).toEqual([]);
    expect(nodeOf(capf.state, 'sub').certs.CAPF!.cert.sha1).not.toBe(nodeOf(state, 'sub').certs.CAPF!.cert.sha1);
  });

  it('should regenerate the node named, start its hold timer, refuse a second regeneration on it within 300 s and leave the state given untouched', () => {
    const state = clusterAfter([install(), A]);
    const before = structuredClone(state);
    const first = regenerateCert(state, regen('sub', 'TVS'));
    expect(state).toEqual(before);
    expect(first.refusals).toEqual([]);
    const [pub, sub] = [nodeOf(first.state, 'pub'), nodeOf(first.state, 'sub')];
    expect(sub.generations.TVS).toBe(nodeOf(state, 'sub').generations.TVS + 1);
    expect(sub.certs.TVS.cert.sha1).not.toBe(nodeOf(state, 'sub').certs.TVS.cert.sha1);
    expect(sub).toMatchObject({ holdTimer: 'running', lastRegen: { at: AT, cert: 'TVS' } });
    expect(pub.certs).toEqual(nodeOf(state, 'pub').certs);
    expect(pub.holdTimer).toBe('idle');

    const later = { ...regen('sub', 'CallManager'), at: '2024-03-04T10:04:00.000Z' };
    const refused = regenerateCert(first.state, later);
    expect(refused.refusals).toEqual([
      { kind: 'holdTimer', node: 'sub', lastCert: 'TVS', cert: 'CallManager', until: '2024-03-04T10:05:00.000Z' },
    ]);
    expect(refused.state).toBe(first.state);
    expect(refused.notes).toEqual([]);
    // The timer is per node: the publisher is not held.
    expect(regenerateCert(first.state, { ...later, node: 'pub' }).refusals).toEqual([]);
  });

  it('should give a certificate the key size asked for, record only a size that differs from the node’s, and return to the node’s size when asked', () => {
    const state = clusterAfter([install()]);
    const pub = nodeOf(state, 'pub');
    const same = regenerateNode(state, pub, 'CallManager', AT, { keyBits: 1024 });
    expect(same.certBits).toBeUndefined();
    expect(regenerateNode(state, pub, 'CallManager', AT).certBits).toBeUndefined();
    const big = regenerateNode(state, pub, 'CallManager', AT, { keyBits: 2048 });
    expect(big.certBits).toEqual({ CallManager: 2048 });
    expect(big.certs.CallManager.key.bits).toBe(2048);
    const back = regenerateNode(state, big, 'CallManager', AT, { keyBits: 1024 });
    expect(back.certs.CallManager.key.bits).toBe(1024);
    expect(regenerateNode(state, big, 'TVS', AT, { keyBits: 1024 }).certs.TVS.key.bits).toBe(1024);
  });

  it('should leave a mixed-mode CTL stale (H9) exactly when a certificate it holds changed: any CallManager, the publisher’s CAPF and ITLRecovery', () => {
    const state = clusterAfter([install({ version: '12.0(1)' }), mixed]);
    expect(state.ctlStale).toBe(false);
    const stale = (n: string, cert: CertKind) => regenerateCert(state, regen(n, cert)).state.ctlStale;
    expect(stale('pub', 'CallManager')).toBe(true);
    expect(stale('sub', 'CallManager')).toBe(true);
    expect(stale('pub', 'CAPF')).toBe(true);
    expect(stale('pub', 'ITLRecovery')).toBe(true);
    expect(stale('sub', 'CAPF')).toBe(false);
    expect(stale('sub', 'ITLRecovery')).toBe(false);
    expect(stale('pub', 'TVS')).toBe(false);
    expect(stale('sub', 'TVS')).toBe(false);
    // Without a CTL there is nothing to be stale.
    expect(
      regenerateCert(clusterAfter([install({ version: '12.0(1)' })]), regen('pub', 'CallManager')).state.ctlStale,
    ).toBe(false);
  });

  it('should make a new publisher ITLRecovery wait for each TFTP node’s next start before 14 (A10, A23), and re-arm the backup alert only for the publisher’s', () => {
    const backup: Line = {
      type: 'itlrecovery.backup',
      node: 'pub',
      host: 'sftp.example.lab',
      user: 'backup',
      path: '/ITLRecovery.p12',
    };
    const state = clusterAfter([install({ version: '12.0(1)', nodes: NODES }), A, backup]);
    expect(state.itlRecoveryBackedUp).toBe(true);

    const pub = regenerateCert(state, regen('pub', 'ITLRecovery'));
    expect(signals(pub)).toEqual(['pub:RECOVERY_CHANGED', 'sub:RECOVERY_CHANGED']);
    expect(pub.notes).toEqual([{ kind: 'regenerated', node: name('pub'), cert: 'ITLRecovery' }]);
    expect(pub.restarts).toEqual([]);
    expect(pub.state.itlRecoveryBackedUp).toBe(false);

    // A15: by default only the publisher's is loaded, so a subscriber's changes no file.
    const sub = regenerateCert(state, regen('sub', 'ITLRecovery'));
    expect(sub.signals).toEqual([]);
    expect(sub.state.itlRecoveryBackedUp).toBe(true);
    expect(nodeOf(sub.state, 'sub').certs.ITLRecovery).not.toEqual(nodeOf(state, 'sub').certs.ITLRecovery);
    expect(nodeOf(sub.state, 'pub').certs.ITLRecovery).toEqual(nodeOf(state, 'pub').certs.ITLRecovery);

    // With each node signing with its own (the A15 switch), only that node waits for its restart.
    const perNode = clusterAfter([install({ version: '12.0(1)', nodes: NODES }), A], {
      options: { itlRecoveryPerNode12_0: true },
    });
    expect(signals(regenerateCert(perNode, regen('sub', 'ITLRecovery')))).toEqual(['sub:RECOVERY_CHANGED']);
    expect(signals(regenerateCert(perNode, regen('pub', 'ITLRecovery')))).toEqual(['pub:RECOVERY_CHANGED']);
  });

  it('should copy the publisher’s new ITLRecovery to every node from 12.5, wherever the publisher stands in the install', () => {
    const nodes = [
      { name: 'sub', role: 'subscriber', tftp: true },
      { name: 'pub', role: 'publisher', tftp: true },
    ];
    const state = clusterAfter([install({ version: '12.5(1)SU3', nodes })]);
    const step = regenerateCert(state, regen('pub', 'ITLRecovery'));
    const fresh = nodeOf(step.state, 'pub').certs.ITLRecovery!;
    expect(fresh.cert.sha1).not.toBe(nodeOf(state, 'pub').certs.ITLRecovery!.cert.sha1);
    expect(nodeOf(step.state, 'sub').certs.ITLRecovery).toEqual(fresh);
    expect(signals(step)).toEqual(['sub:RECOVERY_CHANGED', 'pub:RECOVERY_CHANGED']);
  });

  it('should from 14 load a new ITLRecovery on every TFTP node at once, rebuild their ITLs and reset the phones (A23, P1)', () => {
    const state = clusterAfter([install({ version: '14', nodes: NODES }), A]);
    const step = regenerateCert(state, regen('pub', 'ITLRecovery'));
    expect(signals(step)).toEqual(['pub:LOADED', 'pub:REBUILT', 'sub:LOADED', 'sub:REBUILT']);
    expect(step.notes).toEqual([
      { kind: 'regenerated', node: name('pub'), cert: 'ITLRecovery' },
      { kind: 'itlsRebuilt', nodes: [name('pub'), name('sub')], seconds: 120 },
    ]);
    expect(step.restarts).toEqual(['SEP00000000000A']);
    const fresh = nodeOf(step.state, 'pub').certs.ITLRecovery!;
    expect(nodeOf(step.state, 'sub').tftp!.loadedItlRecovery).toEqual(fresh);
    expect(nodeOf(step.state, 'cm').tftp).toBeUndefined();

    const manual = clusterAfter([
      install({ version: '14' }),
      A,
      { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' },
    ]);
    const quiet = regenerateCert(manual, regen('pub', 'ITLRecovery'));
    expect(quiet.notes[1]).toEqual({ kind: 'itlsRebuilt', nodes: [name('pub'), name('sub')], seconds: null });
    expect(quiet.restarts).toEqual([]);
  });
});

describe('node.rename and cluster.domain (docs/rules.md §6, §15.3)', () => {
  it('should give the renamed node new CallManager, TVS and (where it has one) CAPF certificates under its new name, keep its ITLRecovery, and reset the phones', () => {
    const state = clusterAfter([install({ version: '14' }), A]);
    const step = renameNode(state, { type: 'node.rename', at: AT, node: 'sub', hostname: 'sub2' });
    const [pub, sub] = [nodeOf(step.state, 'pub'), nodeOf(step.state, 'sub')];
    expect([pub.hostname, pub.certs]).toEqual(['pub', nodeOf(state, 'pub').certs]);
    expect(sub.hostname).toBe('sub2');
    expect(sub.certs.CallManager.cert.subject).toContain('sub2.example.lab');
    expect(sub.certs.TVS.cert.subject).toContain('sub2.example.lab');
    expect(sub.certs.CAPF).toBeUndefined();
    expect(sub.certs.ITLRecovery).toEqual(nodeOf(state, 'sub').certs.ITLRecovery);
    expect(sub.holdTimer).toBe('idle');
    expect(step.notes).toEqual([
      { kind: 'renamed', node: name('sub', 'sub2'), fqdn: 'sub2.example.lab', certs: ['CallManager', 'TVS'] },
      { kind: 'itlsRebuilt', nodes: [name('pub'), name('sub', 'sub2')], seconds: 120 },
    ]);
    expect(step.restarts).toEqual(['SEP00000000000A']);
    expect(step.state.ctlStale).toBe(false);

    const before14 = clusterAfter([install({ version: '12.5(1)SU3' }), mixed]);
    const renamed = renameNode(before14, { type: 'node.rename', at: AT, node: 'sub', hostname: 'sub2' });
    expect(nodeOf(renamed.state, 'sub').certs.CAPF!.cert.sha1).not.toBe(nodeOf(before14, 'sub').certs.CAPF!.cert.sha1);
    expect(renamed.state.ctlStale).toBe(true);
  });

  it('should move every node to the new domain, rebuild every ITL and reset the phones; a CTL is then stale', () => {
    const state = clusterAfter([install(), A]);
    const step = changeDomain(state, { type: 'cluster.domain', at: AT, domain: 'example.net' });
    expect(step.state.domain).toBe('example.net');
    for (const id of ['pub', 'sub']) {
      expect(nodeOf(step.state, id).certs.CallManager.cert.subject).toContain(`${id}.example.net`);
      expect(nodeOf(step.state, id).certs.TVS.cert.subject).toContain(`${id}.example.net`);
      expect(nodeOf(step.state, id).certs.ITLRecovery).toEqual(nodeOf(state, id).certs.ITLRecovery);
    }
    expect(step.notes).toEqual([
      {
        kind: 'domainChanged',
        domain: 'example.net',
        certs: ['pub', 'sub'].map((id) => ({ node: name(id), certs: ['CallManager', 'TVS', 'CAPF'] })),
      },
      { kind: 'itlsRebuilt', nodes: [name('pub'), name('sub')], seconds: 120 },
    ]);
    expect(signals(step)).toEqual(['pub:REBUILT', 'sub:REBUILT']);
    expect(step.restarts).toEqual(['SEP00000000000A']);
    expect(step.state.ctlStale).toBe(false);
    const withCtl = clusterAfter([install(), mixed]);
    expect(changeDomain(withCtl, { type: 'cluster.domain', at: AT, domain: 'example.net' }).state.ctlStale).toBe(true);
  });
});

describe('cluster.upgrade (docs/rules.md §15.6)', () => {
  it('should leave a CTL stale after an FN70613 upgrade only when there is a CTL', () => {
    const upgrade = { type: 'cluster.upgrade', at: AT, version: '12.5(1)SU2' } as const;
    const plain = upgradeCluster(clusterAfter([install({ version: '11.5(1)SU8' })]), upgrade);
    expect(plain.notes).toEqual([
      { kind: 'upgraded', from: '11.5(1)SU8', to: '12.5(1)SU2', createsRecovery: false, regeneratesRecovery: true },
    ]);
    expect(plain.state.ctlStale).toBe(false);
    expect(plain.state.itlRecoveryBackedUp).toBe(false);
    expect(upgradeCluster(clusterAfter([install({ version: '11.5(1)SU8' }), mixed]), upgrade).state.ctlStale).toBe(
      true,
    );
  });

  it('should remove the subscribers’ CAPF when crossing 14, keep the publisher’s, and keep every CAPF below 14', () => {
    const from125 = clusterAfter([install({ version: '12.5(1)SU3' })]);
    const to14 = upgradeCluster(from125, { type: 'cluster.upgrade', at: AT, version: '14' }).state;
    expect(nodeOf(to14, 'pub').certs.CAPF).toEqual(nodeOf(from125, 'pub').certs.CAPF);
    expect(nodeOf(to14, 'sub').certs.CAPF).toBeUndefined();
    const from115 = clusterAfter([install({ version: '11.5(1)SU8' })]);
    const to125 = upgradeCluster(from115, { type: 'cluster.upgrade', at: AT, version: '12.5(1)SU3' }).state;
    expect(nodeOf(to125, 'sub').certs.CAPF).toEqual(nodeOf(from115, 'sub').certs.CAPF);
    expect(nodeOf(to125, 'pub').certs.CAPF).toEqual(nodeOf(from115, 'pub').certs.CAPF);
  });
});

describe('publisher.rebuild (docs/rules.md §10)', () => {
  const rebuild = { type: 'publisher.rebuild', at: AT } as const;

  it('should before 12.5 start the publisher’s TFTP with its new ITLRecovery while the subscribers rebuild with the one they loaded, until their next start', () => {
    const state = clusterAfter([install({ version: '12.0(1)', nodes: NODES }), A]);
    const step = rebuildPublisher(state, rebuild);
    expect(signals(step)).toEqual(['pub:START', 'sub:REBUILT', 'sub:RECOVERY_CHANGED']);
    expect(step.notes).toEqual([{ kind: 'publisherRebuilt' }]);
    expect(step.restarts).toEqual([]);
    const pub = nodeOf(step.state, 'pub');
    expect(pub.tftp!.loadedItlRecovery).toEqual(pub.certs.ITLRecovery);
    expect(nodeOf(step.state, 'sub').tftp!.loadedItlRecovery).toEqual(nodeOf(state, 'pub').certs.ITLRecovery);
    expect(nodeOf(step.state, 'sub').certs.ITLRecovery).toEqual(nodeOf(state, 'sub').certs.ITLRecovery);
    expect(step.state.ctlStale).toBe(false);
  });

  it('should from 12.5 give every node the new cluster ITLRecovery and start every TFTP node with it; a CTL is then stale', () => {
    const state = clusterAfter([install({ version: '12.5(1)SU3', nodes: NODES }), mixed]);
    const step = rebuildPublisher(state, rebuild);
    const fresh = nodeOf(step.state, 'pub').certs.ITLRecovery!;
    expect(fresh.cert.sha1).not.toBe(nodeOf(state, 'pub').certs.ITLRecovery!.cert.sha1);
    for (const id of ['sub', 'cm']) expect(nodeOf(step.state, id).certs.ITLRecovery).toEqual(fresh);
    expect(nodeOf(step.state, 'sub').tftp!.loadedItlRecovery).toEqual(fresh);
    expect(signals(step)).toEqual(['pub:START', 'sub:START']);
    expect(step.state.ctlStale).toBe(true);
  });

  it('should before 10.0(1) give the publisher no ITLRecovery', () => {
    const state = clusterAfter([install({ version: '9.1(2)' })]);
    const step = rebuildPublisher(state, rebuild);
    expect(nodeOf(step.state, 'pub').certs.ITLRecovery).toBeUndefined();
    expect(signals(step)).toEqual(['pub:START', 'sub:REBUILT']);
  });
});
