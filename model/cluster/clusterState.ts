import type { Certificate } from '../certs/certificate.ts';
import type { CertKind, Identity } from '../certs/issueCertificate.ts';
import type { SubjectDefaults } from '../certs/names.ts';
import type { KeyRef } from '../crypto/keyStore.ts';
import type { KeyBits, NodeRole, RegenKeyBits, SecurityProfile } from '../events.ts';
import type { StoredItl } from './itlStore.ts';
import type { CtlFailure, RuleFailure } from '../trust/ruleFailures.ts';
import type { HazardKind } from './hazards.ts';
import type { SignerState } from './signer.ts';

/**
 * A node's certificates: CAPF on every node before 14, on the publisher only from 14 (RN14);
 * ITLRecovery from 10.0(1), one per node until 12.0 and one for the cluster from 12.5 (a copy of the
 * publisher's on every node, REGEN).
 */
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
  /**
   * ASSUMPTION A10 (A23 from 12.0): the ITLRecovery loaded at the last TFTP start; rebuilt ITLs carry
   * this one, and from 12.0 it signs them (its key is kept for that).
   */
  loadedItlRecovery?: Identity;
  /** ASSUMPTION A25: the rollback ITL (CAPF and its signer's SAST record), served while the signer is in `rollback`. */
  rollbackItl?: string;
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
  /** A certificate whose key size differs from the node's `keyBits` (a regeneration with `keyBits`, `itlRecoveryKeyBits`). */
  certBits?: Partial<Record<CertKind, RegenKeyBits>>;
  /** The node's IPv4 address (the CTL's IPADDRESS). */
  ip: string;
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

/**
 * The rules a boot's ITL decision can end on: R0 (first ITL), R0e (the phone holds the empty rollback
 * ITL, A25), R2, R3, R4 (docs/rules.md §4); with a CTL installed I1, I2, I3, and R1 (before 12.0: TVS,
 * docs/rules.md §4 R1) (docs/rules.md §16).
 */
export type Rule = 'R0' | 'R0e' | 'R2' | 'R3' | 'R4' | 'I1' | 'I2' | 'I3';

/** The rules a boot's CTL decision can end on (docs/rules.md §16): C0 first CTL, C1 local anchor, C2 TVS, C3 rejected. */
export type CtlRule = 'C0' | 'C1' | 'C2' | 'C3';

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
  /** The last trust status message (docs/rules.md §4, Status messages). */
  status: string;
  /** Rule that decided the last boot and why the earlier rules did not apply. */
  lastDecision?: { rule: Rule; failures: RuleFailure[]; event: number };
  /** Whether the last signed configuration file was accepted (docs/rules.md §5). */
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
  /**
   * Mixed mode (docs/rules.md §16): SHA-1 of the installed CTL (key into `ClusterState.itls`), and the
   * phone machine's CTL region: none, installed, or `rejected` (the last CTL offered failed C1–C3; the
   * old one is kept). Absent on a phone that never met a CTL.
   */
  ctl?: { file: string; state: 'installed' | 'rejected'; rule: CtlRule; failures: CtlFailure[]; event: number };
  /** H2: the ITL (SHA-1) its last boot offered was too large to load, so it does not register. Absent otherwise. */
  unloadableItl?: string | undefined;
  /** A26: false for a device without Security By Default (keeps only a CTL, never asks TVS). Absent: true. */
  sbd?: false;
  /** A27: a secure device security profile (absent: non-secure). */
  securityProfile?: Exclude<SecurityProfile, 'non-secure'>;
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
  /** `utils ctl set-cluster`: mixed mode (1) or non-secure (0, the default; a CTL may remain, A34). */
  securityMode: 'non-secure' | 'mixed';
  /** The cluster's one CTL (key into `itls`), served by every node (A22); null before the first `utils ctl`. */
  ctl: string | null;
  /** Enterprise parameters (docs/rules.md §17). */
  parameters: {
    prepareRollbackPre80: boolean;
    /** Exists from 14 (A24); below 14 phones always reset after a certificate change. */
    phoneInteractionOnCertificateUpdate: 'automatic' | 'manual';
  };
  /** When certificates the CTL holds changed after the CTL was last written (H9): CallManager, CAPF or ITLRecovery. */
  ctlStale: boolean;
  /** Number of cluster-wide certificate reuses so far (the seed of the next shared certificate, A38). */
  reuses: number;
  /** When the rollback parameter last turned True (H13), while it is True. */
  rollbackSince?: string;
  /** The stateful hazards (docs/rules.md §18) raised and still true: each is raised once while it stays true. */
  activeHazards: HazardKind[];
}

/**
 * The model's switches (what-if options of `replay` and `check`). Each names an assumption where the
 * sources disagree; the defaults are the readings docs/rules.md chooses.
 */
export interface ModelOptions {
  /** The 5-minute hold timer (A6, A13). `--no-hold-timer` turns it off. */
  holdTimer: boolean;
  /** A17 (T3): TVS vouches for the cluster's own ITLRecovery. `--conservative-tvs` (false) reads it the other way (X1). */
  tvsVouchesOwnItlRecovery: boolean;
  /** A15: in 12.0 each node's own ITLRecovery signs its ITL (true), or the publisher's signs every node's (false). */
  itlRecoveryPerNode12_0: boolean;
  /** A18/Q4: the SAST records of the installed CTL and ITL form one pool of anchors for both files. */
  sharedSastPool: boolean;
  /** A18: with a CTL installed (12.0+), a phone may still accept an ITL through TVS (false: I3 rejects). */
  itlViaTvsWithCtl: boolean;
  /** A19: in 12.0+, TVS may vouch for the cluster's own regenerated certificates as CTL signers (C2). */
  ctlTvsRescueOwn: boolean;
}
