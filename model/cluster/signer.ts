/**
 * What a TFTP node's ITL signer is in, and how it changes (docs/rules.md §6, §8, §11): the file it
 * serves (its own ITL, the reset ITL until its next TFTP start, an attacker's), whether that file
 * reaches phones intact, and whether the ITLRecovery certificate it loaded is the publisher's
 * current one. The signer machine (machines/signerMachine.ts) decides these by its states; this is
 * the model's own decision of the same, and `servedItl` reads it to say what a booting phone is offered.
 */

/** The signer machine's state, persisted with the node: the machine is the authority. */
export interface SignerState {
  /** `normal`: its own ITL, signed by its CallManager key; `reset`: the ITL of `utils itl reset` (Q5); `forged`: an attacker's (A12). */
  serving: 'normal' | 'reset' | 'forged';
  /** `corrupted`: the file reaches phones with a broken signature (`tftp.corrupt`) until the node writes a new one. */
  file: 'intact' | 'corrupted';
  /** `pending`: the publisher has a new ITLRecovery certificate that this node loads at its next TFTP start (A10, A23). */
  recovery: 'loaded' | 'pending';
  /** `on`: "Prepare Cluster for Rollback to pre-8.0" is True, so the node serves the empty rollback ITL (A25). */
  rollback: 'off' | 'on';
}

/** What happens to a TFTP node's service. */
export type SignerEvent =
  /** The service starts: `tftp.restart`, an upgrade, the rebuilt publisher's start. */
  | { type: 'START' }
  /** `utils itl reset`: the reset ITL is copied in (Q5); before 12.0 the command also restarts the service (LOADED follows). */
  | { type: 'RESET' }
  /** The service loaded the publisher's current ITLRecovery without starting anew (the restarts inside a 10.x reset; a 14+ regeneration, A23). */
  | { type: 'LOADED' }
  /** The rollback parameter turned True, or False again (A25). */
  | { type: 'ROLLBACK_ON' }
  | { type: 'ROLLBACK_OFF' }
  /** A certificate change rebuilt this node's own ITL (a new file; a reset ITL ends, Q5). */
  | { type: 'REBUILT' }
  /** `tftp.forge`: an attacker takes the node's place until its next start. */
  | { type: 'FORGE' }
  /** `tftp.corrupt`: the file it serves reaches phones broken. */
  | { type: 'CORRUPT' }
  /** The publisher's ITLRecovery certificate changed (regenerated, or the publisher rebuilt). */
  | { type: 'RECOVERY_CHANGED' };

/** A freshly installed node's signer. */
export const INITIAL_SIGNER: SignerState = { serving: 'normal', file: 'intact', recovery: 'loaded', rollback: 'off' };

/** The model's decision of one signer event. Pure. */
export function signerStep(s: SignerState, event: SignerEvent): SignerState {
  switch (event.type) {
    case 'START':
      return { ...INITIAL_SIGNER, rollback: s.rollback };
    case 'RESET':
      return { ...s, serving: s.serving === 'forged' ? 'forged' : 'reset', file: 'intact' };
    case 'LOADED':
      return { ...s, recovery: 'loaded' };
    // A change of the parameter writes the node's files anew: a reset ITL or a broken copy ends.
    case 'ROLLBACK_ON':
      return { ...s, serving: s.serving === 'reset' ? 'normal' : s.serving, rollback: 'on', file: 'intact' };
    case 'ROLLBACK_OFF':
      return { ...s, serving: s.serving === 'reset' ? 'normal' : s.serving, rollback: 'off', file: 'intact' };
    case 'REBUILT':
      return { ...s, serving: s.serving === 'reset' ? 'normal' : s.serving, file: 'intact' };
    case 'FORGE':
      return { ...s, serving: 'forged' };
    case 'CORRUPT':
      return { ...s, file: 'corrupted' };
    case 'RECOVERY_CHANGED':
      return { ...s, recovery: 'pending' };
    default: {
      const never: never = event;
      return never;
    }
  }
}
