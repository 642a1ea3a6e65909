/**
 * The event log's vocabulary (contract.md §1): what happened in the world, one
 * event per line. Types describe events *as parsed*: `parseLog` has already
 * applied the contract's defaults, so `tvs`, `firmware` and every node's
 * `keyBits` are always present downstream.
 */

/** The certificates `set cert regen` can regenerate. */
export type CertKind = 'CallManager' | 'TVS' | 'CAPF' | 'ITLRecovery';

/** A node's role in the cluster; exactly one node is the publisher. */
export type NodeRole = 'publisher' | 'subscriber';

/** RSA key sizes CUCM offers for its certificates. */
export type KeyBits = 1024 | 2048;

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
};

/** The cluster is upgraded to a version not older than the current one. */
export type ClusterUpgradeEvent = { type: 'cluster.upgrade'; at: string; version: string };

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
};

/** `set cert regen <cert>` on a node. */
export type CertRegenerateEvent = { type: 'cert.regenerate'; at: string; node: string; cert: CertKind };

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
  | TftpCorruptEvent;

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
] as const satisfies readonly EventType[];

// Compile-time proof that EVENT_TYPES lists every member of the union.
const _allListed: [Exclude<EventType, (typeof EVENT_TYPES)[number]>] extends [never] ? true : never = true;

/** Whether a string names an event type. Pure. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
