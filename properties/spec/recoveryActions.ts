/**
 * The recovery actions (docs/rules.md §8, §9): `utils itl reset` with the local key or a saved p12,
 * saving the p12, and changing the security password that opens it.
 */
import { always, type ActionTable } from './action.ts';
import { NO_KEY, PUBLISHER } from './constants.ts';
import { serveResetItl } from './effects.ts';

export const recoveryActions = {
  /**
   * `utils itl reset localkey` (§8, §15): refused on a subscriber and before 10.0; else every TFTP node
   * serves the publisher's records signed by its ITLRecovery key (10.x) or, from 12.0, by its
   * CallManager key (A16, SG125). It resets no phone.
   */
  itlReset: {
    clusterOnly: true,
    enabled: always,
    refusal: (s, _scope, e) => (e.node !== PUBLISHER ? 'notPublisher' : s.pre10 ? 'resetBefore10' : null),
    effect: (s) => serveResetItl(s, s.from12 ? s.nodes[PUBLISHER]!.callManager : s.itlRecovery),
  },

  /**
   * `utils itl reset remotekey` (§8): refused before 10.0, without a saved p12 (A8), or when the
   * current password cannot open it (A7); else the p12's key replaces the publisher's (SEED-ZH) and
   * signs the reset ITL.
   */
  itlResetRemote: {
    clusterOnly: true,
    enabled: always,
    refusal: (s) =>
      s.pre10 ? 'resetBefore10' : s.backup === NO_KEY ? 'remoteP12Missing' : !s.backupOpens ? 'p12WrongPassword' : null,
    effect: (s) => {
      s.itlRecovery = s.backup;
      serveResetItl(s, s.backup);
    },
  },

  /** `file get tftp ITLRecovery.p12` (§9): refused on a subscriber and before 10.0; else the one p12 location holds the key, under today's password. */
  backup: {
    clusterOnly: true,
    enabled: always,
    refusal: (s, _scope, e) => (e.node !== PUBLISHER || s.pre10 ? 'fileNotFound' : null),
    effect: (s) => {
      s.backup = s.itlRecovery;
      s.backupOpens = true;
    },
  },

  /** `cluster.password`: a new security password, which no saved p12 was written under (A7). */
  password: {
    clusterOnly: true,
    enabled: always,
    effect: (s) => {
      s.backupOpens = false;
    },
  },
} satisfies ActionTable<'itlReset' | 'itlResetRemote' | 'backup' | 'password'>;
