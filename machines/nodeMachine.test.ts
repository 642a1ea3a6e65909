import { describe, expect, it } from 'vitest';
import { install, run, type Line } from '../test-support/scenario.ts';
import { transition } from 'xstate';
import { nodeMachine } from './nodeMachine.ts';

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

  it('should accept CAPF on a subscriber before 14 (every node has CAPF) and start its hold timer', () => {
    const outcome = run([install(), regen('sub', 'CAPF', 1), regen('sub', 'TVS', 1)]);
    expect(outcome.messages).toEqual([
      'CAPF certificate was modified in the last 5 minutes. Please re-try regenerating TVS certificate at a later time',
    ]);
  });

  it('should refuse CAPF on a subscriber from 14 (CAPF on the publisher only), and not start the hold timer', () => {
    const outcome = run([install({ version: '14SU2' }), regen('sub', 'CAPF', 1), regen('sub', 'TVS', 1)]);
    expect(outcome.messages).toEqual([
      'CAPF certificate does not exist on this node: from 14 CAPF runs on the publisher only',
    ]);
  });

  it('should refuse ITLRecovery on a subscriber from 12.5 (one ITLRecovery, made by the publisher)', () => {
    expect(run([install({ version: '12.5(1)SU3' }), regen('sub', 'ITLRecovery', 1)]).messages).toEqual([
      '(model) ITLRecovery is generated on the publisher only from 12.5; the subscribers hold its copy',
    ]);
    expect(run([install({ version: '12.0(1)' }), regen('sub', 'ITLRecovery', 1)]).messages).toEqual([]);
  });

  it('should keep the hold timer running in the persisted node state, and let it run out after 300 s of log time', () => {
    const running = run([install(), regen('pub', 'CallManager', 1), regen('sub', 'TVS', 4)]).final.cluster!;
    expect(running.nodes[0]!.holdTimer).toBe('running');
    const idle = run([install(), regen('pub', 'CallManager', 1), regen('sub', 'TVS', 5)]).final.cluster!;
    expect(idle.nodes[0]!.holdTimer).toBe('idle');
  });

  it('should decide a regeneration by its state: refused while running, whatever the context says', () => {
    const [pub] = run([install()]).final.cluster!.nodes;
    const env = { seed: 's', domain: 'example.lab', subject: {}, version: '10.5(2)' };
    const running = nodeMachine.resolveState({
      value: 'running',
      context: { ...pub!, lastRegen: { at: '2024-03-04T09:00:00Z', cert: 'TVS' } },
    });
    const [, actions] = transition(nodeMachine, running, {
      type: 'REGENERATE',
      cert: 'CallManager',
      at: '2024-03-04T09:01:00Z',
      env,
      request: {},
    });
    expect(actions.find((a) => a.type === 'refuse')?.params).toMatchObject({
      refusal: { kind: 'holdTimer', lastCert: 'TVS', cert: 'CallManager' },
    });
    const idle = nodeMachine.resolveState({ value: 'idle', context: pub! });
    const [next] = transition(nodeMachine, idle, {
      type: 'REGENERATE',
      cert: 'CallManager',
      at: '2024-03-04T09:01:00Z',
      env,
      request: {},
    });
    expect(next.value).toBe('running');
  });

  it('should give the regenerated certificate the key size the command asks for (machines and model alike)', () => {
    const lines = [install(), { type: 'cert.regenerate', node: 'pub', cert: 'CallManager', keyBits: 2048, after: 1 }];
    const cluster = run(lines).final.cluster!;
    expect(cluster.nodes[0]!.certs.CallManager.key.bits).toBe(2048);
    expect(cluster.nodes[0]!.certs.TVS.key.bits).toBe(1024);
  });

  it('should issue a new key and serial when it regenerates, and keep the node otherwise', () => {
    const cluster = run([install()]).final.cluster!;
    const pub = cluster.nodes[0]!;
    const env = { seed: cluster.seed, domain: cluster.domain, subject: cluster.subject, version: cluster.version };
    const [next] = transition(nodeMachine, nodeMachine.resolveState({ value: 'idle', context: pub }), {
      type: 'REGENERATE',
      cert: 'TVS',
      at: '2030-01-01T00:00:00Z',
      request: {},
      env,
    });
    expect(next.context.certs.TVS.cert.serial).not.toBe(pub.certs.TVS.cert.serial);
    expect(next.context.certs.CallManager).toBe(pub.certs.CallManager);
    expect(next.value).toBe('running');
  });
});
