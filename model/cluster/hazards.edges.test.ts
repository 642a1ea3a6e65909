import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { install, type Line } from '../../test-support/scenario.ts';
import { publisherOf } from './buildItls.ts';
import { HAZARD_IDS, knows } from './hazards.ts';
import {
  A,
  B,
  J,
  regen,
  manual,
  mixed,
  nonSecure,
  DAY,
  hazards,
  states,
  held,
  phone,
  STRANDED15,
  BLIND,
} from '../../test-support/hazardScenarios.ts';

describe('hazards: the rules of docs/rules.md §18 at their edges', () => {
  it('should give each hazard kind the id the table of docs/rules.md §18 gives it', () => {
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 18. Hazards'), doc.indexOf('## 19.'));
    const fromDoc: Record<string, string> = {};
    for (const [, id, kinds] of section.matchAll(/^\| (H\d+) \| ([^|]*) \|/gm)) {
      if (kinds!.trim().startsWith('(')) continue; // H3 is the daily alert, not marked
      for (const [, kind] of kinds!.matchAll(/`([a-z0-9-]+)`/g)) fromDoc[kind!] = id!;
    }
    expect(Object.keys(fromDoc)).toHaveLength(13);
    expect(HAZARD_IDS).toEqual(fromDoc);
  });

  it('should count a key as known only as a SAST record of the ITL or CTL: a CallManager in a CTL node record is not', () => {
    const s = states(BLIND).at(-1)!.state;
    const a = phone(s, 'SEP00000000000A');
    const sub = s.nodes.find((n) => n.id === 'sub')!;
    expect(a.ctl).toBeDefined();
    expect(knows(s, a, publisherOf(s).certs.CallManager.cert.sha1)).toBe(true);
    // The subscriber's CallManager is in A's CTL, as a CCM+TFTP node record, and in no SAST record.
    expect(s.itls[a.ctl!.file]!.records.some((r) => r.certSha1 === sub.certs.CallManager.cert.sha1)).toBe(true);
    expect(knows(s, a, sub.certs.CallManager.cert.sha1)).toBe(false);
  });

  it('H2: should count an ITL of 65,535 bytes as loadable and one of 65,536 bytes as too large', () => {
    const { state, at } = states([install({ version: '14' })])[0]!;
    const served = (n: number) => ({
      ...state,
      itls: Object.fromEntries(Object.entries(state.itls).map(([k, itl]) => [k, { ...itl, length: n }])),
    });
    expect(held(served(65_535), at)['itl-too-large']).toBeUndefined();
    expect(held(served(65_536), at)['itl-too-large']).toEqual(['pub', 'sub']);
  });

  it('H4: should warn from less than 90 days before the ITLRecovery expiry, and call it expired only after it', () => {
    const { state } = states([install()])[0]!;
    const notAfter = Date.parse(publisherOf(state).certs.ITLRecovery!.cert.notAfter);
    const at = (ms: number) => new Date(notAfter + ms).toISOString();
    const h4 = (ms: number) => {
      const h = held(state, at(ms));
      return [h['itlrecovery-expiring'], h['itlrecovery-expired']];
    };
    expect(h4(-90 * DAY)).toEqual([undefined, undefined]);
    expect(h4(-90 * DAY + 1000)).toEqual([['pub'], undefined]);
    expect(h4(0)).toEqual([['pub'], undefined]);
    expect(h4(1000)).toEqual([undefined, ['pub']]);
  });

  it('H4: should raise the expiry once although the rollback hazard stays raised beside it', () => {
    const on: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };
    const later = (minutes: number): Line => ({ type: 'phone.reset', phone: 'SEP00000000000A', after: minutes });
    const year = 525_600;
    const out = hazards([
      install(),
      A,
      on,
      later(2 * 24 * 60),
      later(4 * year + 300 * 24 * 60),
      later(year),
      later(1),
      later(1),
    ]);
    expect(out).toEqual([
      [4, 'rollback-parameter-left-true', []],
      [5, 'itlrecovery-expiring', ['pub']],
      [6, 'itlrecovery-expired', ['pub']],
    ]);
  });

  it('H13: should not flag the rollback parameter True for exactly a day, only for more', () => {
    const on: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };
    const later = (minutes: number): Line => ({ type: 'phone.reset', phone: 'SEP00000000000A', after: minutes });
    expect(hazards([install(), A, on, later(24 * 60), later(1)])).toEqual([[5, 'rollback-parameter-left-true', []]]);
  });

  it('H7: should flag a device without SBD that does not know the CTL signer only while the cluster is in mixed mode', () => {
    const lines = [
      install({ version: '12.5(1)SU3' }),
      J,
      mixed,
      { type: 'devices.reset' },
      nonSecure,
      regen('pub', 'ITLRecovery'),
      { type: 'ctl.update', node: 'pub' },
      mixed,
    ];
    expect(hazards(lines)).toEqual([[8, 'non-sbd-ctl-signer-unknown', ['CSFJABBER']]]);
  });

  it('H6: should never flag a device without SBD (it holds no ITL), nor a phone by a node it does not use', () => {
    expect(hazards([install({ version: '12.5(1)SU3' }), J, A])).toEqual([]);
    expect(hazards([install({ version: '15' }), J, A, { type: 'tftp.forge', node: 'pub' }])).toEqual([]);
    // B (on sub) knows sub's signer, and no TVS it can reach: an impostor of pub does not strand it; one of sub does.
    const out = hazards([
      install({ version: '15' }),
      B,
      manual,
      regen('sub', 'TVS'),
      { type: 'tftp.forge', node: 'pub' },
      { type: 'tftp.forge', node: 'sub' },
    ]);
    expect(out).toEqual([[6, 'cm-tvs-itlrecovery-stranded', ['SEP00000000000B']]]);
  });

  it('H6: should never flag a phone holding the empty rollback ITL (§17.2: it takes any new ITL by R0e)', () => {
    const rollback: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };
    const localkey: Line = { type: 'itl.reset', node: 'pub', key: 'localkey', after: 10 };
    const P: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub' };
    // The phone is back from the parameter's reset with the rollback ITL when the publisher resets the ITL.
    const lines = [install({ version: '12.5(1)SU3' }), P, rollback, localkey];
    const last = states(lines).at(-1)!.state;
    expect(last.itls[phone(last, 'SEP00000000000A').itl!]!.rollbackForm).toBe(true);
    expect(hazards(lines).map(([, k]) => k)).not.toContain('cm-tvs-itlrecovery-stranded');
    // Unplugged while CallManager, TVS and ITLRecovery all change (counterexample F): stranded with the
    // ITL of the install, not with the rollback ITL it took before being unplugged.
    const power = (on: boolean, after = 1): Line => ({ type: 'phone.power', phone: 'SEP00000000000A', on, after });
    const changes = [regen('pub', 'CallManager', 1), regen('pub', 'TVS'), regen('pub', 'ITLRecovery')];
    const restart: Line = { type: 'tftp.restart', node: 'pub' };
    const normal = [install({ version: '12.5(1)SU3' }), A, power(false), ...changes, restart, power(true)];
    const emptied = [
      install({ version: '12.5(1)SU3' }),
      A,
      rollback,
      power(false, 10),
      ...changes,
      restart,
      power(true),
    ];
    expect(hazards(normal)).toContainEqual([7, 'cm-tvs-itlrecovery-stranded', ['SEP00000000000A']]);
    expect(hazards(emptied).map(([, k]) => k)).not.toContain('cm-tvs-itlrecovery-stranded');
  });

  it('H6: should judge the reset key by release: ITLRecovery before 12.0, the publisher CallManager from 12.0', () => {
    const { state, at } = states(STRANDED15).at(-1)!;
    const before12 = { ...state, version: '11.5(1)SU8' };
    // Asked in turn, each state gets its own answer.
    for (let i = 0; i < 2; i++) {
      expect(held(state, at)['cm-tvs-itlrecovery-stranded']).toEqual(['SEP00000000000B']);
      expect(held(before12, at)['cm-tvs-itlrecovery-stranded']).toEqual(['SEP00000000000A', 'SEP00000000000B']);
    }
  });

  it("H7: should judge a device against the cluster's current CTL, whatever state was judged before", () => {
    const all = states(BLIND);
    const { state, at } = all.at(-1)!;
    const oldCtl = { ...state, ctl: all.at(-2)!.state.ctl };
    expect(oldCtl.ctl).not.toBe(state.ctl);
    for (let i = 0; i < 2; i++) {
      expect(held(state, at)['non-sbd-ctl-signer-unknown']).toEqual(['CSFJABBER']);
      expect(held(oldCtl, at)['non-sbd-ctl-signer-unknown']).toBeUndefined();
    }
  });

  it('H8: should flag a CallManager or TVS regeneration while some node serves the reset ITL, and nothing else', () => {
    const nodes = [
      { name: 'pub', role: 'publisher', tftp: true },
      { name: 'sub', role: 'subscriber', tftp: true },
      { name: 'cm', role: 'subscriber', tftp: false },
    ];
    const out = hazards([
      install({ version: '12.5(1)SU3', nodes }),
      A,
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
      regen('pub', 'ITLRecovery'),
      { type: 'tftp.restart', node: 'pub' },
      regen('sub', 'TVS'),
      regen('sub', 'CallManager'),
      regen('pub', 'CallManager'),
    ]);
    // 6: sub still serves the reset ITL; the TVS change rebuilds every ITL, which ends it.
    expect(out).toEqual([[6, 'callmanager-signed-reset-itl', ['sub']]]);
  });

  it('H10: should flag only an ITLRecovery regeneration, and only in mixed mode', () => {
    const lines = [install({ version: '12.5(1)SU3' }), B, regen('pub', 'CallManager'), regen('pub', 'ITLRecovery')];
    expect(hazards(lines).map(([, k]) => k)).not.toContain('itlrecovery-regenerated-before-ctl');
    // B (on sub) knows the publisher's CallManager only through the CTL, which is not rewritten.
    const inMixed = [
      lines[0]!,
      B,
      mixed,
      { type: 'devices.reset' },
      regen('pub', 'CallManager'),
      regen('sub', 'TVS'),
      regen('pub', 'CAPF'),
      regen('pub', 'ITLRecovery'),
    ];
    expect(hazards(inMixed).filter(([, k]) => k === 'itlrecovery-regenerated-before-ctl')).toEqual([
      [8, 'itlrecovery-regenerated-before-ctl', ['SEP00000000000B']],
    ]);
  });
});
