import type { Certificate } from '../certs/certificate.ts';
import type { CertKind, Identity } from '../certs/issueCertificate.ts';
import type { SubjectDefaults } from '../certs/names.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import type { KeyBits, NodeRole } from '../events.ts';
import type { StoredItl } from './itlStore.ts';
import type { RuleFailure } from '../trust/ruleFailures.ts';
import type { SignerState } from './signer.ts';

/** A node's certificates; CAPF only on the publisher, ITLRecovery only from 10.0(1). */
export interface NodeCerts {
  CallManager: Identity;
  TVS: Identity;
  CAPF?: Identity;
  ITLRecovery?: Identity;
}

/** The Cisco Tftp service of a node: what it serves and what it loaded at its last start. */
export interface TftpState {
  /** SHA-1 (key into `ClusterState.itls`) of the ITL the node builds normally. */
  normalItl: string;
  /** Fingerprint of what `normalItl` was built from: a rebuild happens only when it changes. */
  inputs: string;
  /** The ITL signer machine's state (machines/signerMachine.ts): what the node serves; it is the authority. */
  signer: SignerState;
  /** The ITL `utils itl reset` copied in, served while `signer.serving` is `reset`. */
  resetItl?: string;
  /** ASSUMPTION A10: the ITLRecovery certificate loaded at the last TFTP start; rebuilt ITLs carry this one. */
  loadedItlRecovery?: Certificate;
  /** ASSUMPTION A12: the attacker's ITL and identity, served while `signer.serving` is `forged`. */
  forgery?: { itl: string; identity: Identity };
  /** `tftp.corrupt`: the copy with a broken signature of the genuine file, served while `signer.file` is `corrupted`. */
  corruption?: { itl: string };
}

/** A CUCM node. */
export interface NodeState {
  /** The id the log uses (its install name), kept across renames. */
  id: string;
  hostname: string;
  /** The FQDN the ITLRecovery certificate is named after: the node's at the recovery key's creation. */
  recoveryFqdn: string;
  role: NodeRole;
  keyBits: KeyBits;
  certs: NodeCerts;
  /** Regeneration counters per certificate: the seed of each new key. */
  generations: Record<CertKind, number>;
  /** The last accepted `set cert regen` on this node: when the hold timer started, and for which certificate. */
  lastRegen?: { at: string; cert: CertKind };
  /** The node machine's hold-timer state (machines/nodeMachine.ts): it decides `set cert regen`, and is the authority. */
  holdTimer: 'idle' | 'running';
  tftp?: TftpState;
}

/** Phone trust states (the phone machine's states). */
export type PhoneTrust = 'noItl' | 'trusted' | 'locked';

/** The rules of domain.md §3.2 a boot can end on. */
export type Rule = 'R0' | 'R2' | 'R3' | 'R4';

/** A phone. */
export interface PhoneState {
  id: string;
  tftp: string;
  /** A `phone.tftp` change waiting for the next reset. */
  pendingTftp?: string | undefined;
  tvs: string[];
  firmware: string;
  online: boolean;
  /** SHA-1 of the installed ITL (key into `ClusterState.itls`), null when none. */
  itl: string | null;
  trust: PhoneTrust;
  /** The last trust status message (domain.md §7.4). */
  status: string;
  /** Rule that decided the last boot and why the earlier rules did not apply. */
  lastDecision?: { rule: Rule; failures: RuleFailure[]; event: number };
  /** Whether the last signed configuration file was accepted (domain.md §3.3). */
  configAccepted: boolean;
  /** ASSUMPTION A5: a phone that never accepted a configuration does not register. */
  hasConfig: boolean;
  /**
   * ASSUMPTION A14: an automatic reset reached this phone and it is restarting; it boots (fetches
   * its ITL) at this time, AUTO_RESET_SECONDS after the reset. Absent when not restarting.
   */
  restartingUntil?: string | undefined;
  /** Event number at which the phone last locked, and at which it last recovered from a lock. */
  lockedAt?: number;
  recoveredAt?: number;
}

/** A copy of ITLRecovery.p12 saved with `file get tftp ITLRecovery.p12`. */
export interface Backup {
  location: string;
  /** The real PKCS#12 (base64), encrypted with the password derived from the cluster security password of the day. */
  p12: string;
  /** The key the p12 holds (how the model rematerialises it once the p12 has opened). */
  key: KeyRef;
  cert: Certificate;
  at: string;
}

/** The whole modelled world after some prefix of the log: plain JSON data. */
export interface ClusterState {
  version: string;
  domain: string;
  subject: SubjectDefaults;
  /** Seed of every derived key of this cluster (from the install event). */
  seed: string;
  nodes: NodeState[];
  phones: PhoneState[];
  /** Every ITL built so far, by SHA-1. */
  itls: Record<string, StoredItl>;
  backups: Backup[];
  /** ITLRecovery.p12 saved since the last change of key or password (stops the daily alert). */
  itlRecoveryBackedUp: boolean;
  lastAlertAt?: string;
  /** Number of attacker keys made so far (their seeds). */
  forgeries: number;
  /** Never shown: the p12 password derived from the cluster security password. */
  secrets: { p12Password: string };
  options: ModelOptions;
}

/** Switches for what-if checking (issue: "the hold timer is off (a model option)"). */
export interface ModelOptions {
  holdTimer: boolean;
}
