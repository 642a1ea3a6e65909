import { describe, expect, it } from 'vitest';
import { install, run, type Line } from '../test-support/scenario.ts';

const A = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };
const C = { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] };
const off = (phone: string): Line => ({ type: 'phone.power', phone, on: false });
const on = (phone: string, after = 1): Line => ({ type: 'phone.power', phone, on: true, after });
const regen = (node: string, cert: string, after = 1): Line => ({ type: 'cert.regenerate', node, cert, after });

/** C misses CallManager then TVS on the publisher, six minutes apart: the seed's lock. */
const lockC: Line[] = [
  install(),
  A,
  C,
  off('SEP00000000000C'),
  regen('pub', 'CallManager'),
  regen('pub', 'TVS', 6),
  on('SEP00000000000C'),
];

describe('phoneMachine', () => {
  it('should trust the first ITL when the phone has none (R0)', () => {
    const outcome = run([install(), A]);
    expect(outcome.phone('SEP00000000000A')).toMatchObject({
      trust: 'trusted',
      status: 'Trust List Updated',
      lastDecision: { rule: 'R0' },
    });
  });

  it('should lock and keep its old ITL when neither a SAST record nor a reachable TVS vouches (R4)', () => {
    const before = run(lockC.slice(0, 4)).phone('SEP00000000000C').itl;
    const locked = run(lockC).phone('SEP00000000000C');
    expect(locked).toMatchObject({
      trust: 'locked',
      status: 'Trust List Update Failed',
      itl: before,
      lastDecision: { rule: 'R4' },
    });
    expect(locked.lastDecision!.failures).toEqual([
      {
        rule: 'R2',
        why: 'signerNotSast',
        signer: { subject: expect.stringMatching(/^CN=pub\./), serial: expect.any(String) },
      },
      { rule: 'R3', why: 'tlsFailed', tvs: { id: 'pub', hostname: 'pub' } },
      { rule: 'R3', why: 'noTvsReachable' },
    ]);
  });

  it('should fail over to the next TVS when the first one cannot be authenticated (A3)', () => {
    const outcome = run([
      install(),
      A,
      off('SEP00000000000A'),
      regen('pub', 'CallManager'),
      regen('pub', 'TVS', 6),
      on('SEP00000000000A'),
    ]);
    expect(outcome.phone('SEP00000000000A')).toMatchObject({ trust: 'trusted', lastDecision: { rule: 'R3' } });
  });

  it('should not apply a configuration signed by a CallManager it cannot verify while locked', () => {
    expect(run(lockC).phone('SEP00000000000C').configAccepted).toBe(false);
  });

  it('should recover a locked phone with utils itl reset localkey and a reset (R2 on the ITLRecovery record)', () => {
    const outcome = run([
      ...lockC,
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
      { type: 'phone.reset', phone: 'SEP00000000000C' },
    ]);
    expect(outcome.phone('SEP00000000000C')).toMatchObject({
      trust: 'trusted',
      lastDecision: { rule: 'R2' },
      configAccepted: true,
    });
    expect(outcome.phone('SEP00000000000C').recoveredAt).toBe(outcome.events.length);
  });

  it('should count a locked phone as recovered when its ITL is deleted by hand', () => {
    const outcome = run([...lockC, { type: 'phone.deleteItl', phone: 'SEP00000000000C' }]);
    expect(outcome.phone('SEP00000000000C')).toMatchObject({
      trust: 'trusted',
      lastDecision: { rule: 'R0' },
      recoveredAt: outcome.events.length,
    });
    expect(outcome.reports[outcome.reports.length - 1]!.recovered).toEqual(['SEP00000000000C']);
  });

  it('should refuse utils itl reset on a subscriber with the seed message', () => {
    const outcome = run([...lockC, { type: 'itl.reset', node: 'sub', key: 'localkey' }, { type: 'devices.reset' }]);
    expect(outcome.messages).toEqual(['This is not a Publisher Node']);
    expect(outcome.phone('SEP00000000000C').trust).toBe('locked');
  });

  it('should trust a forged ITL on first boot, then lock when the genuine one returns (trust on first use)', () => {
    const outcome = run([
      install(),
      { type: 'tftp.forge', node: 'pub' },
      A,
      { type: 'tftp.restart', node: 'pub' },
      { type: 'phone.reset', phone: 'SEP00000000000A' },
    ]);
    const first = outcome.reports[2]!;
    expect(first.updated).toEqual(['SEP00000000000A']);
    expect(outcome.phone('SEP00000000000A').trust).toBe('locked');
  });

  it('should never install a forged ITL when it already had one', () => {
    const outcome = run([
      install(),
      A,
      { type: 'tftp.forge', node: 'pub' },
      { type: 'phone.reset', phone: 'SEP00000000000A' },
    ]);
    const genuine = run([install(), A]).phone('SEP00000000000A').itl;
    expect(outcome.phone('SEP00000000000A')).toMatchObject({ trust: 'locked', itl: genuine });
  });

  it('should not recover with localkey after ITLRecovery was regenerated without a TFTP restart (docs/rules.md §13 #2)', () => {
    const outcome = run([
      install(),
      C,
      regen('pub', 'ITLRecovery'),
      off('SEP00000000000C'),
      regen('pub', 'CallManager', 6),
      regen('pub', 'TVS', 6),
      on('SEP00000000000C'),
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
      { type: 'phone.reset', phone: 'SEP00000000000C' },
    ]);
    expect(outcome.phone('SEP00000000000C').trust).toBe('locked');
  });

  it('should recover with remotekey from the saved p12 after the publisher is rebuilt (docs/rules.md §10)', () => {
    const backup = { type: 'itlrecovery.backup', node: 'pub', host: 'sftp', user: 'u', path: '/ITLRecovery.p12' };
    const outcome = run([
      install(),
      C,
      backup,
      { type: 'publisher.rebuild' },
      { type: 'devices.reset' },
      { type: 'itl.reset', node: 'pub', key: 'remotekey', host: 'sftp', user: 'u', path: '/ITLRecovery.p12' },
      { type: 'devices.reset' },
    ]);
    expect(outcome.reports[4]!.locked).toEqual(['SEP00000000000C']);
    expect(outcome.phone('SEP00000000000C')).toMatchObject({ trust: 'trusted', lastDecision: { rule: 'R2' } });
  });

  it('should fail remotekey with a message and change nothing when the password no longer opens the p12 (A7)', () => {
    const backup = { type: 'itlrecovery.backup', node: 'pub', host: 'sftp', user: 'u', path: '/ITLRecovery.p12' };
    const outcome = run([
      install(),
      C,
      backup,
      { type: 'cluster.password', securityPassword: 'Secret-Two' },
      { type: 'itl.reset', node: 'pub', key: 'remotekey', host: 'sftp', user: 'u', path: '/ITLRecovery.p12' },
    ]);
    expect(outcome.messages).toHaveLength(1);
    expect(outcome.messages[0]).toMatch(/Unable to open ITLRecovery\.p12.*MAC could not be verified/);
    expect(outcome.reports[4]!.notes).toEqual([]);
  });

  it('should fail remotekey when no p12 was saved at that location (A8)', () => {
    const outcome = run([
      install(),
      { type: 'itl.reset', node: 'pub', key: 'remotekey', host: 'sftp', user: 'u', path: '/none.p12' },
    ]);
    expect(outcome.messages).toEqual(['Failed to download /none.p12 from sftp: file not found']);
  });

  it('should not recover a phone whose ITL predates 10.0(1) (no ITLRecovery record, docs/rules.md §13 #1)', () => {
    const outcome = run([
      install({ version: '9.1(2)' }),
      C,
      { type: 'cluster.upgrade', version: '10.5(2)' },
      off('SEP00000000000C'),
      regen('pub', 'CallManager'),
      regen('pub', 'TVS', 6),
      on('SEP00000000000C'),
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
      { type: 'phone.reset', phone: 'SEP00000000000C' },
    ]);
    expect(outcome.phone('SEP00000000000C').trust).toBe('locked');
  });

  it('should give byte-identical results when the same log is replayed twice', () => {
    const once = JSON.stringify(run(lockC).final);
    expect(JSON.stringify(run(lockC).final)).toBe(once);
  });

  describe('automatic resets take 120 s (A14)', () => {
    it('should boot a phone reset automatically 120 s later and take the ITL served then', () => {
      // CallManager on the publisher resets C; a minute later TVS on the subscriber rebuilds every ITL again.
      const lines = [install(), C, regen('pub', 'CallManager'), regen('sub', 'TVS')];
      const outcome = run(lines);
      expect(outcome.final.cluster!.phones[0]).toMatchObject({
        trust: 'trusted',
        restartingUntil: '2024-03-04T09:05:00.000Z',
      });
      expect(outcome.final.cluster!.phones[0]!.lastDecision!.rule).toBe('R0');
      const served = outcome.final.cluster!.nodes[0]!.tftp!.normalItl;
      expect(outcome.phone('SEP00000000000C')).toMatchObject({
        trust: 'trusted',
        itl: served,
        lastDecision: { rule: 'R3' },
      });
    });

    it('should lock a single-TVS phone when the hold timer is off and TVS follows CallManager before the phone is back', () => {
      const soon = run([install(), C, regen('pub', 'CallManager'), regen('pub', 'TVS')], {
        options: { holdTimer: false },
      });
      expect(soon.messages).toEqual([]);
      expect(soon.phone('SEP00000000000C')).toMatchObject({ trust: 'locked', lastDecision: { rule: 'R4' } });
      const later = run([install(), C, regen('pub', 'CallManager'), regen('pub', 'TVS', 3)], {
        options: { holdTimer: false },
      });
      expect(later.phone('SEP00000000000C')).toMatchObject({ trust: 'trusted', lastDecision: { rule: 'R2' } });
    });

    it('should cancel the restart when the phone is unplugged and boot it when plugged in again', () => {
      const outcome = run([
        install(),
        C,
        regen('pub', 'CallManager'),
        off('SEP00000000000C'),
        on('SEP00000000000C', 5),
      ]);
      const phone = outcome.final.cluster!.phones[0]!;
      expect(phone.restartingUntil).toBeUndefined();
      expect(phone.lastDecision).toMatchObject({ rule: 'R3', event: 5 });
      expect(outcome.reports[4]!.booted).toEqual(['SEP00000000000C']);
      expect(outcome.reports.flatMap((r) => r.ended?.booted ?? [])).toEqual([]);
    });
  });
});

describe('phoneMachine on a file with a broken signature (tftp.corrupt)', () => {
  it('should refuse it by R2 and by R3 for its signature, not for its signer, when the node serves its genuine ITL corrupted', () => {
    const outcome = run([
      install(),
      A,
      { type: 'tftp.corrupt', node: 'pub' },
      { type: 'phone.reset', phone: 'SEP00000000000A' },
    ]);
    const phone = outcome.phone('SEP00000000000A');
    expect(phone).toMatchObject({ trust: 'locked', lastDecision: { rule: 'R4' } });
    expect(phone.lastDecision!.failures).toEqual([
      {
        rule: 'R2',
        why: 'badSignature',
        signer: { subject: expect.stringMatching(/^CN=pub\./), serial: expect.any(String) },
      },
      { rule: 'R3', why: 'badSignature', tvs: { id: 'pub', hostname: 'pub' } },
    ]);
  });

  it('should trust the node again once its TFTP restarts and writes a new file', () => {
    const outcome = run([
      install(),
      A,
      { type: 'tftp.corrupt', node: 'pub' },
      { type: 'phone.reset', phone: 'SEP00000000000A' },
      { type: 'tftp.restart', node: 'pub' },
      { type: 'phone.reset', phone: 'SEP00000000000A' },
    ]);
    expect(outcome.phone('SEP00000000000A')).toMatchObject({ trust: 'trusted', lastDecision: { rule: 'R2' } });
  });
});
