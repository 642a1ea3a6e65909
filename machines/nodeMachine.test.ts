import { describe, expect, it } from 'vitest';
import { install, run, type Line } from '../test-support/scenario.ts';
import { nodeSnapshotAt, regenEnv, stepNode } from './runNodes.ts';

const regen = (node: string, cert: string, after: number): Line => ({ type: 'cert.regenerate', node, cert, after });

describe('nodeMachine', () => {
  it('should refuse a second regeneration on the same node within five minutes with the seed message', () => {
    const outcome = run([install(), regen('pub', 'CallManager', 1), regen('pub', 'TVS', 4)]);
    expect(outcome.messages).toEqual([
      'CallManager certificate was modified in the last 5 minutes. Please re-try regenerating TVS certificate at a later time',
    ]);
  });

  it('should accept the regeneration once five minutes have passed', () => {
    expect(run([install(), regen('pub', 'CallManager', 1), regen('pub', 'TVS', 5)]).messages).toEqual([]);
  });

  it('should not hold a different node', () => {
    expect(run([install(), regen('pub', 'CallManager', 1), regen('sub', 'TVS', 1)]).messages).toEqual([]);
  });

  it('should let regenerations through back to back when the hold timer option is off', () => {
    const outcome = run([install(), regen('pub', 'CallManager', 1), regen('pub', 'TVS', 1)], {
      options: { holdTimer: false },
    });
    expect(outcome.messages).toEqual([]);
  });

  it('should refuse CAPF on a subscriber, and not start the hold timer', () => {
    const outcome = run([install(), regen('sub', 'CAPF', 1), regen('sub', 'TVS', 1)]);
    expect(outcome.messages).toEqual(['CAPF certificate does not exist on this node: CAPF runs on the publisher only']);
  });

  it('should show the hold timer running, then idle after 300 s of log time', () => {
    const outcome = run([install(), regen('pub', 'CallManager', 1)]);
    const cluster = outcome.final.cluster!;
    const pub = cluster.nodes[0]!;
    const at = pub.lastRegen!.at;
    const later = (s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
    expect(nodeSnapshotAt(pub, later(299), regenEnv(cluster)).value).toMatchObject({
      holdTimer: 'running',
      tftp: 'normal',
    });
    expect(nodeSnapshotAt(pub, later(300), regenEnv(cluster)).value).toMatchObject({ holdTimer: 'idle' });
  });

  it('should show the TFTP region serving the reset ITL after utils itl reset, and its own after a restart', () => {
    const reset = run([install(), { type: 'itl.reset', node: 'pub', key: 'localkey' }]).final.cluster!;
    const sub = reset.nodes[1]!;
    expect(nodeSnapshotAt(sub, '2030-01-01T00:00:00Z', regenEnv(reset)).value).toMatchObject({ tftp: 'reset' });
    const restarted = run([
      install(),
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
      { type: 'tftp.restart', node: 'sub' },
    ]).final.cluster!;
    expect(nodeSnapshotAt(restarted.nodes[1]!, '2030-01-01T00:00:00Z', regenEnv(restarted)).value).toMatchObject({
      tftp: 'normal',
    });
  });

  it('should issue a new key and serial when it regenerates, and keep the node otherwise', () => {
    const cluster = run([install()]).final.cluster!;
    const pub = cluster.nodes[0]!;
    const env = regenEnv(cluster);
    const next = stepNode(
      pub,
      { type: 'REGENERATE', cert: 'TVS', at: '2030-01-01T00:00:00Z', env },
      '2030-01-01T00:00:00Z',
      env,
    );
    expect(next.context.certs.TVS.cert.serial).not.toBe(pub.certs.TVS.cert.serial);
    expect(next.context.certs.CallManager).toBe(pub.certs.CallManager);
    expect(next.value).toMatchObject({ holdTimer: 'running' });
  });
});
