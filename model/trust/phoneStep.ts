import type { PhoneState } from '../cluster/clusterState.ts';
import {
  acceptCtl,
  acceptItl,
  bootWithoutItl,
  cannotLoadItl,
  eraseCtl,
  eraseItl,
  rejectCtl,
  rejectItl,
  type Boot,
  type CtlBoot,
} from './boot.ts';
import { ctlAnchored, sameCtl, tvsVouchesForCtl } from './ctlRules.ts';
import {
  ctlVouchesForItl,
  firstTrustList,
  holdsCtl,
  holdsRollbackItl,
  itlTooLarge,
  itlSastAnchors,
  sastVerifies,
  tvsVouchesForItl,
} from './itlRules.ts';

/**
 * What a phone reacts to: its CTL step and its ITL step of a boot (reset, power on, first plug-in,
 * the end of an automatic restart; in mixed mode the CTL comes first, docs/rules.md §16), the ITL or
 * the CTL erased, or an automatic reset that starts a restart ending at `until` (A14).
 */
export type PhoneEvent =
  | { type: 'CTL'; boot: CtlBoot }
  | { type: 'BOOT'; boot: Boot }
  | { type: 'ERASE' }
  | { type: 'ERASE_CTL' }
  | { type: 'RESTART'; until: string };

/** A14: a phone that is restarting is not registered, so a further automatic reset does not reach it. Pure. */
export function reachable(phone: PhoneState): boolean {
  return phone.online && phone.restartingUntil === undefined;
}

/** The model's own decision of a CTL step (C0–C3). Pure. */
function ctlStep(phone: PhoneState, boot: CtlBoot): PhoneState {
  if (!phone.ctl) return acceptCtl(phone, boot, 'C0');
  // The file it holds, offered again: nothing to decide (after a rejection, it is back to the file it holds).
  if (sameCtl(boot)) return phone.ctl.state === 'installed' ? phone : acceptCtl(phone, boot, 'C1');
  if (ctlAnchored(boot)) return acceptCtl(phone, boot, 'C1');
  if (tvsVouchesForCtl(boot)) return acceptCtl(phone, boot, 'C2');
  return rejectCtl(phone, boot);
}

/** The model's own decision of an ITL step: R0, R0e, then I1, I2 (with a CTL) or R2, then R3, else reject. Pure. */
function itlStep(phone: PhoneState, boot: Boot): PhoneState {
  if (phone.sbd === false) return bootWithoutItl(phone, boot);
  if (itlTooLarge(boot)) return cannotLoadItl(phone, boot);
  if (phone.trust === 'noItl' && firstTrustList(boot)) return acceptItl(phone, boot, 'R0');
  if (holdsRollbackItl(boot)) return acceptItl(phone, boot, 'R0e');
  if (ctlVouchesForItl(boot)) return acceptItl(phone, boot, 'I1');
  if (itlSastAnchors(boot)) return acceptItl(phone, boot, 'I2');
  if (sastVerifies(boot)) return acceptItl(phone, boot, 'R2');
  if (tvsVouchesForItl(boot)) return acceptItl(phone, boot, 'R3');
  return rejectItl(phone, boot, holdsCtl(boot) ? 'I3' : 'R4');
}

/**
 * The model's own decision of one phone event, without a machine (docs/rules.md §4, §16). The phone
 * machine decides the same with its states and guards; a property keeps the two equal. Pure.
 */
export function phoneStep(phone: PhoneState, event: PhoneEvent): PhoneState {
  switch (event.type) {
    case 'ERASE':
      return tidyPhone(eraseItl(phone));
    case 'ERASE_CTL':
      return phone.ctl ? tidyPhone(eraseCtl(phone)) : phone;
    case 'RESTART':
      return reachable(phone) ? tidyPhone({ ...phone, restartingUntil: event.until }) : phone;
    case 'CTL':
      return tidyPhone(ctlStep(phone, event.boot));
    case 'BOOT':
      return tidyPhone(itlStep(phone, event.boot));
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * A phone as the replay keeps it: a boot clears `pendingTftp` and `restartingUntil`, and an erase
 * the `ctl`, by setting them undefined (an assign merges), so they are left out here, and a JSON
 * round trip gives the same object. A fresh literal, not `delete`, which would put every phone object
 * in V8's slow dictionary mode. `trust` is the phone machine's ITL state when it decided (the
 * machine's value, not its context). Pure.
 */
export function tidyPhone(phone: PhoneState, trust: PhoneState['trust'] = phone.trust): PhoneState {
  // Most boots: nothing to drop and the trust already recorded, so the phone is kept as it is (no copy).
  if (
    trust === phone.trust &&
    !('pendingTftp' in phone && phone.pendingTftp === undefined) &&
    !('restartingUntil' in phone && phone.restartingUntil === undefined) &&
    !('ctl' in phone && phone.ctl === undefined) &&
    !('unloadableItl' in phone && phone.unloadableItl === undefined)
  )
    return phone;
  const { pendingTftp, restartingUntil, ctl, unloadableItl, ...rest } = phone;
  // A fresh literal: the object rest of a destructuring is a slow object for V8, and spreading it into a literal
  // gives a fast one (mutating `rest` instead made every later boot of the phone 50% slower).
  const after: PhoneState = { ...rest, trust };
  if (pendingTftp !== undefined) after.pendingTftp = pendingTftp;
  if (restartingUntil !== undefined) after.restartingUntil = restartingUntil;
  if (ctl !== undefined) after.ctl = ctl;
  if (unloadableItl !== undefined) after.unloadableItl = unloadableItl;
  return after;
}
