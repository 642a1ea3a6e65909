import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import { phoneTrust } from '../model/trust/boot.ts';
import { diagnoseAll, type Diagnosis } from './diagnose.ts';
import { replay } from './replay.ts';

/*
 * `ctl-reset-localkey` is the documented way back for a phone whose CTL was rejected (C3) in mixed
 * mode (docs/rules.md §16.8, cases 2, 3 and 5): `utils ctl reset localkey` writes a CTL signed by the
 * publisher's CallManager key, which every 12.0+ CTL lists as SAST, so the phone takes it by C1.
 * Every remedy the diagnosis gives is replayed here after the log, so the advice is checked against
 * the model rather than restated.
 */

const A = 'SEP00000000000A';
const B = 'SEP00000000000B';
/** A device without Security By Default (A26): it has no ITL remedy, only CTL ones. */
const J = 'CSFJ';

/** A 12.5 cluster of two TFTP nodes, in mixed mode, every phone trusting it (1024-bit keys: fast). */
const MIXED: object[] = [
  {
    type: 'cluster.install',
    version: '12.5(1)SU3',
    domain: 'example.lab',
    securityPassword: 'Example-Sec-1',
    keyBits: 1024,
    nodes: [
      { name: 'pub', role: 'publisher', tftp: true },
      { name: 'sub', role: 'subscriber', tftp: true },
    ],
    at: '2024-03-04T09:00:00Z',
  },
  { type: 'phone.add', at: '2024-03-04T09:02:00Z', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'phone.add', at: '2024-03-04T09:03:00Z', phone: B, tftp: 'sub', tvs: ['sub', 'pub'] },
  { type: 'phone.add', at: '2024-03-04T09:04:00Z', phone: J, tftp: 'pub', tvs: ['pub'], sbd: false },
  { type: 'ctl.setCluster', at: '2024-03-04T09:20:00Z', node: 'pub', mode: 'mixed' },
  { type: 'tftp.restart', at: '2024-03-04T09:22:00Z', node: 'pub' },
  { type: 'tftp.restart', at: '2024-03-04T09:22:00Z', node: 'sub' },
  { type: 'devices.reset', at: '2024-03-04T09:25:00Z' },
];

/**
 * §16.8 case 3, [REGEN]'s order: ITLRecovery regenerated, `utils ctl update CTLFile`, TFTP restart,
 * reset. The new CTL is signed by the new key: C1 fails, C2 does not help from 12.0 (A19), C3.
 */
const REGEN_ORDER: object[] = [
  ...MIXED,
  { type: 'cert.regenerate', at: '2024-03-04T09:30:00Z', node: 'pub', cert: 'ITLRecovery' },
  { type: 'ctl.update', at: '2024-03-04T09:40:00Z', node: 'pub' },
  { type: 'tftp.restart', at: '2024-03-04T09:41:00Z', node: 'pub' },
  { type: 'tftp.restart', at: '2024-03-04T09:41:00Z', node: 'sub' },
  { type: 'devices.reset', at: '2024-03-04T09:45:00Z' },
];

/**
 * §16.8 case 4, both anchors stale: the publisher's CallManager regenerated and the CTL updated, the
 * new certificate never reaching phone B (on the subscriber's TFTP), then ITLRecovery regenerated:
 * "only a manual CTL delete".
 */
const BOTH_STALE: object[] = [
  ...MIXED,
  { type: 'cert.regenerate', at: '2024-03-04T09:30:00Z', node: 'pub', cert: 'CallManager' },
  { type: 'ctl.update', at: '2024-03-04T09:35:00Z', node: 'pub' },
  { type: 'cert.regenerate', at: '2024-03-04T09:40:00Z', node: 'pub', cert: 'ITLRecovery' },
  { type: 'ctl.reset', at: '2024-03-04T09:45:00Z', node: 'pub', key: 'localkey' },
  { type: 'devices.reset', at: '2024-03-04T09:46:00Z' },
];

/** The events of a log, parsed from its JSON Lines text as the CLI reads it. */
function eventsOf(lines: object[]): LogEvent[] {
  return parseLog(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'diagnoseCtl.jsonl').events;
}

/** The phones' trust and CTL state after a log. */
function phonesAfter(events: LogEvent[]) {
  const cluster = replay(events).settled.cluster!;
  return Object.fromEntries(cluster.phones.map((p) => [p.id, { trust: phoneTrust(p), ctl: p.ctl?.state ?? null }]));
}

/** The diagnoses of every locked phone at the end of a log, as the CLI computes them. */
function diagnosesOf(events: LogEvent[]): Record<string, Diagnosis> {
  const result = replay(events);
  const last = result.reports[result.reports.length - 1]!;
  return Object.fromEntries(diagnoseAll(result.settled, (result.settle ?? last).at).map((d) => [d.phone, d]));
}

/** The remedy of `utils ctl reset localkey` the diagnosis should give for one phone, from `at` + 1 minute (§16.8 case 2). */
function ctlResetRemedy(phone: string, minute: (n: number) => string): LogEvent[] {
  return [
    { type: 'ctl.reset', at: minute(1), node: 'pub', key: 'localkey' },
    { type: 'phone.reset', at: minute(2), phone },
    { type: 'ctl.update', at: minute(3), node: 'pub' },
    { type: 'phone.reset', at: minute(4), phone },
  ];
}

/** The 12.0+ two-step `utils itl reset localkey` for one phone: reset, reset the phone, TFTP restarts, reset again (SG125). */
function itlResetRemedy(phone: string, minute: (n: number) => string): LogEvent[] {
  return [
    { type: 'itl.reset', at: minute(1), node: 'pub', key: 'localkey' },
    { type: 'phone.reset', at: minute(2), phone },
    { type: 'tftp.restart', at: minute(3), node: 'pub' },
    { type: 'tftp.restart', at: minute(4), node: 'sub' },
    { type: 'phone.reset', at: minute(5), phone },
  ];
}

/** ISO times `n` minutes after a log's last event. */
function after(at: string): (n: number) => string {
  return (n) => new Date(Date.parse(at) + n * 60_000).toISOString();
}

describe('diagnose: a rejected CTL (C3) in mixed mode', () => {
  const events = eventsOf(REGEN_ORDER);
  const minute = after('2024-03-04T09:45:00Z');

  it('should lock every phone by C3 when the CTL is updated after an ITLRecovery regeneration (§16.8 case 3)', () => {
    expect(phonesAfter(events)).toEqual({
      [A]: { trust: 'locked', ctl: 'rejected' },
      [B]: { trust: 'locked', ctl: 'rejected' },
      [J]: { trust: 'locked', ctl: 'rejected' },
    });
  });

  it('should recommend utils ctl reset localkey, with the exact remedy, for every locked phone', () => {
    const diagnoses = diagnosesOf(events);
    expect(Object.keys(diagnoses).sort()).toEqual([J, A, B].sort());
    for (const phone of [A, B, J]) {
      const d = diagnoses[phone]!;
      expect(d.recovery, phone).toBe('ctl-reset-localkey');
      expect(d.advice, phone).toEqual({ recovery: 'ctl-reset-localkey', publisher: { id: 'pub', hostname: 'pub' } });
      expect(
        d.ctlFailures.map((f) => `${f.rule} ${f.why}`),
        phone,
      ).toEqual(['C1 signerNotAnchor', phone === J ? 'C2 noSbd' : 'C2 ownCertificate']);
      expect(d.remedy, phone).toEqual(ctlResetRemedy(phone, minute));
    }
  });

  it('should bring each phone back when its remedy is appended to the log', () => {
    const diagnoses = diagnosesOf(events);
    for (const phone of [A, B, J]) {
      const phones = phonesAfter([...events, ...diagnoses[phone]!.remedy]);
      expect(phones[phone], phone).toEqual({ trust: 'trusted', ctl: 'installed' });
    }
  });

  it('should bring every phone back with utils ctl reset localkey and one reset, as §16.8 case 3 says', () => {
    const fix: LogEvent[] = [
      { type: 'ctl.reset', at: minute(1), node: 'pub', key: 'localkey' },
      { type: 'devices.reset', at: minute(2) },
    ];
    expect(phonesAfter([...events, ...fix])).toEqual({
      [A]: { trust: 'trusted', ctl: 'installed' },
      [B]: { trust: 'trusted', ctl: 'installed' },
      [J]: { trust: 'trusted', ctl: 'installed' },
    });
  });

  it('should offer the CTL procedure first although the two-step utils itl reset would also work', () => {
    // The reset ITL passes I1 (the publisher's CallManager is SAST in the CTL held) and carries the new
    // ITLRecovery; at the second reset C1 finds the CTL's signer in that ITL (one pool, A18).
    const diagnoses = diagnosesOf(events);
    for (const phone of [A, B]) {
      const phones = phonesAfter([...events, ...itlResetRemedy(phone, minute)]);
      expect(phones[phone], phone).toEqual({ trust: 'trusted', ctl: 'installed' });
      expect(diagnoses[phone]!.recovery, phone).toBe('ctl-reset-localkey');
    }
  });

  it('should offer no ITL reset to a device without Security By Default (A26)', () => {
    expect(diagnosesOf(events)[J]!.remedy.map((e) => e.type)).not.toContain('itl.reset');
  });
});

describe('diagnose: when utils ctl reset cannot help', () => {
  const events = eventsOf(BOTH_STALE);
  const minute = after('2024-03-04T09:46:00Z');

  it('should lock the phone on the subscriber TFTP, whose anchors are both stale (§16.8 case 4)', () => {
    expect(phonesAfter(events)[B]).toEqual({ trust: 'locked', ctl: 'rejected' });
  });

  it('should leave that phone locked after utils ctl reset localkey and resets', () => {
    expect(phonesAfter([...events, ...ctlResetRemedy(B, minute)])[B]).toEqual({ trust: 'locked', ctl: 'rejected' });
  });

  it('should recommend the manual CTL delete instead, and that remedy should bring it back', () => {
    const d = diagnosesOf(events)[B]!;
    expect(d.recovery).toBe('manual-ctl-delete');
    expect(d.remedy).toHaveLength(1);
    // Timed on its own, a minute after the diagnosis (not after the manual ITL delete offered before it).
    expect(d.remedy[0]).toEqual({ type: 'phone.deleteCtl', at: minute(1), phone: B });
    expect(phonesAfter([...events, ...d.remedy])[B]).toEqual({ trust: 'trusted', ctl: 'installed' });
  });
});
