/**
 * The spec's constants (docs/rules.md): the timers, the values that mean "none", the publisher's
 * index and the certificates `set cert regen` names. The spec, its schedule (properties/schedule.ts)
 * and the tests read them from here, never as literals.
 */

/** §7, A13: a node refuses `set cert regen` for this long after its last accepted one. */
export const HOLD_SECONDS = 300;

/** §6, A14: a phone reached by an automatic reset boots this long after it. Shorter than the hold timer. */
export const AUTO_RESTART_SECONDS = 120;

/** A symbolic key id: certificates are numbers, compared only for identity (a fresh key is a new number). */
export type Key = number;

/** No key: an ITL record that is absent, a node no attacker impersonates, a p12 never saved, ITLRecovery before 10.0. */
export const NO_KEY: Key = -1;

/** No node: a phone with no TFTP change pending. */
export const NO_NODE = -1;

/** Node 0 is the publisher (it runs CAPF, `utils itl reset` and holds the ITLRecovery.p12); the others are subscribers. */
export const PUBLISHER = 0;

/** The certificates `set cert regen` names, in the order the explorer tries them. */
export const CERTS = ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const;

/** A certificate `set cert regen` names. */
export type SpecCert = (typeof CERTS)[number];
