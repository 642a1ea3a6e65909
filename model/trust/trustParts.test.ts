import { describe, expect, it } from 'vitest';
import type { Certificate } from '../certs/certificate.ts';
import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import type { RecordSummary, StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { install, run } from '../../test-support/scenario.ts';
import { fixture } from '../../test-support/fixture.ts';
import { askTvs } from './askTvs.ts';
import { configAccepted, phoneTrust } from './boot.ts';
import { trustCrypto } from './cryptos.ts';
import { realCrypto } from './realCrypto.ts';
import { attemptFailures } from './ruleFailures.ts';
import { secureRegistration } from './secureRegistration.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';
import { answersWithSast, storeKey, tvsStore } from './tvsStore.ts';

/*
 * The small parts the phone's rules are made of, each against the rule of docs/rules.md it states:
 * which signed configuration a phone applies (§3.3), A27's secure registration, TVS's store and its
 * walk (A1, A3, A17, Q7, Q8, T1–T4), the two cryptos, and the reported trust of both regions.
 */

const A = 'SEP00000000000A';
/** The fixture, built once at load (test-support/fixture.ts: a failure fails every test). */
function build() {
  /** A 10.5 cluster in mixed mode; then sub's CallManager is regenerated (the CTL is not rewritten) and an attacker answers for sub. */
  const outcome = run([
    install(),
    { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
    { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    { type: 'cert.regenerate', node: 'sub', cert: 'CallManager' },
    { type: 'tftp.forge', node: 'sub', after: 10 },
  ]);
  const state: ClusterState = outcome.final.cluster!;
  const [pub, sub] = state.nodes as [ClusterState['nodes'][number], ClusterState['nodes'][number]];
  const phone: PhoneState = outcome.phone(A);
  const itl: StoredItl = state.itls[phone.itl!]!;
  const ctl: StoredItl = state.itls[state.ctl!]!;
  const pubCm = pub.certs.CallManager.cert;
  const pubTvs = pub.certs.TVS.cert;
  const subCm = sub.certs.CallManager.cert;
  const recovery = pub.certs.ITLRecovery!.cert;
  const attacker = sub.tftp!.forgery!.identity.cert;
  return { state, pub, sub, phone, itl, ctl, pubCm, pubTvs, subCm, recovery, attacker, outcome };
}
const { state, phone, itl, ctl, pubCm, pubTvs, subCm, recovery, attacker } = fixture(build);
const pubName = { id: 'pub', hostname: 'pub' };
const subName = { id: 'sub', hostname: 'sub' };

/** A file with its records replaced (the other fields kept). */
const withRecords = (file: StoredItl, records: RecordSummary[]): StoredItl => ({ ...file, records });
/** A record of `role` naming a certificate. */
const recordOf = (role: number, c: Certificate): RecordSummary => ({
  role,
  subject: c.subject,
  issuer: c.issuer,
  serial: c.serial,
  certSha1: c.sha1,
  cert: c.der,
});
const question = (c: Certificate) => ({ subject: c.subject, issuer: c.issuer, serial: c.serial, certSha1: c.sha1 });
const noTvs: PhoneState = { ...phone, tvs: [] };

describe('the fixture', () => {
  it('should hold an ITL naming pub CallManager as TFTP, and a CTL without sub new CallManager', () => {
    expect(itl.records.some((r) => r.role === Role.TFTP && r.certSha1 === pubCm.sha1)).toBe(true);
    expect(ctl.records.some((r) => r.role === Role.CCM_TFTP && r.certSha1 === pubCm.sha1)).toBe(true);
    expect(ctl.records.some((r) => r.certSha1 === subCm.sha1)).toBe(false);
  });
});

describe('configAccepted (docs/rules.md §5: whose signed configuration the phone applies)', () => {
  it('should accept any signer when the phone holds neither an ITL nor a CTL', () => {
    expect(configAccepted(null, noTvs, state.nodes, attacker, null)).toBe(true);
  });

  it('should accept any signer when the phone holds the empty rollback ITL (R0e)', () => {
    expect(configAccepted({ ...itl, rollbackForm: true }, noTvs, state.nodes, attacker, null)).toBe(true);
    expect(configAccepted(itl, noTvs, state.nodes, attacker, null)).toBe(false);
  });

  it('should accept a signer that is a CCM+TFTP or a TFTP record of the CTL, without an ITL (a device without SBD)', () => {
    expect(configAccepted(null, noTvs, state.nodes, pubCm, ctl)).toBe(true);
    const tftpOnly = withRecords(ctl, [recordOf(Role.SAST, recovery), recordOf(Role.TFTP, pubCm)]);
    expect(configAccepted(null, noTvs, state.nodes, pubCm, tftpOnly)).toBe(true);
  });

  it('should refuse, without an ITL, a signer the CTL holds only as SAST or CCM, or not at all', () => {
    const sastOnly = withRecords(ctl, [recordOf(Role.SAST, pubCm), recordOf(Role.CCM, pubCm)]);
    expect(configAccepted(null, noTvs, state.nodes, pubCm, sastOnly)).toBe(false);
    expect(configAccepted(null, noTvs, state.nodes, subCm, ctl)).toBe(false);
    expect(configAccepted(null, noTvs, state.nodes, attacker, ctl)).toBe(false);
  });

  it('should name the signer exactly: a record with another serial, issuer or hash is not its record', () => {
    for (const other of [
      { ...pubCm, serial: '01' },
      { ...pubCm, issuer: 'CN=other' },
      { ...pubCm, sha1: '00'.repeat(20) },
    ]) {
      expect(configAccepted(null, noTvs, state.nodes, other, ctl)).toBe(false);
      expect(configAccepted(itl, noTvs, state.nodes, other, null)).toBe(false);
    }
  });

  it('should accept a signer that is a TFTP or CCM+TFTP record of the ITL, with no TVS to ask', () => {
    expect(configAccepted(itl, noTvs, state.nodes, pubCm, null)).toBe(true);
    const ccmTftp = withRecords(itl, [recordOf(Role.SAST, recovery), recordOf(Role.CCM_TFTP, pubCm)]);
    expect(configAccepted(ccmTftp, noTvs, state.nodes, pubCm, null)).toBe(true);
  });

  it('should not take a SAST record of the ITL as the configuration signer, with no TVS to ask', () => {
    const sastOnly = withRecords(itl, [recordOf(Role.SAST, pubCm), recordOf(Role.TVS, pubTvs)]);
    expect(configAccepted(sastOnly, noTvs, state.nodes, pubCm, null)).toBe(false);
  });

  it('should accept a signer the ITL does not name when a TVS the phone authenticates vouches for it', () => {
    // sub's new CallManager is in no file the phone holds; pub's TVS (pinned by the ITL) knows it.
    expect(configAccepted(itl, phone, state.nodes, subCm, null)).toBe(true);
    expect(configAccepted(itl, noTvs, state.nodes, subCm, null)).toBe(false);
    // The attacker's certificate is known to no TVS.
    expect(configAccepted(itl, phone, state.nodes, attacker, ctl)).toBe(false);
  });
});

describe('secureRegistration (A27)', () => {
  const secure = (p: PhoneState): PhoneState => ({ ...p, securityProfile: 'encrypted' });
  const withCtl = (file: StoredItl): ClusterState => ({ ...state, itls: { ...state.itls, [phone.ctl!.file]: file } });

  it('should say nothing for a non-secure profile', () => {
    expect(secureRegistration(state, phone)).toBeUndefined();
  });

  it('should register a secure phone whose CTL holds the CallManager of the first node of its group', () => {
    expect(secureRegistration(state, secure(phone))).toBe(true);
  });

  it('should not register it with a node whose CallManager changed since the CTL was written', () => {
    expect(secureRegistration(state, secure({ ...phone, tvs: ['sub', 'pub'] }))).toBe(false);
  });

  it('should not register a secure phone without a CTL, or whose group names no node', () => {
    expect(secureRegistration(state, secure({ ...phone, ctl: undefined }))).toBe(false);
    expect(secureRegistration(state, secure({ ...phone, tvs: ['ghost'] }))).toBe(false);
  });

  it('should count the CallManager only as a CCM or CCM+TFTP record, with its serial and its hash', () => {
    const only = (r: RecordSummary) => secureRegistration(withCtl(withRecords(ctl, [r])), secure(phone));
    expect(only(recordOf(Role.CCM, pubCm))).toBe(true);
    expect(only(recordOf(Role.CCM_TFTP, pubCm))).toBe(true);
    expect(only(recordOf(Role.SAST, pubCm))).toBe(false);
    expect(only(recordOf(Role.TFTP, pubCm))).toBe(false);
    expect(only({ ...recordOf(Role.CCM, pubCm), serial: '01' })).toBe(false);
    expect(only({ ...recordOf(Role.CCM, pubCm), certSha1: '00'.repeat(20) })).toBe(false);
  });
});

describe('tvsStore (A1, A17) and the roles TVS answers with (T1–T4)', () => {
  const key = (c: Certificate) => storeKey(c.issuer, c.serial);

  it('should hold every node current certificates, the ITLRecovery one by default', () => {
    const store = tvsStore(state.nodes);
    expect(store.get(key(recovery))).toEqual({ cert: recovery, kind: 'ITLRecovery' });
    expect(store.get(key(subCm))).toEqual({ cert: subCm, kind: 'CallManager' });
    expect(store.get(key(pubTvs))).toEqual({ cert: pubTvs, kind: 'TVS' });
    expect(store.get(key(attacker))).toBeUndefined();
  });

  it('should leave out the cluster own ITLRecovery under the conservative reading (X1)', () => {
    expect(tvsStore(state.nodes, false).get(key(recovery))).toBeUndefined();
    expect(tvsStore(state.nodes, false).get(key(pubCm))).toEqual({ cert: pubCm, kind: 'CallManager' });
  });

  it('should answer CallManager and ITLRecovery with the SAST role, TVS and CAPF without', () => {
    expect(answersWithSast('CallManager')).toBe(true);
    expect(answersWithSast('ITLRecovery')).toBe(true);
    expect(answersWithSast('TVS')).toBe(false);
    expect(answersWithSast('CAPF')).toBe(false);
  });
});

describe('askTvs (R3: the walk down the TVS list)', () => {
  it('should vouch for the cluster own ITLRecovery by default (A17)', () => {
    expect(askTvs(['pub'], itl, state.nodes, question(recovery))).toEqual({
      status: 'valid',
      via: pubName,
      cert: recovery,
      kind: 'ITLRecovery',
      attempts: [],
    });
    expect(askTvs(['pub'], itl, state.nodes, question(recovery), false)).toMatchObject({ status: 'invalid' });
  });

  it('should skip a name that is no node of the cluster and ask the next', () => {
    expect(askTvs(['ghost', 'sub'], itl, state.nodes, question(subCm))).toEqual({
      status: 'valid',
      via: subName,
      cert: subCm,
      kind: 'CallManager',
      attempts: [],
    });
  });

  it('should answer invalid, with the attempt that says why, for a certificate TVS knows by issuer and serial but not by hash (Q8)', () => {
    const forgedTwin = { ...question(pubCm), certSha1: attacker.sha1 };
    expect(askTvs(['pub', 'sub'], itl, state.nodes, forgedTwin)).toEqual({
      status: 'invalid',
      via: pubName,
      attempts: [{ result: 'unknownSigner', tvs: pubName, signer: { subject: pubCm.subject, serial: pubCm.serial } }],
    });
  });

  it('should fail TLS with every TVS whose certificate the ITL does not pin, and then be unreachable (Q7, A3)', () => {
    const unpinned = withRecords(
      itl,
      itl.records.filter((r) => r.role !== Role.TVS),
    );
    expect(askTvs(['pub', 'sub'], unpinned, state.nodes, question(pubCm))).toEqual({
      status: 'unreachable',
      attempts: [
        { result: 'tlsFailed', tvs: pubName },
        { result: 'tlsFailed', tvs: subName },
      ],
    });
  });
});

describe('attemptFailures', () => {
  it('should turn each TVS attempt into its R3 failure, in order', () => {
    const signer = { subject: 'CN=x', serial: '0a' };
    expect(
      attemptFailures([
        { result: 'tlsFailed', tvs: pubName },
        { result: 'unknownSigner', tvs: subName, signer },
      ]),
    ).toEqual([
      { rule: 'R3', why: 'tlsFailed', tvs: pubName },
      { rule: 'R3', why: 'unknownSigner', tvs: subName, signer },
    ]);
  });
});

describe('the two cryptos', () => {
  it('should select each crypto by its name', () => {
    expect(trustCrypto('symbolic')).toBe(symbolicCrypto);
    expect(trustCrypto('real')).toBe(realCrypto);
    expect(symbolicCrypto.name).toBe('symbolic');
    expect(realCrypto.name).toBe('real');
  });

  it('should not verify an ITL with a certificate given without its DER (real RSA needs the key)', () => {
    // realCrypto caches a verdict per (file, certificate) hash pair, and the replay above verified the
    // fixture's files already: two copies under hashes never asked about before.
    expect(realCrypto.itlSignedBy({ ...itl, sha1: 'never-asked-1' }, { sha1: pubCm.sha1 })).toBe(false);
    expect(realCrypto.itlSignedBy({ ...itl, sha1: 'never-asked-2' }, { sha1: pubCm.sha1, der: pubCm.der })).toBe(true);
  });

  it('should verify symbolically only an intact file with a signer record, with that record certificate', () => {
    expect(symbolicCrypto.itlSignedBy(itl, { sha1: pubCm.sha1 })).toBe(true);
    expect(symbolicCrypto.itlSignedBy({ ...itl, corrupted: true }, { sha1: pubCm.sha1 })).toBe(false);
    expect(
      symbolicCrypto.itlSignedBy({ ...itl, signer: { ...itl.signer, recordIndex: 99 } }, { sha1: pubCm.sha1 }),
    ).toBe(false);
    expect(symbolicCrypto.itlSignedBy(itl, { sha1: subCm.sha1 })).toBe(false);
  });
});

describe('phoneTrust (what the phone reports, both regions together)', () => {
  const ctlIn = (state: 'installed' | 'rejected') => ({ ...phone.ctl!, state });

  it('should report a device without SBD by its CTL alone', () => {
    expect(phoneTrust({ ...phone, sbd: false, trust: 'trusted', ctl: ctlIn('rejected') })).toBe('locked');
    expect(phoneTrust({ ...phone, sbd: false, trust: 'locked', ctl: ctlIn('installed') })).toBe('trusted');
    expect(phoneTrust({ ...phone, sbd: false, trust: 'trusted', ctl: undefined })).toBe('noItl');
  });

  it('should report locked when the last CTL was rejected, else the ITL region', () => {
    expect(phoneTrust({ ...phone, trust: 'trusted', ctl: ctlIn('rejected') })).toBe('locked');
    expect(phoneTrust({ ...phone, trust: 'noItl', ctl: ctlIn('installed') })).toBe('noItl');
  });
});
