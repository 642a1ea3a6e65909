import { describe, expect, it } from 'vitest';
import type { Certificate } from '../certs/certificate.ts';
import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { install, run } from '../../test-support/scenario.ts';
import { fixture } from '../../test-support/fixture.ts';
import { acceptItl, bootOf, bootWithoutItl, cannotLoadItl, eraseCtl, eraseItl, rejectItl, type Boot } from './boot.ts';
import { phoneStep, tidyPhone } from './phoneStep.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';

/*
 * What a phone is left with after each outcome of its ITL step (docs/rules.md §4, §5, §12,
 * §16): the whole phone, its decision and why, its status line, whether it applied its
 * configuration and whether it ever had one, when it locked and recovered.
 */

const A = 'SEP00000000000A';
const pubName = { id: 'pub', hostname: 'pub' };
const signerOf = (f: StoredItl) => ({ subject: f.signer.subject, serial: f.signer.serial });
/** The fixture, built once at load (test-support/fixture.ts: a failure fails every test). */
function build() {
  /** 10.5 in mixed mode; A holds pub's ITL and the CTL; then `utils itl reset localkey`: pub serves the reset ITL. */
  const outcome = run([
    install(),
    { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] },
    { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
    { type: 'phone.reset', phone: A },
    { type: 'itl.reset', node: 'pub', key: 'localkey' },
  ]);
  const state: ClusterState = outcome.final.cluster!;
  const [pub, sub] = state.nodes as [ClusterState['nodes'][number], ClusterState['nodes'][number]];
  const phone: PhoneState = outcome.phone(A);
  const itlPub: StoredItl = state.itls[phone.itl!]!;
  const itlSub: StoredItl = state.itls[sub.tftp!.normalItl]!;
  const resetItl: StoredItl = state.itls[pub.tftp!.resetItl!]!;
  /** A boot at event 6: pub offers the reset ITL; A holds a CTL. */
  const boot: Boot = bootOf(state, phone, 6, symbolicCrypto);
  /** The same without a CTL, offered sub's ITL (R2 fails for its signer; TVS vouches for it). */
  const bootNoCtl: Boot = { ...boot, ctl: null, heldCtl: false, candidate: itlSub };
  /** A certificate no file and no TVS knows: a configuration it signs is not applied. */
  const stranger: Certificate = { ...pub.certs.CallManager.cert, serial: '0badc0de', sha1: '00'.repeat(20) };
  return { state, pub, sub, phone, itlPub, itlSub, resetItl, boot, bootNoCtl, stranger, outcome };
}
const { state, pub, sub, phone, itlPub, itlSub, resetItl, boot, bootNoCtl, stranger } = fixture(build);

describe('bootOf', () => {
  it('should take the phone as holding a CTL at the start of the boot when it holds one, unless told', () => {
    expect(boot).toMatchObject({ heldCtl: true, installed: itlPub, candidate: resetItl, tftp: 'pub', event: 6 });
    expect(bootOf(state, { ...phone, ctl: undefined }, 6, symbolicCrypto)).toMatchObject({ heldCtl: false, ctl: null });
    expect(bootOf(state, phone, 6, symbolicCrypto, false).heldCtl).toBe(false);
  });

  it('should boot from a pending TFTP server, and check the configuration against that node CallManager', () => {
    const moved = bootOf(state, { ...phone, pendingTftp: 'sub' }, 6, symbolicCrypto);
    expect(moved).toMatchObject({ tftp: 'sub', phone: { tftp: 'sub' }, configSigner: sub.certs.CallManager.cert });
    expect(boot.configSigner).toEqual(pub.certs.CallManager.cert);
  });
});

describe('acceptItl', () => {
  it('should install the file, trust it, say why I1 did not take it when I2 did, and apply the configuration', () => {
    expect(acceptItl(phone, boot, 'I2')).toEqual({
      ...phone,
      itl: resetItl.sha1,
      trust: 'trusted',
      status: 'Trust List Updated',
      lastDecision: {
        rule: 'I2',
        failures: [{ rule: 'I1', why: 'signerNotInCtl', signer: signerOf(resetItl) }],
        event: 6,
      },
      configAccepted: true,
      hasConfig: true,
    });
  });

  it('should keep, when R3 accepts, why R2 did not (and not the TVS walk), and nothing for R0, R0e, R2, I1', () => {
    expect(acceptItl(phone, bootNoCtl, 'R3').lastDecision).toEqual({
      rule: 'R3',
      failures: [{ rule: 'R2', why: 'signerNotSast', signer: signerOf(itlSub) }],
      event: 6,
    });
    for (const rule of ['R0', 'R0e', 'R2', 'I1'] as const)
      expect(acceptItl(phone, boot, rule).lastDecision).toEqual({ rule, failures: [], event: 6 });
  });

  it('should keep the status line when the same file is accepted again by a trusting phone', () => {
    const same = { ...boot, candidate: itlPub };
    expect(acceptItl({ ...phone, status: 'CTL Installed' }, same, 'I1').status).toBe('CTL Installed');
    expect(acceptItl({ ...phone, trust: 'locked', status: 'Trust List Update Failed' }, same, 'I1').status).toBe(
      'Trust List Updated',
    );
  });

  it('should keep CTL update failed while the last CTL was rejected, also when the ITL changes', () => {
    const rejected = { ...phone, status: 'CTL update failed', ctl: { ...phone.ctl!, state: 'rejected' as const } };
    expect(acceptItl(rejected, boot, 'I2').status).toBe('CTL update failed');
  });

  it('should not apply a configuration signed by a stranger, and remember whether one was ever applied', () => {
    const unsigned = { ...boot, configSigner: stranger };
    const bare = { ...phone, tvs: [] };
    expect(acceptItl({ ...bare, hasConfig: false }, unsigned, 'I2')).toMatchObject({
      configAccepted: false,
      hasConfig: false,
    });
    expect(acceptItl({ ...bare, hasConfig: true }, unsigned, 'I2')).toMatchObject({
      configAccepted: false,
      hasConfig: true,
    });
    expect(acceptItl({ ...bare, hasConfig: false }, boot, 'I2')).toMatchObject({
      configAccepted: true,
      hasConfig: true,
    });
  });

  it('should end a pending TFTP change, a restart and an unloadable ITL with the boot', () => {
    const busy = {
      ...phone,
      pendingTftp: 'pub',
      restartingUntil: '2024-03-04T09:30:00.000Z',
      unloadableItl: 'f'.repeat(40),
    };
    expect(tidyPhone(acceptItl(busy, boot, 'I2'))).toEqual(tidyPhone(acceptItl(phone, boot, 'I2')));
    const after = tidyPhone(acceptItl(busy, boot, 'I2'));
    expect(['pendingTftp', 'restartingUntil', 'unloadableItl'].filter((k) => k in after)).toEqual([]);
  });
});

describe('markRecovered (through acceptItl)', () => {
  it('should not mark a phone that never locked as recovered', () => {
    expect('recoveredAt' in acceptItl(phone, boot, 'I2')).toBe(false);
  });

  it('should mark recovery at the first trusting boot after the last lock, also when it locked again in the event it recovered', () => {
    expect(acceptItl({ ...phone, trust: 'locked', lockedAt: 4 }, boot, 'I2').recoveredAt).toBe(6);
    // CTL accepted (recovered at 4), then the ITL rejected in the same boot (locked at 4): locked since.
    expect(acceptItl({ ...phone, trust: 'locked', lockedAt: 4, recoveredAt: 4 }, boot, 'I2').recoveredAt).toBe(6);
    expect(acceptItl({ ...phone, lockedAt: 3, recoveredAt: 4 }, boot, 'I2').recoveredAt).toBe(4);
  });
});

describe('rejectItl', () => {
  it('should lock, keep its ITL, and say I3 with a CTL: each rule that did not take the file, and why', () => {
    const offered = { ...boot, candidate: { ...itlSub, corrupted: true as const } };
    expect(rejectItl(phone, offered)).toEqual({
      ...phone,
      trust: 'locked',
      status: 'Trust List Update Failed',
      lastDecision: {
        rule: 'I3',
        failures: [
          { rule: 'I1', why: 'badSignature', signer: signerOf(itlSub) },
          { rule: 'I2', why: 'signerNotSast', signer: signerOf(itlSub) },
          { rule: 'R3', why: 'badSignature', tvs: pubName },
        ],
        event: 6,
      },
      configAccepted: true,
      hasConfig: true,
      lockedAt: 6,
    });
  });

  it('should say R4 without a CTL, and keep the time of the first lock', () => {
    const offered = { ...bootNoCtl, candidate: { ...itlSub, corrupted: true as const } };
    const noCtl = { ...phone, ctl: undefined };
    expect(rejectItl(noCtl, offered).lastDecision).toEqual({
      rule: 'R4',
      failures: [
        { rule: 'R2', why: 'signerNotSast', signer: signerOf(itlSub) },
        { rule: 'R3', why: 'badSignature', tvs: pubName },
      ],
      event: 6,
    });
    expect(rejectItl({ ...noCtl, trust: 'locked', lockedAt: 3 }, offered).lockedAt).toBe(3);
  });

  it('should check the configuration against the ITL it keeps, and remember whether one was ever applied', () => {
    const unsigned = { ...boot, configSigner: stranger };
    const bare = { ...phone, tvs: [] };
    expect(rejectItl({ ...bare, hasConfig: false }, unsigned)).toMatchObject({
      configAccepted: false,
      hasConfig: false,
    });
    expect(rejectItl({ ...bare, hasConfig: true }, unsigned)).toMatchObject({ configAccepted: false, hasConfig: true });
    expect(rejectItl({ ...bare, hasConfig: false }, boot)).toMatchObject({ configAccepted: true, hasConfig: true });
  });
});

describe("phoneStep's ITL step for a phone with no ITL (the model's own fold, without a machine)", () => {
  /** Phone `p` (no ITL installed) boots through the fold and is offered sub's ITL, broken, by `base`'s node. */
  const offerBroken = (p: PhoneState, base: Boot) =>
    phoneStep(p, {
      type: 'BOOT',
      boot: { ...base, phone: p, installed: null, candidate: { ...itlSub, corrupted: true as const } },
    });

  it('should not take an ITL on faith (R0) while the phone holds a CTL: the CTL must vouch for it (I3 here)', () => {
    const after = offerBroken({ ...phone, itl: null, trust: 'noItl' }, boot);
    expect(after.lastDecision?.rule).toBe('I3');
    expect(after.trust).toBe('locked');
    expect(after.itl).toBeNull();
  });

  it('should take the first ITL on faith (R0) when the phone holds neither file', () => {
    const after = offerBroken({ ...phone, itl: null, trust: 'noItl', ctl: undefined }, bootNoCtl);
    expect(after.lastDecision?.rule).toBe('R0');
    expect(after.itl).toBe(itlSub.sha1);
  });
});

describe('cannotLoadItl (H2), bootWithoutItl (A26), eraseItl and eraseCtl', () => {
  it('should keep its ITL, trust and decision, show ITL File too large and remember the file it could not load', () => {
    expect(cannotLoadItl({ ...phone, pendingTftp: 'pub' }, boot)).toEqual({
      ...phone,
      status: 'ITL File too large',
      unloadableItl: resetItl.sha1,
    });
  });

  it('should check a device without SBD against its CTL alone, and remember whether it ever had a configuration', () => {
    const device = { ...phone, itl: null, trust: 'noItl' as const, sbd: false as const };
    expect(bootWithoutItl({ ...device, hasConfig: false }, boot)).toEqual({
      ...device,
      configAccepted: true,
      hasConfig: true,
    });
    const unsigned = { ...boot, configSigner: stranger };
    expect(bootWithoutItl({ ...device, hasConfig: false }, unsigned)).toEqual({
      ...device,
      configAccepted: false,
      hasConfig: false,
    });
    expect(bootWithoutItl({ ...device, hasConfig: true }, unsigned)).toEqual({
      ...device,
      configAccepted: false,
      hasConfig: true,
    });
  });

  it('should erase the ITL back to R0 and say so', () => {
    expect(eraseItl(phone)).toEqual({ ...phone, itl: null, trust: 'noItl', status: 'Erasing CTL and ITL files' });
  });

  it('should leave a phone with neither file at noItl when its CTL is erased, and keep the ITL trust otherwise', () => {
    const { ctl: _ctl, ...withoutCtl } = phone;
    expect(eraseCtl(phone)).toEqual({ ...withoutCtl, status: 'Erasing CTL and ITL files' });
    expect(eraseCtl({ ...phone, itl: null, trust: 'locked' })).toEqual({
      ...withoutCtl,
      itl: null,
      trust: 'noItl',
      status: 'Erasing CTL and ITL files',
    });
  });
});
