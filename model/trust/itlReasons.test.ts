import { describe, expect, it } from 'vitest';
import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { DEFAULT_OPTIONS, modelOptions } from '../cluster/install.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { install, run } from '../../test-support/scenario.ts';
import { fixture } from '../../test-support/fixture.ts';
import {
  ctlFailures,
  ctlVouchesForItl,
  firstTrustList,
  holdsRollbackItl,
  itlFailures,
  itlSastAnchors,
  itlTooLarge,
  ITL_MAX_BYTES,
  ITL_MAX_RECORDS,
  recordNaming,
  sastFailures,
  sastVerifies,
  tvsAnswerForItl,
  tvsFailures,
  tvsVouchesForItl,
  type ItlCheck,
} from './itlRules.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';

/*
 * Why a phone does not accept an offered ITL (docs/rules.md §4, §16; model/trust/ruleFailures.ts), rule
 * by rule, on the files of a real cluster: each failure kind a rule can give, and the rules that
 * accept. The checks are built directly where no log reaches the branch (a missing signer record, an
 * empty TVS list, the 12.0 rules with a CTL are data of the check).
 */

const A = 'SEP00000000000A';
/** The fixture, built once at load (test-support/fixture.ts: a failure fails every test). */
function build() {
  /** 10.5, mixed mode, then `utils itl reset localkey`: every TFTP node serves the reset ITL (signed by ITLRecovery). */
  const outcome = run([
    install(),
    { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
    { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    { type: 'itl.reset', node: 'pub', key: 'localkey' },
  ]);
  const state: ClusterState = outcome.final.cluster!;
  const [pub, sub] = state.nodes as [ClusterState['nodes'][number], ClusterState['nodes'][number]];
  const phone: PhoneState = outcome.phone(A);
  /** The phone's ITL (pub's, signed by pub's CallManager) and its CTL. */
  const itlPub: StoredItl = state.itls[phone.itl!]!;
  const ctl: StoredItl = state.itls[state.ctl!]!;
  /** Sub's own ITL, signed by sub's CallManager: a CCM+TFTP record of the CTL, no SAST record of the phone's ITL. */
  const itlSub: StoredItl = state.itls[sub.tftp!.normalItl]!;
  /** The reset ITL, signed by ITLRecovery: a SAST record of the phone's ITL, not of the CTL. */
  const resetItl: StoredItl = state.itls[pub.tftp!.resetItl!]!;
  /** Pub's ITL offered again under another hash (a rebuilt file, same signer). */
  const pubAgain: StoredItl = { ...itlPub, sha1: 'pub-again' };
  return { state, pub, sub, phone, itlPub, ctl, itlSub, resetItl, pubAgain, outcome };
}
const { state, pub, sub, phone, itlPub, ctl, itlSub, resetItl, pubAgain } = fixture(build);
const corrupt = (f: StoredItl): StoredItl => ({ ...f, corrupted: true });
const pubName = { id: 'pub', hostname: 'pub' };
const signerOf = (f: StoredItl) => ({ subject: f.signer.subject, serial: f.signer.serial });

/** A check of the 10.x rules, without a CTL unless given. */
function check(over: Partial<ItlCheck> = {}): ItlCheck {
  return {
    phone,
    installed: itlPub,
    candidate: itlSub,
    ctl: null,
    heldCtl: false,
    nodes: state.nodes,
    crypto: symbolicCrypto,
    rules: { from12: false, options: DEFAULT_OPTIONS },
    ...over,
  };
}
const withCtl = (over: Partial<ItlCheck> = {}) => check({ ctl, heldCtl: true, ...over });
const from12 = (options = DEFAULT_OPTIONS) => ({ from12: true, options });

describe('the fixture', () => {
  it('should hold the three signers the rules tell apart', () => {
    expect(itlPub.signer.subject).toBe(pub.certs.CallManager.cert.subject);
    expect(itlSub.signer.subject).toBe(sub.certs.CallManager.cert.subject);
    expect(resetItl.signer.subject).toBe(pub.certs.ITLRecovery!.cert.subject);
  });
});

describe('R0 and R0e, and H2', () => {
  it('should take the first ITL on faith only when the phone held neither an ITL nor a CTL', () => {
    expect(firstTrustList(check({ installed: null }))).toBe(true);
    expect(firstTrustList(check({ installed: null, heldCtl: true }))).toBe(false);
    expect(firstTrustList(check())).toBe(false);
  });

  it('should accept anything over the empty rollback ITL, and nothing on that ground without an ITL', () => {
    expect(holdsRollbackItl(check({ installed: { ...itlPub, rollbackForm: true } }))).toBe(true);
    expect(holdsRollbackItl(check())).toBe(false);
    expect(holdsRollbackItl(check({ installed: null }))).toBe(false);
  });

  it('should find an ITL too large above 39 records or 65535 bytes, not at them', () => {
    const records = (n: number) => Array.from({ length: n }, () => itlSub.records[0]!);
    expect(
      itlTooLarge(check({ candidate: { ...itlSub, records: records(ITL_MAX_RECORDS), length: ITL_MAX_BYTES } })),
    ).toBe(false);
    expect(itlTooLarge(check({ candidate: { ...itlSub, records: records(ITL_MAX_RECORDS + 1) } }))).toBe(true);
    expect(itlTooLarge(check({ candidate: { ...itlSub, length: ITL_MAX_BYTES + 1 } }))).toBe(true);
  });
});

describe('R2 and R3 without a CTL', () => {
  it('should name no SAST record for a signer the ITL holds only under another role', () => {
    expect(recordNaming(ctl, itlPub, [Role.TFTP])).toBeUndefined();
    expect(recordNaming(ctl, itlPub, [Role.SAST])).toMatchObject({ role: Role.SAST, serial: itlPub.signer.serial });
    // Same serial, another issuer: another certificate.
    const otherIssuer = { ...itlPub, signer: { ...itlPub.signer, issuer: 'CN=someone-else' } };
    expect(recordNaming(ctl, otherIssuer, [Role.SAST])).toBeUndefined();
  });

  it('should accept by R2 a file signed by a SAST record of the installed ITL, and give no failure', () => {
    expect(sastVerifies(check({ candidate: pubAgain }))).toBe(true);
    expect(sastFailures(check({ candidate: pubAgain }))).toEqual([]);
  });

  it('should accept by R3 a file TVS vouches for, after R2 failed for its signer', () => {
    expect(sastVerifies(check())).toBe(false);
    expect(tvsVouchesForItl(check())).toBe(true);
    expect(itlFailures(check())).toEqual([{ rule: 'R2', why: 'signerNotSast', signer: signerOf(itlSub) }]);
  });

  it('should refuse a broken signature by R2 and by R3 for its signature, naming the TVS that vouched', () => {
    expect(itlFailures(check({ candidate: corrupt(pubAgain) }))).toEqual([
      { rule: 'R2', why: 'badSignature', signer: signerOf(itlPub) },
      { rule: 'R3', why: 'badSignature', tvs: pubName },
    ]);
  });

  it('should refuse by R3 a signer the first TVS reached does not know', () => {
    const unknown: StoredItl = {
      ...itlSub,
      records: itlSub.records.map((r, i) => (i === itlSub.signer.recordIndex ? { ...r, serial: '0badc0de' } : r)),
      signer: { ...itlSub.signer, serial: '0badc0de' },
    };
    expect(itlFailures(check({ candidate: unknown }))).toEqual([
      { rule: 'R2', why: 'signerNotSast', signer: signerOf(unknown) },
      { rule: 'R3', why: 'unknownSigner', tvs: pubName, signer: signerOf(unknown) },
    ]);
  });

  it('should say the TVS list is empty, or that no TVS on it was reached', () => {
    expect(tvsFailures(check({ phone: { ...phone, tvs: [] } }))).toEqual([{ rule: 'R3', why: 'emptyTvsList' }]);
    expect(tvsFailures(check({ phone: { ...phone, tvs: ['ghost'] } }))).toEqual([
      { rule: 'R3', why: 'noTvsReachable' },
    ]);
  });

  it('should not ask TVS about a file that names no signer record', () => {
    const nameless = { ...itlSub, signer: { ...itlSub.signer, recordIndex: 99 } };
    expect(tvsAnswerForItl(check({ candidate: nameless }))).toBeUndefined();
    expect(tvsFailures(check({ candidate: nameless }))).toEqual([{ rule: 'R3', why: 'noSignerRecord' }]);
  });

  it('should keep R2 on when the shared SAST pool is off (the pool is about a CTL)', () => {
    const rules = { from12: false, options: modelOptions({ sharedSastPool: false }) };
    expect(sastFailures(check({ rules }))).toEqual([{ rule: 'R2', why: 'signerNotSast', signer: signerOf(itlSub) }]);
  });
});

describe('I1, I2 and I3 with a CTL installed', () => {
  it('should accept by I1 a signer that is a CCM+TFTP record of the CTL, and refuse a broken signature', () => {
    expect(ctlVouchesForItl(withCtl())).toBe(true);
    expect(ctlFailures(withCtl())).toEqual([]);
    expect(ctlFailures(withCtl({ candidate: corrupt(itlSub) }))).toEqual([
      { rule: 'I1', why: 'badSignature', signer: signerOf(itlSub) },
    ]);
  });

  it('should give no I1 failure without a CTL, and name a signer the CTL does not hold', () => {
    expect(ctlFailures(check())).toEqual([]);
    expect(ctlFailures(withCtl({ candidate: resetItl }))).toEqual([
      { rule: 'I1', why: 'signerNotInCtl', signer: signerOf(resetItl) },
    ]);
  });

  it('should accept by I2 a SAST record of the installed ITL when the anchors are one pool (A18)', () => {
    expect(itlSastAnchors(withCtl({ candidate: resetItl }))).toBe(true);
    expect(sastFailures(withCtl({ candidate: resetItl }))).toEqual([]);
    expect(sastFailures(withCtl({ candidate: corrupt(resetItl) }))).toEqual([
      { rule: 'I2', why: 'badSignature', signer: signerOf(resetItl) },
    ]);
    expect(sastFailures(withCtl())).toEqual([{ rule: 'I2', why: 'signerNotSast', signer: signerOf(itlSub) }]);
  });

  it('should not take R2 with a CTL, nor I2 when the pool is off, and give no I2 failure then', () => {
    expect(sastVerifies(withCtl({ candidate: pubAgain }))).toBe(false);
    const rules = { from12: false, options: modelOptions({ sharedSastPool: false }) };
    expect(itlSastAnchors(withCtl({ candidate: resetItl, rules }))).toBe(false);
    expect(sastFailures(withCtl({ candidate: resetItl, rules }))).toEqual([]);
    expect(sastFailures(withCtl({ rules }))).toEqual([]);
  });

  it('should give no SAST failure to a phone without an ITL', () => {
    expect(sastFailures(withCtl({ installed: null }))).toEqual([]);
  });

  it('should not ask TVS from 12.0 with a CTL (I3), unless the switch allows it', () => {
    expect(tvsFailures(withCtl({ candidate: corrupt(itlSub), rules: from12() }))).toEqual([
      { rule: 'I3', why: 'noTvsWithCtl' },
    ]);
    expect(tvsVouchesForItl(withCtl({ rules: from12() }))).toBe(false);
    const allowed = from12(modelOptions({ itlViaTvsWithCtl: true }));
    expect(tvsFailures(withCtl({ candidate: corrupt(itlSub), rules: allowed }))).toEqual([
      { rule: 'R3', why: 'badSignature', tvs: pubName },
    ]);
    expect(tvsFailures(check({ candidate: corrupt(itlSub), rules: from12() }))).toEqual([
      { rule: 'R3', why: 'badSignature', tvs: pubName },
    ]);
  });

  it('should reach no TVS for a phone holding only a CTL (no ITL pins one)', () => {
    expect(tvsAnswerForItl(withCtl({ installed: null }))).toBeUndefined();
    expect(tvsVouchesForItl(check({ installed: null }))).toBe(false);
    expect(tvsFailures(withCtl({ installed: null }))).toEqual([{ rule: 'R3', why: 'noTvsReachable' }]);
    expect(itlFailures(withCtl({ installed: null, candidate: resetItl }))).toEqual([
      { rule: 'I1', why: 'signerNotInCtl', signer: signerOf(resetItl) },
      { rule: 'R3', why: 'noTvsReachable' },
    ]);
  });
});
