import { describe, expect, it } from 'vitest';
import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { DEFAULT_OPTIONS, modelOptions } from '../cluster/install.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { install, run, type Line } from '../../test-support/scenario.ts';
import { fixture } from '../../test-support/fixture.ts';
import { acceptCtl, ctlBootOf, phoneTrust, rejectCtl } from './boot.ts';
import { ctlAnchored, ctlRuleFailures, sameCtl, tvsAnswerForCtl, tvsVouchesForCtl, type CtlCheck } from './ctlRules.ts';
import { phoneStep } from './phoneStep.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';

/*
 * Why a phone does not accept an offered CTL (docs/rules.md §16; model/trust/ruleFailures.ts): C1
 * (a local anchor), C2 (TVS, with the SAST role, not without SBD, not from 12.0 for the cluster's own
 * certificates), C3 (rejected: the phone keeps its CTL). Each failure kind, then what the phone
 * shows after each CTL step of a log, whole.
 */

const A = 'SEP00000000000A';
/**
 * Mixed mode; A takes the CTL (C0) and goes offline; the CTL's signer is regenerated and the CTL rewritten:
 * pub's CallManager before 12.0, its ITLRecovery from 12.0 (which signs the CTL then; it reaches the ITL
 * only at the next TFTP restart).
 */
const story = (version: string, cert = version.startsWith('12') ? 'ITLRecovery' : 'CallManager'): Line[] => [
  install({ version }),
  { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
  { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
  { type: 'phone.reset', phone: A },
  { type: 'phone.power', phone: A, on: false },
  { type: 'cert.regenerate', node: 'pub', cert },
  { type: 'ctl.update', node: 'pub', after: 6 },
];
const pubName = { id: 'pub', hostname: 'pub' };
const subName = { id: 'sub', hostname: 'sub' };
const signerOf = (f: StoredItl) => ({ subject: f.signer.subject, serial: f.signer.serial });
/** The fixture, built once at load (test-support/fixture.ts: a failure fails every test). */
function build() {
  const outcome = run(story('10.5(2)'));
  const state: ClusterState = outcome.final.cluster!;
  const [pub] = state.nodes as [ClusterState['nodes'][number]];
  const phone: PhoneState = outcome.phone(A);
  /** The CTL the phone holds (signed by pub's old CallManager) and the one now served (by its new one). */
  const oldCtl: StoredItl = state.itls[phone.ctl!.file]!;
  const newCtl: StoredItl = state.itls[state.ctl!]!;
  const itl: StoredItl = state.itls[phone.itl!]!;
  const newSigner = signerOf(newCtl);
  const notAnchor = { rule: 'C1', why: 'signerNotAnchor', signer: newSigner };
  return { state, pub, phone, oldCtl, newCtl, itl, newSigner, notAnchor, outcome };
}
const { state, pub, phone, oldCtl, newCtl, itl, newSigner, notAnchor } = fixture(build);

function check(over: Partial<CtlCheck> = {}): CtlCheck {
  return {
    phone,
    candidate: newCtl,
    installedCtl: oldCtl,
    installedItl: itl,
    nodes: state.nodes,
    crypto: symbolicCrypto,
    rules: { from12: false, options: DEFAULT_OPTIONS },
    ...over,
  };
}
const from12 = (options = DEFAULT_OPTIONS) => ({ from12: true, options });

describe('the fixture', () => {
  it('should serve a CTL whose signer is not the signer of the CTL the phone holds', () => {
    expect(newCtl.sha1).not.toBe(oldCtl.sha1);
    expect(newCtl.signer.serial).toBe(pub.certs.CallManager.cert.serial);
    expect(oldCtl.signer.serial).not.toBe(newCtl.signer.serial);
  });
});

describe('sameCtl and C1', () => {
  it('should know the very file the phone holds, and nothing else, as the same CTL', () => {
    expect(sameCtl(check({ candidate: oldCtl }))).toBe(true);
    expect(sameCtl(check())).toBe(false);
    expect(sameCtl(check({ installedCtl: null }))).toBe(false);
  });

  it('should anchor a CTL signed by a SAST record of the held CTL, or of the ITL when the pool is shared (A18)', () => {
    const again = { ...oldCtl, sha1: 'old-again' };
    expect(ctlAnchored(check({ candidate: again }))).toBe(true);
    expect(ctlAnchored(check({ candidate: again, installedCtl: null }))).toBe(true);
    const apart = { from12: false, options: modelOptions({ sharedSastPool: false }) };
    expect(ctlAnchored(check({ candidate: again, installedCtl: null, rules: apart }))).toBe(false);
    expect(ctlAnchored(check({ candidate: again, rules: apart }))).toBe(true);
  });

  it('should give no C1 failure for an anchored signer whose signature verifies', () => {
    // C2 still asks TVS about pub's old CallManager, which no TVS knows any more.
    expect(ctlRuleFailures(check({ candidate: { ...oldCtl, sha1: 'old-again' } }))).toEqual([
      { rule: 'C2', why: 'unknownSigner', tvs: pubName, signer: signerOf(oldCtl) },
    ]);
  });

  it('should refuse by C1 a broken signature of an anchored signer, and a signer that is no anchor', () => {
    const again = { ...oldCtl, sha1: 'old-again', corrupted: true as const };
    // C2 then asks TVS about pub's old CallManager, which no TVS knows any more.
    expect(ctlRuleFailures(check({ candidate: again }))).toEqual([
      { rule: 'C1', why: 'badSignature', signer: signerOf(oldCtl) },
      { rule: 'C2', why: 'unknownSigner', tvs: pubName, signer: signerOf(oldCtl) },
    ]);
    const apart = { from12: false, options: modelOptions({ sharedSastPool: false }) };
    expect(ctlRuleFailures(check({ candidate: { ...oldCtl, sha1: 'x' }, installedCtl: null, rules: apart }))).toEqual([
      { rule: 'C1', why: 'signerNotAnchor', signer: signerOf(oldCtl) },
      { rule: 'C2', why: 'unknownSigner', tvs: pubName, signer: signerOf(oldCtl) },
    ]);
  });
});

describe('C2', () => {
  it('should accept by C2 before 12.0 the cluster own CallManager that TVS vouches for with the SAST role', () => {
    expect(tvsVouchesForCtl(check())).toBe(true);
    expect(ctlRuleFailures(check())).toEqual([notAnchor]);
  });

  it('should refuse from 12.0 the cluster own certificate (A19), unless ctlTvsRescueOwn', () => {
    expect(tvsVouchesForCtl(check({ rules: from12() }))).toBe(false);
    expect(ctlRuleFailures(check({ rules: from12() }))).toEqual([
      notAnchor,
      { rule: 'C2', why: 'ownCertificate', tvs: pubName, signer: newSigner },
    ]);
    const rescue = from12(modelOptions({ ctlTvsRescueOwn: true }));
    expect(tvsVouchesForCtl(check({ rules: rescue }))).toBe(true);
    expect(ctlRuleFailures(check({ rules: rescue }))).toEqual([notAnchor]);
  });

  it('should refuse a broken signature although TVS vouched for the signer, naming that TVS', () => {
    expect(ctlRuleFailures(check({ candidate: { ...newCtl, corrupted: true } }))).toEqual([
      notAnchor,
      { rule: 'C2', why: 'badSignature', tvs: pubName },
    ]);
  });

  it('should refuse a signer TVS vouches for without the SAST role (T4: a TVS certificate)', () => {
    const tvs = pub.certs.TVS.cert;
    const signedByTvs: StoredItl = {
      ...newCtl,
      sha1: 'signed-by-tvs',
      signer: { ...newCtl.signer, subject: tvs.subject, serial: tvs.serial, issuer: tvs.issuer, recordIndex: 0 },
      records: [
        {
          role: Role.SAST,
          subject: tvs.subject,
          issuer: tvs.issuer,
          serial: tvs.serial,
          certSha1: tvs.sha1,
          cert: tvs.der,
        },
      ],
    };
    expect(tvsVouchesForCtl(check({ candidate: signedByTvs }))).toBe(false);
    expect(ctlRuleFailures(check({ candidate: signedByTvs }))).toEqual([
      { rule: 'C1', why: 'signerNotAnchor', signer: { subject: tvs.subject, serial: tvs.serial } },
      { rule: 'C2', why: 'notSast', tvs: pubName, signer: { subject: tvs.subject, serial: tvs.serial } },
    ]);
  });

  it('should not ask TVS for a device without Security By Default (A26), even holding an ITL', () => {
    const noSbd = { ...phone, sbd: false as const };
    expect(tvsAnswerForCtl(check({ phone: noSbd }))).toBeUndefined();
    expect(ctlRuleFailures(check({ phone: noSbd }))).toEqual([notAnchor, { rule: 'C2', why: 'noSbd' }]);
  });

  it('should not ask TVS without an ITL (no TVS certificate pinned)', () => {
    expect(tvsAnswerForCtl(check({ installedItl: null }))).toBeUndefined();
    expect(tvsVouchesForCtl(check({ installedItl: null }))).toBe(false);
    expect(ctlRuleFailures(check({ installedItl: null }))).toEqual([notAnchor, { rule: 'C2', why: 'noItl' }]);
  });

  it('should reach no TVS about a CTL that names no signer record', () => {
    const nameless = { ...newCtl, signer: { ...newCtl.signer, recordIndex: 99 } };
    expect(tvsAnswerForCtl(check({ candidate: nameless }))).toBeUndefined();
    expect(ctlRuleFailures(check({ candidate: nameless }))).toEqual([notAnchor, { rule: 'C2', why: 'noTvsReachable' }]);
  });

  it('should say the TVS list is empty, or list each failed handshake and that none was reached', () => {
    expect(ctlRuleFailures(check({ phone: { ...phone, tvs: [] } }))).toEqual([
      notAnchor,
      { rule: 'C2', why: 'emptyTvsList' },
    ]);
    const unpinned = { ...itl, records: itl.records.filter((r) => r.role !== Role.TVS) };
    expect(ctlRuleFailures(check({ installedItl: unpinned }))).toEqual([
      notAnchor,
      { rule: 'C2', why: 'tlsFailed', tvs: pubName },
      { rule: 'C2', why: 'tlsFailed', tvs: subName },
      { rule: 'C2', why: 'noTvsReachable' },
    ]);
  });

  it('should stop at the first TVS reached when it does not know the signer', () => {
    const unknown: StoredItl = {
      ...newCtl,
      signer: { ...newCtl.signer, serial: '0badc0de' },
      records: newCtl.records.map((r, i) => (i === newCtl.signer.recordIndex ? { ...r, serial: '0badc0de' } : r)),
    };
    const signer = { subject: newCtl.signer.subject, serial: '0badc0de' };
    expect(ctlRuleFailures(check({ candidate: unknown }))).toEqual([
      { rule: 'C1', why: 'signerNotAnchor', signer },
      { rule: 'C2', why: 'unknownSigner', tvs: pubName, signer },
    ]);
  });
});

describe('ctlBootOf (whether a boot has a CTL step)', () => {
  it('should skip the CTL step only for the very file the phone holds and trusts', () => {
    const served = state.ctl!;
    const holding = (s: 'installed' | 'rejected'): PhoneState => ({
      ...phone,
      ctl: { ...phone.ctl!, file: served, state: s },
    });
    expect(ctlBootOf(state, holding('installed'), 9, symbolicCrypto)).toBeUndefined();
    expect(ctlBootOf(state, holding('rejected'), 9, symbolicCrypto)).toMatchObject({ candidate: newCtl, event: 9 });
    expect(ctlBootOf(state, phone, 9, symbolicCrypto)).toMatchObject({ candidate: newCtl, installedCtl: oldCtl });
  });
});

describe("phoneStep's CTL step on the file the phone holds (the model's own fold, without a machine)", () => {
  it('should leave a phone that trusts the file it is offered again as it was: nothing to decide', () => {
    const boot = { ...check({ candidate: oldCtl }), event: 9 };
    expect(phone.ctl).toMatchObject({ file: oldCtl.sha1, state: 'installed' });
    expect(phoneStep(phone, { type: 'CTL', boot })).toEqual(phone);
  });

  it('should take it back by C1 after rejecting another one, and no longer be locked', () => {
    const rejected = rejectCtl(phone, { ...check(), event: 8 });
    expect(phoneTrust(rejected)).toBe('locked');
    const boot = { ...check({ phone: rejected, candidate: oldCtl }), event: 9 };
    const after = phoneStep(rejected, { type: 'CTL', boot });
    expect(after.ctl).toEqual({ file: oldCtl.sha1, state: 'installed', rule: 'C1', failures: [], event: 9 });
    expect(after.status).toBe('Trust List Updated');
    expect(phoneTrust(after)).toBe('trusted');
  });

  it('should erase the CTL of a phone that holds one, and leave a phone without one as it was', () => {
    const erased = phoneStep(phone, { type: 'ERASE_CTL' });
    expect('ctl' in erased).toBe(false);
    expect(erased.status).toBe('Erasing CTL and ITL files');
    expect(phoneStep(erased, { type: 'ERASE_CTL' })).toBe(erased);
  });
});

describe('acceptCtl (what an accepted CTL leaves on the phone)', () => {
  /** The phone's ITL pins sub's TVS only: pub fails TLS, sub vouches. */
  const viaSub = () => {
    const subOnly = {
      ...itl,
      records: itl.records.filter((r) => r.role !== Role.TVS || r.subject.startsWith('CN=sub')),
    };
    return { ...check({ installedItl: subOnly }), event: 9 };
  };

  it('should keep only why C1 did not accept when C2 did, not the TVS it could not reach on the way', () => {
    expect(ctlRuleFailures(viaSub())).toEqual([notAnchor, { rule: 'C2', why: 'tlsFailed', tvs: pubName }]);
    expect(acceptCtl(phone, viaSub(), 'C2')).toEqual({
      ...phone,
      ctl: { file: newCtl.sha1, state: 'installed', rule: 'C2', failures: [notAnchor], event: 9 },
      status: 'Trust List Updated',
    });
  });

  it('should show CTL Installed for the first CTL (C0) and Trust List Updated for a C1 update, with no failures', () => {
    expect(acceptCtl(phone, viaSub(), 'C1')).toEqual({
      ...phone,
      ctl: { file: newCtl.sha1, state: 'installed', rule: 'C1', failures: [], event: 9 },
      status: 'Trust List Updated',
    });
    expect(acceptCtl({ ...phone, ctl: undefined }, viaSub(), 'C0')).toEqual({
      ...phone,
      ctl: { file: newCtl.sha1, state: 'installed', rule: 'C0', failures: [], event: 9 },
      status: 'CTL Installed',
    });
  });
});

describe('rejectCtl (C3)', () => {
  const boot = () => ({ ...check({ rules: from12() }), event: 9 });

  it('should keep the CTL it holds, marked rejected, with why C1 and C2 refused, show CTL update failed, and lock', () => {
    expect(rejectCtl(phone, boot())).toEqual({
      ...phone,
      ctl: {
        file: oldCtl.sha1,
        state: 'rejected',
        rule: 'C3',
        failures: [notAnchor, { rule: 'C2', why: 'ownCertificate', tvs: pubName, signer: newSigner }],
        event: 9,
      },
      status: 'CTL update failed',
      lockedAt: 9,
    });
  });

  it('should keep the time of the first lock of a phone already locked', () => {
    expect(rejectCtl({ ...phone, trust: 'locked', lockedAt: 3 }, boot()).lockedAt).toBe(3);
  });
});

describe('the phone after each CTL step of a log (whole)', () => {
  const on: Line = { type: 'phone.power', phone: A, on: true };

  it('should take the rewritten CTL by C2 before 12.0, and then the new ITL by I1', () => {
    const after = run([...story('10.5(2)'), on]);
    const cluster = after.final.cluster!;
    const event = after.events.length;
    const newItl = cluster.itls[cluster.nodes[0]!.tftp!.normalItl]!;
    expect(after.phone(A)).toEqual({
      ...phone,
      online: true,
      itl: newItl.sha1,
      trust: 'trusted',
      status: 'Trust List Updated',
      lastDecision: { rule: 'I1', failures: [], event },
      configAccepted: true,
      hasConfig: true,
      ctl: { file: newCtl.sha1, state: 'installed', rule: 'C2', failures: [notAnchor], event },
    });
  });

  it('should reject it from 12.0 (C3), keep its CTL and show CTL update failed, while the CTL it keeps vouches for the ITL (I1)', () => {
    const before = run(story('12.0(1)'));
    const held = before.phone(A);
    const after = run([...story('12.0(1)'), on]);
    const cluster = after.final.cluster!;
    const event = after.events.length;
    const served = cluster.itls[cluster.ctl!]!;
    const newItl = cluster.itls[cluster.nodes[0]!.tftp!.normalItl]!;
    expect(after.phone(A)).toEqual({
      ...held,
      online: true,
      itl: newItl.sha1,
      trust: 'trusted',
      status: 'CTL update failed',
      lastDecision: { rule: 'I1', failures: [], event },
      ctl: {
        file: held.ctl!.file,
        state: 'rejected',
        rule: 'C3',
        failures: [
          { rule: 'C1', why: 'signerNotAnchor', signer: signerOf(served) },
          { rule: 'C2', why: 'ownCertificate', tvs: pubName, signer: signerOf(served) },
        ],
        event,
      },
      lockedAt: event,
    });
  });

  it('should erase the CTL and keep the ITL trust of an unplugged phone, then take the next CTL on first sight (C0)', () => {
    const erased = run([
      ...story('12.0(1)'),
      on,
      { type: 'phone.power', phone: A, on: false },
      { type: 'phone.deleteCtl', phone: A },
    ]);
    const locked = run([...story('12.0(1)'), on]).phone(A);
    const { ctl: _dropped, ...rest } = locked;
    expect(erased.phone(A)).toEqual({ ...rest, online: false, status: 'Erasing CTL and ITL files' });
    const back = run([
      ...story('12.0(1)'),
      on,
      { type: 'phone.power', phone: A, on: false },
      { type: 'phone.deleteCtl', phone: A },
      on,
    ]);
    const event = back.events.length;
    expect(back.phone(A)).toEqual({
      ...locked,
      status: 'CTL Installed',
      // The new CTL holds the new ITLRecovery only: the ITL (signed by the old one) is taken by I2, from the ITL's SAST record.
      lastDecision: {
        rule: 'I2',
        failures: [{ rule: 'I1', why: 'signerNotInCtl', signer: signerOf(back.final.cluster!.itls[locked.itl!]!) }],
        event,
      },
      ctl: { file: back.final.cluster!.ctl!, state: 'installed', rule: 'C0', failures: [], event },
      recoveredAt: event,
    });
  });
});
