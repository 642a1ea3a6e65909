import { describe, expect, it } from 'vitest';
import { install, logOf, run, type Line } from '../../test-support/scenario.ts';
import type { ClusterState } from './clusterState.ts';
import { raiseHazards, type Hazard } from './hazards.ts';
import { owning, ownPhones, pushPhone, setPhone } from './phoneTable.ts';
import {
  A,
  B,
  D,
  regen,
  reset,
  hazards,
  states,
  held,
  phone,
  STRANDED15,
  BLIND,
  OLD_ITLS,
} from '../../test-support/hazardScenarios.ts';

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
