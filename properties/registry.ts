/**
 * The one registry of properties (style.md convention 7): each entry names what it forbids, its
 * concrete check (on replayed traces, real crypto), its abstract check and event alphabet where it is
 * explored exhaustively, and whether it is expected to hold. `check`, its worker threads, the
 * known-weakness runs, `replay --json` and the tests all take properties from here, by reference.
 */
import * as concreteChecks from './invariants.ts';
import type { Alphabet } from './spec/events.ts';
import type { Release, SpecSwitches } from './spec/scope.ts';
import * as abstractChecks from './spec/invariants.ts';
import type { AbstractCheck } from './spec/invariants.ts';
import type { ConcreteCheck, Finding, Trace } from './trace.ts';

/** A property: a statement about every reachable state (or transition) of the model. */
export interface Property {
  readonly name: string;
  /** What it forbids, in one to three lines. */
  readonly forbids: string;
  /** False for a known weakness of the real system (style.md convention 9): its counterexamples must be found. */
  readonly expectedToHold: boolean;
  readonly concrete: ConcreteCheck;
  /** The same statement over the abstract model, explored exhaustively; absent when only random logs check it. */
  readonly abstract?: AbstractCheck;
  /** The abstract events its exhaustive run takes, when it speaks of fewer than all. */
  readonly alphabet?: Alphabet;
  /** The releases whose exhaustive scopes it is checked in (absent: every release). */
  readonly releases?: readonly Release[];
}

/** The events `regenerationsKeepTrust` speaks of: phones plugged in, every `set cert regen`, time passing. */
export const REGEN_ONLY: Alphabet = new Set([
  'add',
  'regen:CallManager',
  'regen:TVS',
  'regen:CAPF',
  'regen:ITLRecovery',
  'wait',
  'back',
]);

export const recoveryWithItlRecovery: Property = {
  name: 'recoveryWithItlRecovery',
  forbids:
    '10.x–11.x, non-secure: a powered-on phone whose ITL holds the ITLRECOVERY record of the key `utils itl reset` signs with (localkey, or a p12 the password opens) staying untrusted after the reset and Reset all, or after a later TFTP restart and Reset all; unless its TFTP node is impersonated',
  expectedToHold: true,
  concrete: concreteChecks.recoversHolders,
  abstract: abstractChecks.recoveryWithItlRecovery,
  releases: ['10.x'],
};

export const recoveryByDocumentedProcedure: Property = {
  name: 'recoveryByDocumentedProcedure',
  forbids:
    "12.0+: a powered-on phone whose ITL or CTL holds (as SAST) the key the documented recovery signs with staying untrusted after it; non-secure: `utils itl reset localkey` (the publisher's CallManager; or remotekey, the p12's key) + Reset all, then a TFTP restart on every node + Reset all; mixed: `utils ctl reset localkey` + Reset all, then `utils ctl update CTLFile`, TFTP restarts + Reset all; unless its TFTP node is impersonated",
  expectedToHold: true,
  concrete: concreteChecks.recoversByProcedure,
  abstract: abstractChecks.recoveryByDocumentedProcedure,
  releases: ['12.5'],
};

export const noUnverifiedItl: Property = {
  name: 'noUnverifiedItl',
  forbids:
    'a phone installing an ITL other than on first use (R0), by a SAST record of its ITL (R2), a SAST or CCM+TFTP record of its CTL (I1), or with a TVS it authenticated vouching (R3), or a CTL other than on first sight (C0), by a SAST record of its CTL or ITL (C1) or a TVS (C2), with a signature that verifies; a phone that had an ITL never installs a forged one',
  expectedToHold: true,
  concrete: concreteChecks.installsOnlyVerified,
  abstract: abstractChecks.noUnverifiedItl,
};

export const holdTimer: Property = {
  name: 'holdTimer',
  forbids: 'two accepted `set cert regen` on one node less than 300 s apart',
  expectedToHold: true,
  concrete: concreteChecks.regenerationsSpaced,
  abstract: abstractChecks.holdTimer,
};

export const recoveryNameStable: Property = {
  name: 'recoveryNameStable',
  forbids:
    'the ITLRECOVERY record naming another FQDN than the publisher had when the key was made (renames and domain changes never alter it)',
  expectedToHold: true,
  concrete: concreteChecks.recoveryNameKept,
};

export const regenerationsKeepTrust: Property = {
  name: 'regenerationsKeepTrust',
  forbids:
    'a phone locking while the log holds only the install, phones plugged in and `set cert regen`, also once automatic restarts end (what the hold timer is for)',
  expectedToHold: true,
  concrete: concreteChecks.noLockByRegeneration,
  abstract: abstractChecks.regenerationsKeepTrust,
  alphabet: REGEN_ONLY,
};

export const adviceIsSafe: Property = {
  name: 'adviceIsSafe',
  forbids:
    'a recovery the tool advises for a locked phone leaving a phone trusting a key the cluster never had (an erase while an attacker serves its TFTP)',
  expectedToHold: true,
  concrete: concreteChecks.adviceSafe,
};

export const replayDeterministic: Property = {
  name: 'replayDeterministic',
  forbids: 'two replays of the same log giving different contexts',
  expectedToHold: true,
  concrete: concreteChecks.sameReplayTwice,
};

export const snapshotReplay: Property = {
  name: 'snapshotReplay',
  forbids: 'replaying `b` from the JSON-persisted context after `a` differing from replaying `a ++ b`',
  expectedToHold: true,
  concrete: concreteChecks.resumesFromSnapshot,
};

export const recoveryForEveryPhone: Property = {
  name: 'recoveryForEveryPhone',
  forbids:
    "a powered-on phone with an ITL staying untrusted after its release's documented recovery (10.x: `utils itl reset` and Reset all; 12.0+: as recoveryByDocumentedProcedure) (the headline without its premise: a known weakness)",
  expectedToHold: false,
  concrete: concreteChecks.recoversEveryPhone,
  abstract: abstractChecks.recoveryForEveryPhone,
};

export const noForgedItl: Property = {
  name: 'noForgedItl',
  forbids: 'a phone holding a forged ITL (trust on first use breaks it: a known weakness)',
  expectedToHold: false,
  concrete: concreteChecks.holdsNoForgedItl,
  abstract: abstractChecks.noForgedItl,
};

/** The events `upgradeKeepsTrust` speaks of: phones plugged in and powered, Reset all, set-cluster mixed-mode, upgrades. */
export const UPGRADE_ONLY: Alphabet = new Set(['add', 'power', 'devicesReset', 'ctlSetCluster', 'upgrade']);

export const upgradeKeepsTrust: Property = {
  name: 'upgradeKeepsTrust',
  forbids:
    'a phone locking while the log holds only the install, phones plugged in or powered, Reset all, `utils ctl set-cluster mixed-mode` and upgrades (FN70613 breaks it in mixed mode: a known weakness)',
  expectedToHold: false,
  concrete: concreteChecks.noLockByUpgrade,
  abstract: abstractChecks.upgradeKeepsTrust,
  alphabet: UPGRADE_ONLY,
};

/** Every property, in the order reports list them. */
export const PROPERTIES: readonly Property[] = [
  recoveryWithItlRecovery,
  recoveryByDocumentedProcedure,
  noUnverifiedItl,
  holdTimer,
  recoveryNameStable,
  regenerationsKeepTrust,
  adviceIsSafe,
  replayDeterministic,
  snapshotReplay,
  recoveryForEveryPhone,
  noForgedItl,
  upgradeKeepsTrust,
];

/** The scope options and model switches a weakness's scope and its counterexample's replay run under. */
export interface WeaknessOptions extends Partial<SpecSwitches> {
  /** The release of its scope (absent: 10.x). */
  release?: Release;
  /** Installed before 10.0 (an ITL without ITLRECOVERY). */
  pre10?: boolean;
  /** A 12.5 scope installed at 11.5, upgraded to 12.5(1)SU2 by `upgrade` (FN70613). */
  pre12?: boolean;
  /** A 12.5 scope in mixed mode (`utils ctl`). */
  mixed?: boolean;
  /** false: no 5-minute hold timer (`--no-hold-timer`). */
  holdTimer?: boolean;
  /** The one phone its cause speaks of: the scope has that phone configuration alone (index into the spec's `phoneConfigs`). */
  phoneConfig?: number;
}

/** A known weakness: a property that fails for one cause, explored in a scope restricted to it, with its saved shortest counterexample. */
export interface Weakness {
  readonly id: string;
  readonly property: Property;
  readonly cause: string;
  readonly options: WeaknessOptions;
  readonly alphabet: Alphabet;
}

export const WEAKNESSES: readonly Weakness[] = [
  {
    id: 'a-pre10-itl',
    property: recoveryForEveryPhone,
    cause: 'a phone still holds a pre-10.0 ITL (no ITLRECOVERY record)',
    options: { pre10: true },
    alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'wait', 'upgrade']),
  },
  {
    id: 'b-itlrecovery-regen-without-restart',
    property: recoveryForEveryPhone,
    cause: 'ITLRecovery regenerated and no TFTP restart put it in the ITLs',
    options: {},
    alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'regen:ITLRecovery', 'wait']),
  },
  {
    id: 'c-rebuild-without-backup',
    property: recoveryForEveryPhone,
    cause: 'the publisher rebuilt without its ITLRecovery.p12',
    options: {},
    alphabet: new Set(['add', 'power', 'rebuild', 'devicesReset']),
  },
  {
    id: 'd-hold-timer-off',
    property: regenerationsKeepTrust,
    cause: 'no hold timer: CallManager and TVS regenerated while a phone restarts',
    options: { holdTimer: false },
    alphabet: new Set(['add', 'regen:CallManager', 'regen:TVS', 'wait', 'back']),
  },
  {
    id: 'e-trust-on-first-use',
    property: noForgedItl,
    cause: 'a new phone boots from an impersonated TFTP server (R0 trusts the first ITL)',
    options: {},
    alphabet: new Set(['add', 'forge']),
  },
  {
    id: 'f-callmanager-tvs-itlrecovery-together',
    property: recoveryForEveryPhone,
    cause:
      "the publisher's CallManager, TVS and ITLRecovery renewed while a phone on its TFTP was away (12.5): it knows neither the new ITL signer, nor a current TVS, nor the CallManager key utils itl reset localkey signs with (H6, X3, scenario r18)",
    options: { release: '12.5', phoneConfig: 2 },
    alphabet: new Set(['add', 'power', 'regen:CallManager', 'regen:TVS', 'regen:ITLRecovery', 'tftpRestart', 'wait']),
  },
  {
    id: 'g-fn70613-mixed-mode',
    property: upgradeKeepsTrust,
    cause:
      'a refresh upgrade from 11.5 to 12.5(1)SU2 in mixed mode regenerates ITLRecovery (FN70613): the new ITL signer is in neither the migrated CTL nor the ITL, and no TVS is asked (I3)',
    options: { release: '12.5', pre12: true, mixed: true },
    alphabet: UPGRADE_ONLY,
  },
];

/** Where a weakness's shortest counterexample is saved (relative to the repository). */
export function exampleOf(weakness: Weakness): string {
  return `examples/counterexample-${weakness.id}.jsonl`;
}

/** The model switches a scope's options set (the hold timer and A17–A19), as `replay` takes them: only those off their defaults. */
export type ReplayOptions = Partial<Pick<WeaknessOptions, 'holdTimer' | keyof SpecSwitches>>;

/** The model options (`replay` switches) a weakness's counterexample needs to show its violation: `{}` when none. */
export function replayOptionsOf(weakness: Weakness): ReplayOptions {
  const { release: _r, pre10: _p, pre12: _q, mixed: _m, phoneConfig: _c, ...switches } = weakness.options;
  return Object.fromEntries(Object.entries(switches).filter(([, v]) => v !== undefined)) as ReplayOptions;
}

/** A violation of a property on a trace: at which event (0-based), why, and the phone it is about. */
export interface Violation extends Finding {
  property: Property;
  at: number;
}

/** Checks each property at every prefix of a trace; returns the first violation of each. */
export function violations(trace: Trace, properties: readonly Property[] = PROPERTIES): Violation[] {
  const found: Violation[] = [];
  for (const property of properties) {
    for (let i = 0; i < trace.events.length; i++) {
      const finding = property.concrete(trace, i);
      if (finding) {
        found.push({ property, at: i, ...finding });
        break;
      }
    }
  }
  return found;
}
