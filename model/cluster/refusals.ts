import type { CertKind } from '../certs/issueCertificate.ts';

/**
 * Why the cluster refused or failed a command, as data (style.md: outcomes are typed). What the CUCM
 * CLI prints for each is rendered in cli/refusalText.ts; nothing in the model compares text.
 */
export type Refusal =
  /** `set cert regen` within 5 minutes of another regeneration on the node (A6, A13). */
  | { kind: 'holdTimer'; node: string; lastCert: CertKind; cert: CertKind; until: string }
  /** `set cert regen CAPF` on a node without CAPF: a subscriber from 14 (before 14 every node has CAPF). */
  | { kind: 'capfNotOnNode'; node: string }
  /** `set cert regen ITLRecovery` on a subscriber from 12.5: the cluster's one ITLRecovery is made by the publisher. */
  | { kind: 'itlRecoveryOnPublisher'; node: string }
  /** `set cert regen ITLRecovery` before 10.0(1): there is no such key. */
  | { kind: 'noItlRecovery'; node: string; version: string }
  /** `utils itl reset` or `utils ctl` on a subscriber (A36). */
  | { kind: 'notPublisher'; node: string }
  /** `utils ctl` before 10.0: the tokenless CTL does not exist (TOKENLESS). */
  | { kind: 'ctlBefore10'; version: string }
  /** `utils ctl update CTLFile` or `reset localkey` on a cluster that never had a CTL. */
  | { kind: 'noCtl' }
  /** A parameter or command the release does not have (Phone Interaction on Certificate Update, certificate reuse: 14+). */
  | { kind: 'notInRelease'; feature: 'phoneInteractionOnCertificateUpdate' | 'certificateReuse'; version: string }
  /** `utils itl reset` before 10.0(1). */
  | { kind: 'resetBefore10'; version: string }
  /** `utils itl reset remotekey` whose file is not at that SFTP location (A8). */
  | { kind: 'remoteP12Missing'; host: string; path: string }
  /** `utils itl reset remotekey` whose p12 the current security password does not open (A7). */
  | { kind: 'p12WrongPassword'; reason: string }
  /** The ITLRecovery key is 1024-bit while a server certificate is longer (REGEN; A28 for `utils ctl reset`). */
  | { kind: 'recoveryKeyTooShort'; command: 'itl.reset' | 'ctl.reset' }
  /** `tftp.restart`, `tftp.forge` or `tftp.corrupt` on a node without the Cisco Tftp service. */
  | { kind: 'tftpNotActive'; node: string; hostname: string }
  /** `file get tftp ITLRecovery.p12` where there is none (a subscriber, or before 10.0(1)). */
  | { kind: 'fileNotFound'; node: string };

/** The kind of a refusal. */
export type RefusalKind = Refusal['kind'];

/** Every refusal kind, for coverage reports. */
export const REFUSAL_KINDS = [
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
] as const satisfies readonly RefusalKind[];

// Compile-time proof that REFUSAL_KINDS lists every kind.
const _allKinds: [Exclude<RefusalKind, (typeof REFUSAL_KINDS)[number]>] extends [never] ? true : never = true;
