import { beforeAll, describe, expect, it } from 'vitest';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { Role } from '../model/itl/tags.ts';
import { diffJson, replayed } from '../test-support/diffRuns.ts';
import { install, type Line } from '../test-support/scenario.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';

describe('itl-model diff on the CTLs and ITLs of replayed mixed-mode clusters (12.5)', () => {
  const PHONE: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };
  const MIXED: Line[] = [
    install({ version: '12.5(1)SU3' }),
    PHONE,
    { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    { type: 'tftp.restart', node: 'pub' },
    { type: 'tftp.restart', node: 'sub' },
  ];
  /** Another 12.5 cluster in mixed mode: other names, domain and password, so other keys. */
  const OTHER: Line[] = [
    install({
      version: '12.5(1)SU3',
      domain: 'other.lab',
      securityPassword: 'Secret-Two',
      nodes: [
        { name: 'cm1', role: 'publisher', tftp: true },
        { name: 'cm2', role: 'subscriber', tftp: true },
      ],
    }),
    { type: 'ctl.setCluster', node: 'cm1', mode: 'mixed' },
    { type: 'tftp.restart', node: 'cm1' },
  ];
  let mixed: ReturnType<typeof replayed>;
  let other: ReturnType<typeof replayed>;
  beforeAll(() => {
    mixed = replayed(MIXED);
    other = replayed(OTHER);
  });

  const diffFiles = (a: Uint8Array, b: Uint8Array) => diffJson('a.tlv', 'b.tlv', memoryIo({ 'a.tlv': a, 'b.tlv': b }));

  it('should say an ITL holder takes its first CTL on faith (C0)', async () => {
    const doc = await diffFiles(mixed.itls.pub!, mixed.ctl!);
    expect([doc.a.kind, doc.b.kind]).toEqual(['itl', 'ctl']);
    expect(doc.verdict).toEqual({ verdict: 'first', rule: 'C0' });
  });

  it("should accept locally (C1) the cluster's next CTL, signed by a SAST record the old CTL still holds", async () => {
    // ITLRecovery regenerated, then `utils ctl reset localkey`: the new CTL is signed by the publisher's
    // CallManager, SAST record #2 of every 12.x CTL (docs/rules.md §16.8, case 2).
    const next = replayed([
      ...MIXED,
      { type: 'cert.regenerate', node: 'pub', cert: 'ITLRecovery' },
      { type: 'ctl.reset', node: 'pub', key: 'localkey' },
    ]).ctl!;
    const doc = await diffFiles(mixed.ctl!, next);
    expect([doc.a.kind, doc.b.kind, doc.b.signature]).toEqual(['ctl', 'ctl', 'verified']);
    expect(doc.signer.same).toBe(false);
    expect(doc.verdict).toMatchObject({
      verdict: 'local',
      rule: 'C1',
      record: { number: 2, role: Role.SAST, subject: expect.stringMatching(/^CN=pub\.example\.lab(;|$)/) },
      checkedBy: 'signature',
    });
    // The anchor is located at its record's byte offset in A.
    const anchor = decodeItl(mixed.ctl!).records[1]!;
    expect((doc.verdict as { record: { at: unknown } }).record.at).toEqual({ offset: anchor.offset });
  });

  it("should say never (C3) for a phone holding another cluster's CTL: no local anchor, and no TVS rescue from 12.0", async () => {
    const doc = await diffFiles(other.ctl!, mixed.ctl!);
    expect([doc.a.kind, doc.b.kind]).toEqual(['ctl', 'ctl']);
    expect(doc.verdict).toEqual({
      verdict: 'never',
      rule: 'C3',
      localFailure: 'signerNotAnchor',
      checkedBy: 'signature',
    });
  });

  it('should say only through TVS (C2) before 12.0, when the CTL signer changed: the publisher CallManager regenerated (10.5)', async () => {
    // docs/rules.md §16.8, case 7: the old CTL does not hold the new CallManager; a phone with SBD asks TVS (T1).
    const before = [install(), PHONE, { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }];
    const after = [
      ...before,
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
      { type: 'ctl.update', node: 'pub' },
    ];
    const doc = await diffFiles(replayed(before).ctl!, replayed(after).ctl!);
    expect(doc.verdict).toEqual({
      verdict: 'tvs',
      rule: 'C2',
      records: [],
      localFailure: 'signerNotAnchor',
      checkedBy: 'signature',
    });
  });

  it("should accept locally (I1) the node's ITL for a phone holding the cluster's CTL", async () => {
    // From 12.0 the ITL is signed by the ITLRecovery, SAST record #1 of the CTL.
    const doc = await diffFiles(mixed.ctl!, mixed.itls.sub!);
    expect([doc.a.kind, doc.b.kind]).toEqual(['ctl', 'itl']);
    expect(doc.verdict).toMatchObject({
      verdict: 'local',
      rule: 'I1',
      record: { number: 1, role: Role.SAST, subject: expect.stringMatching(/^CN=ITLRECOVERY_/) },
      checkedBy: 'signature',
    });
  });

  it("should say never (I3) for a phone holding the cluster's CTL offered another cluster's ITL", async () => {
    const doc = await diffFiles(mixed.ctl!, other.itls.cm1!);
    expect(doc.verdict).toEqual({
      verdict: 'never',
      rule: 'I3',
      localFailure: 'signerNotAnchor',
      checkedBy: 'signature',
    });
  });

  it("should leave it to the phone's ITL (I2, then TVS as R3) before 12.0 when a CTL holder is offered an ITL its CTL does not anchor", async () => {
    // docs/rules.md §16.6: before 12.0 a phone holding a CTL asks TVS as in R3 once I1 and I2 fail.
    const ours = replayed([install(), PHONE, { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }]);
    const theirs = replayed([
      install({
        domain: 'other.lab',
        securityPassword: 'Secret-Two',
        nodes: [{ name: 'cm1', role: 'publisher', tftp: true }],
      }),
    ]);
    const doc = await diffFiles(ours.ctl!, theirs.itls.cm1!);
    expect(doc.verdict).toEqual({
      verdict: 'tvs',
      rule: 'R3',
      records: [],
      localFailure: 'signerNotAnchor',
      checkedBy: 'signature',
    });
    const io = memoryIo({ 'a.tlv': ours.ctl!, 'b.tlv': theirs.itls.cm1! });
    expect(await run(['diff', 'a.tlv', 'b.tlv'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain("only through the phone's ITL (before 12.0)");
  });

  it('should give the reason of each rejection: no TVS for a CTL signer from 12.0 (C3)', async () => {
    const io = memoryIo({ 'a.tlv': other.ctl!, 'b.tlv': mixed.ctl! });
    expect(await run(['diff', 'a.tlv', 'b.tlv'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain(
      "NEVER (C3): B's signer is no anchor of A, and from 12.0 no TVS vouches for the signer of a CTL (A19)",
    );
  });
});
