import { describe, expect, it } from 'vitest';
import { install, logOf } from '../../test-support/scenario.ts';
import type {
  ClusterInstallEvent,
  PhoneAddEvent,
  PhoneDeleteItlEvent,
  PhoneFactoryResetEvent,
  PhonePowerEvent,
  PhoneResetEvent,
} from '../events.ts';
import type { ClusterState } from './clusterState.ts';
import { installCluster } from './install.ts';
import { addPhone, deletePhoneItl, factoryResetPhone, powerPhone, resetPhone } from './phoneEvents.ts';

const A = 'SEP00000000000A';
const [installed, added] = logOf([install(), { type: 'phone.add', phone: A, tftp: 'pub', tvs: ['pub', 'sub'] }]) as [
  ClusterInstallEvent,
  PhoneAddEvent,
];
const at = added.at;
const power = (on: boolean): PhonePowerEvent => ({ type: 'phone.power', at, phone: A, on });
/** A cluster with phone A plugged in (the step's boot not yet taken by the phone). */
const withA: ClusterState = addPhone(installCluster(installed), added).state;
const unplugged: ClusterState = powerPhone(withA, power(false)).state;

describe('phone events (docs/log-format.md)', () => {
  it('should plug in a factory-new phone with no ITL, no configuration and "No Trust List Installed", and boot it at once', () => {
    const step = addPhone(installCluster(installed), added);
    expect(step.boots).toEqual([A]);
    expect(step.state.phones).toHaveLength(1);
    expect(step.state.phones[0]).toMatchObject({
      id: A,
      tftp: 'pub',
      tvs: ['pub', 'sub'],
      online: true,
      itl: null,
      trust: 'noItl',
      status: 'No Trust List Installed',
      configAccepted: false,
      hasConfig: false,
    });
  });

  it('should record a secure profile, and a phone named non-secure as the default one (the same state as no profile)', () => {
    const { securityProfile: _default, ...plainEvent } = added;
    const state = installCluster(installed);
    const plain = addPhone(state, plainEvent).state.phones[0];
    expect(addPhone(state, { ...plainEvent, securityProfile: 'non-secure' }).state.phones[0]).toStrictEqual(plain);
    expect(plain).not.toHaveProperty('securityProfile');
    expect(addPhone(state, { ...plainEvent, securityProfile: 'encrypted' }).state.phones[0]!.securityProfile).toBe(
      'encrypted',
    );
  });

  it('should boot a plugged-in phone on phone.reset, and note that an unplugged one missed it', () => {
    const reset: PhoneResetEvent = { type: 'phone.reset', at, phone: A };
    expect(resetPhone(withA, reset)).toMatchObject({ boots: [A], notes: [] });
    expect(resetPhone(unplugged, reset)).toMatchObject({ boots: [], notes: [{ kind: 'missedReset', phones: [A] }] });
  });

  it('should boot a phone plugged in again, and do nothing when phone.power does not change its power', () => {
    expect(powerPhone(unplugged, power(true)).boots).toEqual([A]);
    expect(powerPhone(withA, power(true)).boots).toEqual([]);
    expect(powerPhone(unplugged, power(false)).boots).toEqual([]);
    expect(powerPhone(withA, power(false)).boots).toEqual([]);
  });

  it('should cancel an automatic restart under way when the phone is unplugged, and keep it when it stays plugged in', () => {
    const until = '2024-03-04T09:04:00.000Z';
    const restarting: ClusterState = { ...withA, phones: [{ ...withA.phones[0]!, restartingUntil: until }] };
    expect(powerPhone(restarting, power(true)).state.phones[0]!.restartingUntil).toBe(until);
    expect(powerPhone(restarting, power(false)).state.phones[0]!.restartingUntil).toBeUndefined();
  });

  it('should erase the ITL on phone.deleteItl and boot the phone only when it is plugged in', () => {
    const del: PhoneDeleteItlEvent = { type: 'phone.deleteItl', at, phone: A };
    expect(deletePhoneItl(withA, del)).toMatchObject({ erase: [A], eraseCtl: [], boots: [A] });
    expect(deletePhoneItl(unplugged, del)).toMatchObject({ erase: [A], eraseCtl: [], boots: [] });
  });

  it('should erase both the ITL and the CTL on phone.factoryReset, and boot the phone only when it is plugged in', () => {
    const reset: PhoneFactoryResetEvent = { type: 'phone.factoryReset', at, phone: A };
    expect(factoryResetPhone(withA, reset)).toMatchObject({ erase: [A], eraseCtl: [A], boots: [A] });
    expect(factoryResetPhone(unplugged, reset)).toMatchObject({ erase: [A], eraseCtl: [A], boots: [] });
  });
});
