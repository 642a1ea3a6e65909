import { setup } from 'xstate';
import type { SignerEvent } from '../model/cluster/signer.ts';

/**
 * One TFTP node's ITL signer (docs/rules.md §6, §8, §11): what the node serves and who signs it,
 * which decides what a booting phone is offered (model/cluster/buildItls.ts `servedItl` reads this
 * state). `serving`: its own ITL signed by its CallManager key, the reset ITL signed by ITLRecovery
 * until the next TFTP start (Q5), or an attacker's while impersonated (A12); `file`: whether the file
 * reaches phones intact; `recovery`: whether the ITLRecovery it loaded is the publisher's current one
 * (A10). The state is persisted with the node (`TftpState.signer`): the machine is the authority.
 * `rollback`: whether the node serves the empty rollback ITL (A25). Who signs in each release is not a
 * state here: the release decides it (model/releases.ts), and a TFTP start or rebuild writes the file.
 */
export const signerMachine = setup({
  types: { events: {} as SignerEvent },
}).createMachine({
  id: 'signer',
  type: 'parallel',
  states: {
    serving: {
      initial: 'normal',
      states: {
        normal: { on: { RESET: 'reset', FORGE: 'forged' } },
        // A TFTP start or a rebuild writes the node's own file again (Q5).
        reset: {
          on: { START: 'normal', REBUILT: 'normal', FORGE: 'forged', ROLLBACK_ON: 'normal', ROLLBACK_OFF: 'normal' },
        },
        // An impersonation survives `utils itl reset` and rebuilds; only a TFTP start ends it (A12).
        forged: { on: { START: 'normal' } },
      },
    },
    file: {
      initial: 'intact',
      states: {
        intact: { on: { CORRUPT: 'corrupted' } },
        // Any new file ends it.
        corrupted: {
          on: { START: 'intact', RESET: 'intact', REBUILT: 'intact', ROLLBACK_ON: 'intact', ROLLBACK_OFF: 'intact' },
        },
      },
    },
    recovery: {
      initial: 'loaded',
      states: {
        loaded: { on: { RECOVERY_CHANGED: 'pending' } },
        // A10: every start of the service loads the publisher's ITLRecovery (the 10.x reset's own restarts included: LOADED).
        pending: { on: { START: 'loaded', LOADED: 'loaded' } },
      },
    },
    rollback: {
      initial: 'off',
      states: {
        // A25: "Prepare Cluster for Rollback to pre-8.0"; a TFTP start does not change it.
        off: { on: { ROLLBACK_ON: 'on' } },
        on: { on: { ROLLBACK_OFF: 'off' } },
      },
    },
  },
});
