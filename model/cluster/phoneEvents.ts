import { produce } from 'immer';
import type {
  DevicesResetEvent,
  PhoneAddEvent,
  PhoneDeleteCtlEvent,
  PhoneDeleteItlEvent,
  PhoneFactoryResetEvent,
  PhonePowerEvent,
  PhoneResetEvent,
  PhoneTftpEvent,
} from '../events.ts';
import type { ClusterState, PhoneState } from './clusterState.ts';
import { onlinePhones } from './certEvents.ts';
import { indexOfPhone, ownPhones, pushPhone, setPhone } from './phoneTable.ts';
import { stepOf, type Step } from './step.ts';

/** Index of a phone by id (by the phone table when the array has one, model/cluster/phoneTable.ts; the array keeps log order). Pure. */
export function phoneIndex(state: ClusterState, id: string): number {
  return indexOfPhone(state.phones, id);
}

/** A state with one phone changed; in an owning fold the phone is written in place (phoneTable.ts). Pure. */
function updatePhone(state: ClusterState, id: string, update: (phone: PhoneState) => void): ClusterState {
  const phones = ownPhones(state);
  if (!phones) return produce(state, (draft) => update(draft.phones[phoneIndex(state, id)]!));
  const i = indexOfPhone(phones, id);
  setPhone(phones, i, produce(phones[i]!, update));
  return { ...state, phones };
}

/** `phone.add`: a factory-new phone is plugged in and boots. Pure. */
export function addPhone(state: ClusterState, event: PhoneAddEvent): Step {
  const phone: PhoneState = {
    id: event.phone,
    tftp: event.tftp,
    tvs: event.tvs,
    firmware: event.firmware,
    online: true,
    itl: null,
    trust: 'noItl',
    status: 'No Trust List Installed',
    configAccepted: false,
    hasConfig: false,
    ...(event.sbd === false ? { sbd: false as const } : {}),
    ...(event.securityProfile && event.securityProfile !== 'non-secure'
      ? { securityProfile: event.securityProfile }
      : {}),
  };
  const phones = ownPhones(state);
  if (phones) pushPhone(phones, phone);
  const next = phones ? { ...state, phones } : produce(state, (draft) => void draft.phones.push(phone));
  return stepOf(next, { boots: [event.phone] });
}

/** `phone.reset`: one phone reboots; an unplugged phone misses it. Pure. */
export function resetPhone(state: ClusterState, event: PhoneResetEvent): Step {
  const phone = state.phones[phoneIndex(state, event.phone)]!;
  if (!phone.online) return stepOf(state, { notes: [{ kind: 'missedReset', phones: [event.phone] }] });
  return stepOf(state, { boots: [event.phone] });
}

/** `devices.reset`: Enterprise Parameters > Reset; every powered-on phone reboots. Pure. */
export function resetDevices(state: ClusterState, _event: DevicesResetEvent): Step {
  const boots = onlinePhones(state);
  const missed = state.phones.filter((p) => !p.online).map((p) => p.id);
  return stepOf(state, { boots, notes: missed.length ? [{ kind: 'missedReset', phones: missed }] : [] });
}

/** `phone.power`: unplugged phones miss resets; plugging one in boots it. Pure. */
export function powerPhone(state: ClusterState, event: PhonePowerEvent): Step {
  const wasOnline = state.phones[phoneIndex(state, event.phone)]!.online;
  const next = updatePhone(state, event.phone, (p) => {
    p.online = event.on;
    // Unplugged while restarting: it boots when plugged in again, not at the end of the restart.
    if (!event.on) delete p.restartingUntil;
  });
  return stepOf(next, { boots: event.on && !wasOnline ? [event.phone] : [] });
}

/** `phone.deleteItl`: the ITL is erased from the settings menu and the phone restarts (docs/rules.md §12). Pure. */
export function deletePhoneItl(state: ClusterState, event: PhoneDeleteItlEvent): Step {
  const online = state.phones[phoneIndex(state, event.phone)]!.online;
  return stepOf(state, { erase: [event.phone], boots: online ? [event.phone] : [] });
}

/** `phone.deleteCtl`: the CTL is erased from the settings menu and the phone restarts; it takes the next CTL on first sight (C0, A20). Pure. */
export function deletePhoneCtl(state: ClusterState, event: PhoneDeleteCtlEvent): Step {
  const online = state.phones[phoneIndex(state, event.phone)]!.online;
  return stepOf(state, { eraseCtl: [event.phone], boots: online ? [event.phone] : [] });
}

/** `phone.factoryReset`: ITL and CTL erased, the phone restarts (RENEW15 option 1). Pure. */
export function factoryResetPhone(state: ClusterState, event: PhoneFactoryResetEvent): Step {
  const online = state.phones[phoneIndex(state, event.phone)]!.online;
  return stepOf(state, { erase: [event.phone], eraseCtl: [event.phone], boots: online ? [event.phone] : [] });
}

/** `phone.tftp`: option 150 changes; the phone uses the new server from its next reset. Pure. */
export function changePhoneTftp(state: ClusterState, event: PhoneTftpEvent): Step {
  return stepOf(updatePhone(state, event.phone, (p) => void (p.pendingTftp = event.tftp)));
}
