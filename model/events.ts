/**
 * The event log's vocabulary (docs/log-format.md): what happened in the world, one
 * event per line. Types describe events *as parsed*: `parseLog` has already
 * applied the log format's defaults, so `tvs`, `firmware` and every node's
 * `keyBits` are always present downstream.
 */

/** The certificates `set cert regen` can regenerate. */
export type CertKind = 'CallManager' | 'TVS' | 'CAPF' | 'ITLRecovery';

/** A node's role in the cluster; exactly one node is the publisher. */
export type NodeRole = 'publisher' | 'subscriber';

/** RSA key sizes a node is installed with. */
export type KeyBits = 1024 | 2048;

/**
 * RSA key sizes `set cert regen` can give a certificate in this model. CUCM also offers 3072, but
 * a TLV file's SIGNATUREMODULUS field has codes for 512, 1024, 2048 and 4096 bits only, so a 3072-bit
 * signer could not be written: the parser refuses it rather than guess.
 */
export type RegenKeyBits = 1024 | 2048 | 4096;

/** Years of validity CUCM 14 and later offer for a new ITLRecovery certificate (A30). */
export type RecoveryYears = 5 | 10 | 15 | 20;

/** Distinguished-name parts shared by the cluster's certificates (CN comes from the node). */
export type CertSubject = {
  OU?: string;
  O?: string;
  L?: string;
  ST?: string;
  C?: string;
};

/** A node as installed; `name` is its id for the whole log, also after a rename. */
export type ClusterNode = {
  name: string;
  role: NodeRole;
  tftp: boolean;
  /** Resolved: the node's own `keyBits`, else the cluster's, else 2048. */
  keyBits: KeyBits;
  /** The node's IPv4 address (the CTL's IPADDRESS, A21); the model uses `192.0.2.<n>` (RFC 5737) when the log omits it. */
  ip?: string;
};

/** A fresh cluster is installed; always the first event. */
export type ClusterInstallEvent = {
  type: 'cluster.install';
  at: string;
  version: string;
  domain: string;
  securityPassword: string;
  nodes: ClusterNode[];
  /** Resolved cluster default (2048 when the log omits it). */
  keyBits: KeyBits;
  subject?: CertSubject;
  /** The ITLRecovery key's size (A28: a 1024-bit one with 2048-bit servers breaks `utils itl reset`); default the publisher's. */
  itlRecoveryKeyBits?: KeyBits;
  /** ITLRecovery validity in years, honoured from 14 (A30). */
  itlRecoveryYears?: RecoveryYears;
};

/**
 * The cluster is upgraded to a version not older than the current one. `method`: a refresh upgrade
 * (default) or an L2 upgrade; only a refresh to 12.5(1)–SU2 regenerates ITLRecovery (FN70613, A29).
 */
export type ClusterUpgradeEvent = { type: 'cluster.upgrade'; at: string; version: string; method?: 'refresh' | 'l2' };

/** A phone's device security profile (A27: secure profiles need their CallManager in the phone's CTL). */
export type SecurityProfile = 'non-secure' | 'authenticated' | 'encrypted';

/** A factory-new phone is plugged in and boots. */
export type PhoneAddEvent = {
  type: 'phone.add';
  at: string;
  phone: string;
  tftp: string;
  /** Resolved: ordered CallManager group, `[tftp]` when the log omits it. */
  tvs: string[];
  /** Resolved: `"10.3(1)"` when the log omits it. */
  firmware: string;
  /** Security By Default (absent: true); false for devices that keep only a CTL and never ask TVS (A26). */
  sbd?: boolean;
  /** Absent: `"non-secure"`. */
  securityProfile?: SecurityProfile;
};

/** `set cert regen <cert>` on a node; optionally a new key size, and (ITLRecovery, 14+) a validity. */
export type CertRegenerateEvent = {
  type: 'cert.regenerate';
  at: string;
  node: string;
  cert: CertKind;
  keyBits?: RegenKeyBits;
  years?: RecoveryYears;
};

/** A node's hostname changes. */
export type NodeRenameEvent = { type: 'node.rename'; at: string; node: string; hostname: string };

/** The cluster's DNS domain changes. */
export type ClusterDomainEvent = { type: 'cluster.domain'; at: string; domain: string };

/** The Cisco Tftp service restarts on a node. */
export type TftpRestartEvent = { type: 'tftp.restart'; at: string; node: string };

/** `utils itl reset localkey`. */
export type ItlResetLocalKeyEvent = { type: 'itl.reset'; at: string; node: string; key: 'localkey' };

/** `utils itl reset remotekey host user path`. */
export type ItlResetRemoteKeyEvent = {
  type: 'itl.reset';
  at: string;
  node: string;
  key: 'remotekey';
  host: string;
  user: string;
  path: string;
};

/** `utils itl reset`, narrowed further by `key`. */
export type ItlResetEvent = ItlResetLocalKeyEvent | ItlResetRemoteKeyEvent;

/** `file get tftp ITLRecovery.p12` to an SFTP location. */
export type ItlRecoveryBackupEvent = {
  type: 'itlrecovery.backup';
  at: string;
  node: string;
  host: string;
  user: string;
  path: string;
};

/** The cluster security password changes. */
export type ClusterPasswordEvent = { type: 'cluster.password'; at: string; securityPassword: string };

/** The publisher is reinstalled without a DRS restore of its keys. */
export type PublisherRebuildEvent = { type: 'publisher.rebuild'; at: string };

/** Enterprise Parameters > Reset: every powered-on phone resets. */
export type DevicesResetEvent = { type: 'devices.reset'; at: string };

/** One phone resets. */
export type PhoneResetEvent = { type: 'phone.reset'; at: string; phone: string };

/** A phone is unplugged (`on: false`) or plugged in (`on: true`). */
export type PhonePowerEvent = { type: 'phone.power'; at: string; phone: string; on: boolean };

/** The ITL is erased from a phone's settings menu (or by a factory reset). */
export type PhoneDeleteItlEvent = { type: 'phone.deleteItl'; at: string; phone: string };

/** A phone's TFTP server (option 150) changes; effective at its next reset. */
export type PhoneTftpEvent = { type: 'phone.tftp'; at: string; phone: string; tftp: string };

/** An attacker's TFTP server impersonates a node until its next `tftp.restart`. */
export type TftpForgeEvent = { type: 'tftp.forge'; at: string; node: string };

/**
 * A TFTP node's genuine ITL reaches phones with a broken signature (a corrupted transfer or file):
 * the file it serves now stays corrupted until the node writes a new one (a TFTP restart, a rebuild,
 * a `utils itl reset`). It makes the signature half of R2 and R3 observable.
 */
export type TftpCorruptEvent = { type: 'tftp.corrupt'; at: string; node: string };

/** `utils ctl set-cluster mixed-mode` / `non-secure-mode` on a node (publisher only, A36). */
export type CtlSetClusterEvent = { type: 'ctl.setCluster'; at: string; node: string; mode: 'mixed' | 'non-secure' };

/** `utils ctl update CTLFile`: the CTL rebuilt from the current certificates, signed by the release's CTL signer. */
export type CtlUpdateEvent = { type: 'ctl.update'; at: string; node: string };

/** `utils ctl reset localkey`: the CTL rebuilt and signed by the publisher's CallManager key. */
export type CtlResetEvent = { type: 'ctl.reset'; at: string; node: string; key: 'localkey' };

/** An enterprise parameter changes (docs/rules.md §17). */
export type ClusterParameterEvent =
  | { type: 'cluster.parameter'; at: string; name: 'prepareRollbackPre80'; value: boolean }
  | {
      type: 'cluster.parameter';
      at: string;
      name: 'phoneInteractionOnCertificateUpdate';
      value: 'automatic' | 'manual';
    };

/** A service restart the `utils ctl` transcripts and FN70613 ask for; no trust effect (A22). TFTP has `tftp.restart`. */
export type ServiceRestartEvent = {
  type: 'service.restart';
  at: string;
  node: string;
  service: 'CallManager' | 'CTIManager' | 'TVS' | 'CAPF';
};

/** The CTL is erased from a phone's settings menu; it restarts and takes the next CTL on first sight (C0, A20). */
export type PhoneDeleteCtlEvent = { type: 'phone.deleteCtl'; at: string; phone: string };

/** A factory reset: the phone's ITL and CTL are erased and it restarts (RENEW15 option 1). */
export type PhoneFactoryResetEvent = { type: 'phone.factoryReset'; at: string; phone: string };

/** 14+ "Reuse Certificate": every node's CallManager (or CallManager-ECDSA) becomes the multi-SAN Tomcat certificate (A38). */
export type CertReuseEvent = { type: 'cert.reuse'; at: string; from: 'tomcat' | 'tomcat-ECDSA' };

/** Any event of the log, discriminated on `type`. */
export type LogEvent =
  | ClusterInstallEvent
  | ClusterUpgradeEvent
  | PhoneAddEvent
  | CertRegenerateEvent
  | NodeRenameEvent
  | ClusterDomainEvent
  | TftpRestartEvent
  | ItlResetEvent
  | ItlRecoveryBackupEvent
  | ClusterPasswordEvent
  | PublisherRebuildEvent
  | DevicesResetEvent
  | PhoneResetEvent
  | PhonePowerEvent
  | PhoneDeleteItlEvent
  | PhoneTftpEvent
  | TftpForgeEvent
  | TftpCorruptEvent
  | CtlSetClusterEvent
  | CtlUpdateEvent
  | CtlResetEvent
  | ClusterParameterEvent
  | ServiceRestartEvent
  | PhoneDeleteCtlEvent
  | PhoneFactoryResetEvent
  | CertReuseEvent;

/** The `type` string of some event. */
export type EventType = LogEvent['type'];

/** The event of a given `type`. */
export type EventOfType<T extends EventType> = Extract<LogEvent, { type: T }>;

/** Every event type, in contract order. */
export const EVENT_TYPES = [
  'cluster.install',
  'cluster.upgrade',
  'phone.add',
  'cert.regenerate',
  'node.rename',
  'cluster.domain',
  'tftp.restart',
  'itl.reset',
  'itlrecovery.backup',
  'cluster.password',
  'publisher.rebuild',
  'devices.reset',
  'phone.reset',
  'phone.power',
  'phone.deleteItl',
  'phone.tftp',
  'tftp.forge',
  'tftp.corrupt',
  'ctl.setCluster',
  'ctl.update',
  'ctl.reset',
  'cluster.parameter',
  'service.restart',
  'phone.deleteCtl',
  'phone.factoryReset',
  'cert.reuse',
] as const satisfies readonly EventType[];

// Compile-time proof that EVENT_TYPES lists every member of the union.
const _allListed: [Exclude<EventType, (typeof EVENT_TYPES)[number]>] extends [never] ? true : never = true;

/** Whether a string names an event type. Pure. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
