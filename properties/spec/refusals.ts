/**
 * Why the cluster refuses a command, by kind: the spec's own vocabulary, the same words as the
 * model's typed refusals (properties/specBoundary.test.ts proves at compile time that the two unions
 * are equal, so they cannot drift). The spec meets only some: every node runs TFTP, keys have no
 * size, and the one p12 location always has a file once saved.
 */

/** Every refusal kind, in the order of the coverage report. */
export const SPEC_REFUSAL_KINDS = [
  'holdTimer',
  'capfNotOnNode',
  'itlRecoveryOnPublisher',
  'noItlRecovery',
  'notPublisher',
  'ctlBefore10',
  'noCtl',
  'notInRelease',
  'resetBefore10',
  'remoteP12Missing',
  'p12WrongPassword',
  'recoveryKeyTooShort',
  'tftpNotActive',
  'fileNotFound',
] as const;

/** The kind of a refusal. */
export type SpecRefusalKind = (typeof SPEC_REFUSAL_KINDS)[number];
