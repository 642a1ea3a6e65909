import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replay } from '../../machines/replay.ts';
import { install, logOf, run, type Line } from '../../test-support/scenario.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState, PhoneState } from './clusterState.ts';
import { HAZARD_IDS, knows, raiseHazards, stateHazards, type Hazard, type HazardKind } from './hazards.ts';
import { owning, ownPhones, pushPhone, setPhone } from './phoneTable.ts';
import type { Alert } from './step.ts';

const A: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] };
const B: Line = { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub'] };
const C: Line = { type: 'phone.add', phone: 'SEP00000000000C', tftp: 'pub', tvs: ['pub'] };
const D: Line = { type: 'phone.add', phone: 'SEP00000000000D', tftp: 'sub', tvs: ['sub'] };
const J: Line = { type: 'phone.add', phone: 'CSFJABBER', tftp: 'pub', sbd: false };
const regen = (node: string, cert: string, after = 6): Line => ({ type: 'cert.regenerate', node, cert, after });
const reset = (phone: string): Line => ({ type: 'phone.reset', phone });
const manual: Line = { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' };
const mixed: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' };
const nonSecure: Line = { type: 'ctl.setCluster', node: 'pub', mode: 'non-secure' };
const DAY = 86_400_000;

/** Every hazard alert of a scenario, as [event number, kind, who]; `keep`: a replay that keeps its contexts (no phone written in place). */
function hazards(lines: Line[], keep = false): Array<[number, string, string[]]> {
  return run(lines, { keepContexts: keep }).reports.flatMap((r) =>
    r.alerts
      .filter((a): a is Exclude<Alert, { kind: 'itlrecovery-not-backed-up' }> => a.kind !== 'itlrecovery-not-backed-up')
      .map((a): [number, string, string[]] => [r.event, a.kind, a.phones ?? a.nodes ?? []]),
  );
}

/** The states after each event of a replay that keeps them (arrays never written in place), and each event's time. */
function states(lines: Line[]): Array<{ state: ClusterState; at: string }> {
  const events = logOf(lines);
  return replay(events, { keepContexts: true }).contexts!.map((c, i) => ({ state: c.cluster!, at: events[i]!.at }));
}

/** The phones a state hazard is about, by kind (absent: not raised). */
function held(state: ClusterState, at: string): Partial<Record<HazardKind, string[]>> {
  return Object.fromEntries(stateHazards(state, at).map((h) => [h.kind, h.phones ?? h.nodes ?? []]));
}

const phone = (state: ClusterState, id: string): PhoneState => state.phones.find((p) => p.id === id)!;

/** 15 with manual phone interaction: both TVS and ITLRecovery regenerated, no phone reset. B (on sub) is stranded; A knows the publisher's CallManager. */
const STRANDED15: Line[] = [
  install({ version: '15' }),
  A,
  B,
  manual,
  regen('pub', 'TVS'),
  regen('sub', 'TVS'),
  regen('pub', 'ITLRecovery'),
];

/** 12.5 mixed mode: the CTL rewritten after an ITLRecovery regeneration, which the device without SBD does not know. */
const BLIND: Line[] = [
  install({ version: '12.5(1)SU3' }),
  J,
  A,
  mixed,
  { type: 'devices.reset' },
  regen('pub', 'ITLRecovery'),
  { type: 'ctl.update', node: 'pub' },
];

/** 9.1 → 12.0: C's and D's ITLs have no ITLRECOVERY record. */
const OLD_ITLS: Line[] = [install({ version: '9.1(2)' }), C, D, { type: 'cluster.upgrade', version: '12.0(1)' }];

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

describe('hazards: the same answer however the replay holds its phones', () => {
  const cases: Array<[string, Line[], Array<[number, string, string[]]>]> = [
    [
      'H11 ends when the phones take an ITL with ITLRecovery, and comes back for a phone that lost it',
      [
        ...OLD_ITLS,
        reset('SEP00000000000C'),
        reset('SEP00000000000D'),
        { type: 'phone.deleteItl', phone: 'SEP00000000000C' },
      ],
      [[4, 'itl-without-itlrecovery', ['SEP00000000000C', 'SEP00000000000D']]],
    ],
    [
      'H6 ends when the stranded phone erases its ITL',
      [...STRANDED15, { type: 'phone.deleteItl', phone: 'SEP00000000000B' }, D],
      [[7, 'cm-tvs-itlrecovery-stranded', ['SEP00000000000B']]],
    ],
    [
      'H7 ends when the device erases its CTL, and comes back when the CTL changes again',
      [
        ...BLIND,
        { type: 'phone.deleteCtl', phone: 'CSFJABBER' },
        regen('pub', 'ITLRecovery'),
        { type: 'ctl.update', node: 'pub' },
      ],
      [
        [6, 'ctl-not-updated', []],
        [7, 'non-sbd-ctl-signer-unknown', ['CSFJABBER']],
        [9, 'ctl-not-updated', []],
        [10, 'non-sbd-ctl-signer-unknown', ['CSFJABBER']],
      ],
    ],
  ];
  for (const [name, lines, expected] of cases)
    it(`should raise the same alerts with or without contexts kept: ${name}`, () => {
      expect(hazards(lines)).toEqual(expected);
      expect(hazards(lines, true)).toEqual(expected);
      expect(run(lines).final.cluster!.activeHazards).toEqual(
        expected.at(-1)![1] === 'non-sbd-ctl-signer-unknown' ? ['non-sbd-ctl-signer-unknown'] : [],
      );
    });

  it('should judge phones written in place (an owning fold) as the same phones in a fresh array', () => {
    const stranded = states(STRANDED15).at(-1)!;
    const blind = states(BLIND).at(-1)!;
    const old = states(OLD_ITLS).at(-1)!;
    const fixed = states([...OLD_ITLS, reset('SEP00000000000C')]).at(-1)!;
    const kinds = ['cm-tvs-itlrecovery-stranded', 'itl-without-itlrecovery', 'non-sbd-ctl-signer-unknown'] as const;
    const lists = (s: ClusterState, at: string) => {
      const h = held(s, at);
      return kinds.map((k) => h[k]);
    };

    const ran = owning(() => {
      // A copy of a phone is judged as the phone: one copy each of a stranded, an old-ITL and a blind phone.
      for (const [{ state, at }, id, copyId, expected] of [
        [stranded, 'SEP00000000000B', 'SEP0000000000B2', 0],
        [old, 'SEP00000000000C', 'SEP0000000000C2', 1],
        [blind, 'CSFJABBER', 'CSFJABBER2', 2],
      ] as const) {
        const phones = ownPhones(state)!;
        const s = { ...state, phones };
        const base = lists(s, at);
        pushPhone(phones, { ...phone(state, id), id: copyId });
        const after = lists(s, at);
        expect(after[expected]).toEqual([...base[expected]!, copyId]);
        expect(after.filter((_, i) => i !== expected)).toEqual(base.filter((_, i) => i !== expected));
        // The copy written again as a harmless phone: the hazard is back to what it was.
        setPhone(phones, phones.length - 1, { ...phone(state, id), id: copyId, itl: null, ctl: undefined });
        expect(lists(s, at)).toEqual(base);
      }

      // One verdict flips at a time, in place.
      const phones = ownPhones(old.state)!;
      const s = { ...old.state, phones };
      expect(lists(s, old.at)[1]).toEqual(['SEP00000000000C', 'SEP00000000000D']);
      setPhone(phones, 0, phone(fixed.state, 'SEP00000000000C'));
      expect(lists(s, old.at)[1]).toEqual(['SEP00000000000D']);

      const sp = ownPhones(stranded.state)!;
      const ss = { ...stranded.state, phones: sp };
      expect(lists(ss, stranded.at)[0]).toEqual(['SEP00000000000B']);
      setPhone(sp, 1, { ...phone(stranded.state, 'SEP00000000000B'), itl: null });
      expect(lists(ss, stranded.at)[0]).toBeUndefined();

      const bp = ownPhones(blind.state)!;
      const bs = { ...blind.state, phones: bp };
      expect(lists(bs, blind.at)[2]).toEqual(['CSFJABBER']);
      setPhone(bp, 0, { ...phone(blind.state, 'CSFJABBER'), ctl: undefined });
      expect(lists(bs, blind.at)[2]).toBeUndefined();
      // Written in place and then copied before the next look: the copy is judged on its phones.
      setPhone(bp, 0, phone(blind.state, 'CSFJABBER'));
      expect(lists({ ...bs, phones: bp.slice() }, blind.at)[2]).toEqual(['CSFJABBER']);
      return 'ran';
    });
    expect(ran).toBe('ran');
  });

  it("should raise the action's hazards the caller judged before the event, not judge the state again", () => {
    // A TVS regeneration with SEP00000000000B unplugged: judged on its own state, H12 names B.
    const lines = [install(), A, B, { type: 'phone.power', phone: 'SEP00000000000B', on: false }];
    const before = run(lines).final.cluster!;
    const event = logOf([...lines, regen('pub', 'TVS')]).at(-1)!;
    const h12 = { kind: 'offline-during-regeneration', phones: ['SEP00000000000B'] };
    expect(raiseHazards(before, before, event, false).hazards).toEqual([h12]);
    // A fold that wrote the phones in place judged the action before it: its list is the one raised.
    expect(raiseHazards(before, before, event, false, []).hazards).toEqual([]);
    // A refused command raises no hazard of its own, whatever was judged.
    expect(raiseHazards(before, before, event, true, [h12 as Hazard]).hazards).toEqual([]);
  });
});
