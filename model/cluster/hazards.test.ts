import { describe, expect, it } from 'vitest';
import { install, type Line } from '../../test-support/scenario.ts';
import { hazards, regen } from '../../test-support/hazardScenarios.ts';

const A: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };
const B: Line = { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] };
const C: Line = { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] };
const power = (phone: string, on: boolean): Line => ({ type: 'phone.power', phone, on });

describe('hazards (docs/rules.md §18)', () => {
  it('H1: should flag a 1024-bit ITLRecovery under a 2048-bit publisher at the install, once', () => {
    expect(hazards([install({ keyBits: 2048, itlRecoveryKeyBits: 1024 }), A, regen('pub', 'TVS')])).toEqual([
      [1, 'itlrecovery-1024-bit', ['pub']],
    ]);
    expect(hazards([install({ keyBits: 2048 }), A])).toEqual([]);
  });

  it('H2: should flag ITLs of more than 39 records (37 nodes: 4 records of its own and one TVS record per node)', () => {
    const nodes = Array.from({ length: 37 }, (_, i) => ({
      name: `n${i}`,
      role: i ? 'subscriber' : 'publisher',
      tftp: i < 2,
    }));
    const out = hazards([install({ version: '14', nodes })]);
    expect(out).toEqual([[1, 'itl-too-large', ['n0', 'n1']]]);
    expect(hazards([install({ version: '14', nodes: nodes.slice(0, 35) })])).toEqual([]);
  });

  it('H7: should flag a device without Security By Default that does not know the new CTL signer', () => {
    const J: Line = { type: 'phone.add', phone: 'CSFJABBER', tftp: 'pub', sbd: false };
    const lines = [
      install({ version: '12.5(1)SU3' }),
      J,
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
      { type: 'devices.reset' },
      regen('pub', 'ITLRecovery'),
      { type: 'ctl.update', node: 'pub' },
    ];
    expect(hazards(lines)).toContainEqual([6, 'non-sbd-ctl-signer-unknown', ['CSFJABBER']]);
    expect(hazards(lines.slice(0, -1)).map(([, k]) => k)).not.toContain('non-sbd-ctl-signer-unknown');
  });

  it('H4: should warn 90 days before the ITLRecovery certificate expires, and again when it has expired', () => {
    const year = (n: number): Line => ({ type: 'phone.reset', phone: 'SEP00000000000A', after: n * 525_600 });
    const out = hazards([install(), A, year(4), { ...year(0), after: 10 * 24 * 60 * 30 }, year(1)]);
    expect(out.map(([, kind]) => kind)).toEqual(['itlrecovery-expiring', 'itlrecovery-expired']);
  });

  it('H5: should flag a refresh upgrade to 12.5(1)SU2, and not an L2 upgrade or one to SU3', () => {
    expect(
      hazards([install({ version: '11.5(1)SU8' }), A, { type: 'cluster.upgrade', version: '12.5(1)SU2' }]),
    ).toContainEqual([3, 'fn70613', []]);
    expect(
      hazards([
        install({ version: '11.5(1)SU8' }),
        A,
        { type: 'cluster.upgrade', version: '12.5(1)SU2', method: 'l2' },
      ]),
    ).not.toContainEqual([3, 'fn70613', []]);
    expect(
      hazards([install({ version: '11.5(1)SU8' }), A, { type: 'cluster.upgrade', version: '12.5(1)SU3' }]),
    ).toEqual([]);
  });

  it('H6: should flag a 15 phone that knows neither the new ITL signer, nor a current TVS, nor the publisher CallManager', () => {
    const lines = [
      install({ version: '15' }),
      B,
      { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' },
      regen('pub', 'CallManager'),
      regen('pub', 'TVS'),
      regen('sub', 'TVS'),
      regen('pub', 'ITLRecovery'),
    ];
    expect(hazards(lines)).toContainEqual([7, 'cm-tvs-itlrecovery-stranded', ['SEP00000000000B']]);
    // Without the last regeneration, B's ITL signer is still one it knows.
    expect(hazards(lines.slice(0, -1)).map(([, k]) => k)).not.toContain('cm-tvs-itlrecovery-stranded');
  });

  it('H8: should flag a CallManager regeneration while a CallManager-signed reset ITL is served (12.5+), not on 10.x', () => {
    const reset: Line = { type: 'itl.reset', node: 'pub', key: 'localkey' };
    expect(hazards([install({ version: '12.5(1)SU3' }), A, reset, regen('pub', 'CallManager')])).toContainEqual([
      4,
      'callmanager-signed-reset-itl',
      ['pub'],
    ]);
    expect(hazards([install(), A, reset, regen('pub', 'CallManager')]).map(([, k]) => k)).not.toContain(
      'callmanager-signed-reset-itl',
    );
  });

  it('H9: should flag a CTL left stale by a CallManager regeneration in mixed mode, until utils ctl update CTLFile', () => {
    const mixed: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' };
    const out = hazards([
      install({ version: '12.5(1)SU3' }),
      A,
      mixed,
      regen('pub', 'CallManager'),
      { type: 'ctl.update', node: 'pub' },
      regen('sub', 'CallManager'),
    ]);
    expect(out.filter(([, k]) => k === 'ctl-not-updated').map(([e]) => e)).toEqual([4, 6]);
  });

  it('H10: should flag an ITLRecovery regeneration in mixed mode while a phone does not know the new CallManager', () => {
    const lines = [
      install({ version: '12.5(1)SU3' }),
      B,
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
      { type: 'devices.reset' },
      power('SEP00000000000B', false),
      regen('pub', 'CallManager'),
      regen('pub', 'ITLRecovery'),
    ];
    expect(hazards(lines)).toContainEqual([7, 'itlrecovery-regenerated-before-ctl', ['SEP00000000000B']]);
  });

  it('H11: should flag phones whose ITL has no ITLRecovery record once the cluster is 12.0', () => {
    const out = hazards([install({ version: '9.1(2)' }), C, { type: 'cluster.upgrade', version: '12.0(1)' }]);
    expect(out).toContainEqual([3, 'itl-without-itlrecovery', ['SEP00000000000C']]);
  });

  it('H12: should flag phones that are off while a TVS certificate changes, but not a refused regeneration', () => {
    const out = hazards([
      install(),
      A,
      power('SEP00000000000A', false),
      regen('pub', 'TVS'),
      regen('pub', 'CallManager', 1),
    ]);
    expect(out).toEqual([[4, 'offline-during-regeneration', ['SEP00000000000A']]]);
  });

  it('H13: should flag the rollback parameter left True for more than a day', () => {
    const on: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };
    const later = (minutes: number): Line => ({ type: 'phone.reset', phone: 'SEP00000000000A', after: minutes });
    expect(hazards([install(), A, on, later(60), later(24 * 60)])).toEqual([[5, 'rollback-parameter-left-true', []]]);
    expect(hazards([install(), A, on, later(60)])).toEqual([]);
  });
});
