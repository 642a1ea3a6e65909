import type { PhoneState } from '../cluster/clusterState.ts';
import { acceptItl, eraseItl, rejectItl, type Boot } from './boot.ts';
import { sastVerifies, tvsVouchesForItl } from './itlRules.ts';

/**
 * What a phone reacts to: a boot (reset, power on, first plug-in, the end of an automatic restart),
 * the ITL erased from its menu, or an automatic reset that starts a restart ending at `until` (A14).
 */
export type PhoneEvent = { type: 'BOOT'; boot: Boot } | { type: 'ERASE' } | { type: 'RESTART'; until: string };

/** A14: a phone that is restarting is not registered, so a further automatic reset does not reach it. Pure. */
export function reachable(phone: PhoneState): boolean {
  return phone.online && phone.restartingUntil === undefined;
}

/**
 * The model's own decision of one phone event, without a machine: a boot goes through R0 (no ITL),
 * then R2, then R3, else R4 (docs/rules.md §4). The phone machine decides the same with its states
 * and guards; a property keeps the two equal. Pure.
 */
export function phoneStep(phone: PhoneState, event: PhoneEvent): PhoneState {
  switch (event.type) {
    case 'ERASE':
      return tidyPhone(eraseItl(phone));
    case 'RESTART':
      return reachable(phone) ? tidyPhone({ ...phone, restartingUntil: event.until }) : phone;
    case 'BOOT': {
      if (phone.trust === 'noItl') return tidyPhone(acceptItl(phone, event.boot, 'R0'));
      if (sastVerifies(event.boot)) return tidyPhone(acceptItl(phone, event.boot, 'R2'));
      if (tvsVouchesForItl(event.boot)) return tidyPhone(acceptItl(phone, event.boot, 'R3'));
      return tidyPhone(rejectItl(phone, event.boot));
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * A phone as the replay keeps it: a boot clears `pendingTftp` and `restartingUntil` by setting them
 * undefined (an assign merges), so they are left out here, and a JSON round trip gives the same
 * object. A fresh literal, not `delete`, which would put every phone object in V8's slow dictionary
 * mode. `trust` is the phone machine's state when it decided (the machine's value, not its context). Pure.
 */
export function tidyPhone(phone: PhoneState, trust: PhoneState['trust'] = phone.trust): PhoneState {
  // Most boots: nothing to drop and the trust already recorded, so the phone is kept as it is (no copy).
  if (trust === phone.trust && !('pendingTftp' in phone) && !('restartingUntil' in phone)) return phone;
  const { pendingTftp, restartingUntil, ...rest } = phone;
  // A fresh literal: the object rest of a destructuring is a slow object for V8, and spreading it into a literal
  // gives a fast one (mutating `rest` instead made every later boot of the phone 50% slower).
  const after: PhoneState = { ...rest, trust };
  if (pendingTftp !== undefined) after.pendingTftp = pendingTftp;
  if (restartingUntil !== undefined) after.restartingUntil = restartingUntil;
  return after;
}
