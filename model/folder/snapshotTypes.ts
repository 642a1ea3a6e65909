/**
 * What `snapshot` finds in a cluster folder, as data (docs/cluster-folder.md, "The snapshot"). Paths
 * are relative to the folder, `/`-separated; hashes are lowercase hex. Only cli/ turns this into
 * words (cli/snapshotText.ts) or JSON (cli/snapshotJson.ts).
 */
import type { RecordSummary } from '../cluster/itlStore.ts';
import type { FileKind } from '../itl/showItlFields.ts';
import type { ItlVerdict } from '../itl/verifyItl.ts';
import type { FolderNode, FolderParameters } from './clusterConfig.ts';
import type { PhoneStatus } from './phonesCsv.ts';

/** A place in the folder: a file and, where it makes sense, a 1-based line (text files) or a byte offset (ITL and CTL files). */
export interface Location {
  file: string;
  line?: number;
  offset?: number;
}

/**
 * Whose certificate a record holds, in this cluster:
 * - `callManager`: a node's CallManager certificate (its TFTP, CCM or CCM+TFTP record, or a SAST record of the same certificate or named after a node);
 * - `tvs`: a node's TVS certificate;
 * - `itlRecovery`: an ITLRecovery certificate (CN `ITLRECOVERY_…`);
 * - `capf`: a CAPF certificate;
 * - `other`: anything else (an APP-SERVER record, a SAST record named after no node).
 * `node` is the node of cluster.json the name (or a CTL record's DNSNAME) names; absent when it names none.
 */
export type RecordIdentity =
  { kind: 'callManager' | 'tvs'; node?: string } | { kind: 'itlRecovery' | 'capf' | 'other' };

/** A record of a file, as the trust rules see it (`RecordSummary`), and whose it is. */
export interface SnapshotRecord extends RecordSummary {
  /** 1-based, as `show itl` numbers records. */
  number: number;
  /** The record's byte offset (a file), or the line of its `ITL Record #:n` heading (a listing). */
  at: Location;
  identity: RecordIdentity;
}

/**
 * Whether a file's signature holds:
 * - `verified`: the file's bytes verify with its signer record's key;
 * - `failed`: they do not (`verdict` says why, as `verifyItl` does); the file is reported and not trusted: none of its records names a node's certificate;
 * - `unverifiable`: the file is known only from a `show itl` listing (no bytes, no signature); `listingSays` is what its last line says, when it says it.
 */
export type SignatureCheck =
  | { status: 'verified' }
  | { status: 'failed'; verdict: Exclude<ItlVerdict, { status: 'verified' }> }
  | { status: 'unverifiable'; listingSays?: boolean };

/** An ITL or CTL of the folder. */
export interface SnapshotFile {
  /** The file the facts come from: `tftp/<node>/ITLFile.tlv`, `tftp/<node>/show-itl.txt`, `history/<name>.tlv`. */
  path: string;
  /** From the file's content (a header FILENAME of `CTLFile.tlv`, or a `show ctl` listing), not from its name. */
  kind: FileKind;
  /** `binary`: the file itself; `text`: a `show itl` / `show ctl` listing (no signature to check). */
  source: 'binary' | 'text';
  /** `served`: what `node` serves now (its folder under tftp/); `history`: a file served earlier. */
  place: { kind: 'served'; node: string } | { kind: 'history' };
  /** Absent only for a listing without its checksum lines. */
  sha1?: string;
  md5?: string;
  length?: number;
  /** A file's TIMESTAMP (ISO 8601 UTC), or a listing's `last modified` text as printed. */
  modified?: string;
  signature: SignatureCheck;
  /** The header's signer and the index (0-based, -1 for none) of the record that holds its certificate. */
  signer: { subject: string; serial: string; issuer: string; recordIndex: number; identity: RecordIdentity };
  records: SnapshotRecord[];
  /** Every node that serves a file with this SHA-1 now, in cluster.json's order (a history file too, when it is served again). */
  servedBy: string[];
}

/** A certificate as a record shows it, and the record it was read from. */
export interface CertRef {
  subject: string;
  serial: string;
  issuer: string;
  certSha1: string;
  at: Location;
}

/** A node of cluster.json, and what its files say of it. */
export interface SnapshotNode extends Omit<FolderNode, 'line'> {
  /** Paths of the files it serves (the file itself, else its listing); absent when its folder has none. */
  serves: { itl?: string; ctl?: string };
  /**
   * Its CallManager certificate: the TFTP (CCM+TFTP) record of the ITL it serves when that record
   * names it, else a CCM or CCM+TFTP record of a served CTL that names it.
   */
  callManager?: CertRef;
  /** Its TVS certificate: a TVS record naming it in a served ITL (the first, in node order). */
  tvs?: CertRef;
  /** The ITLRecovery record of the ITL it serves: the ITLRecovery it loaded at its last TFTP start. */
  itlRecovery?: CertRef;
}

/** How a hash a phone reports is explained by the folder. */
export type HashMatch =
  | { match: 'unknown' }
  /** A file the phone's own TFTP node serves now. */
  | { match: 'current'; hash: string; file: string }
  /** A file other nodes serve now, not the phone's TFTP node. */
  | { match: 'other-node'; hash: string; file: string; nodes: string[] }
  /** A file of history/, served by no node now. */
  | { match: 'history'; hash: string; file: string }
  /** No file of the folder has this hash (another cluster's file, or one nobody kept). */
  | { match: 'unexplained'; hash: string };

/** The classes of `HashMatch`, in the order reports list them. */
export const MATCH_CLASSES = ['current', 'other-node', 'history', 'unexplained', 'unknown'] as const;

/** A phone of phones.csv, and the files its hashes are. */
export interface SnapshotPhone {
  device: string;
  /** Its phones.csv line. */
  line: number;
  /** Its TFTP server as phones.csv writes it, and the node that is (absent when it names none). */
  tftp: string;
  tftpNode?: string;
  /** Its TVS list as phones.csv writes it. */
  tvs: string[];
  status: PhoneStatus;
  model?: string;
  firmware?: string;
  itl: HashMatch;
  ctl: HashMatch;
}

/** Certificates that should be one and are not: each distinct one, with the files that hold it. */
export interface Variant {
  certSha1: string;
  subject: string;
  serial: string;
  files: string[];
}

/** Everything in the folder that does not fit together, each where it shows. */
export type SnapshotIssue = { at: Location } &
  /** A file's signature does not verify (it is not trusted). */
  (
    | { kind: 'signature-failed'; file: string; verdict: Exclude<ItlVerdict, { status: 'verified' }> }
    /** A listing says its file could not be verified. */
    | { kind: 'listing-not-verified'; file: string }
    /** A node folder holds the file and a listing of another file (the listing is not used). */
    | { kind: 'listing-differs'; file: string; listing: string; fileSha1: string; listingSha1: string }
    /** A node file whose content is the other kind (`ITLFile.tlv` holding a CTL, `show-itl.txt` a `show ctl`). */
    | { kind: 'wrong-kind'; file: string; expected: FileKind; found: FileKind }
    /** A node cluster.json says runs no TFTP has files under tftp/. */
    | { kind: 'files-on-non-tftp-node'; node: string }
    /** A TFTP node whose folder has neither ITLFile.tlv nor show-itl.txt: what it serves is unknown. */
    | { kind: 'no-itl'; node: string }
    /** The ITL a node serves has a TFTP (CCM+TFTP) record naming another node or no node: a copied file, or the reset ITL of `utils itl reset`. */
    | { kind: 'itl-names-other-node'; node: string; file: string; subject: string; names?: string }
    /** A TVS record whose name is no node of cluster.json. */
    | { kind: 'tvs-unknown-node'; file: string; subject: string }
    /** A served ITL without an ITLRecovery record on a release that has one (10.0 and later): `utils itl reset` cannot reach phones holding it. */
    | { kind: 'no-itl-recovery'; file: string }
    /**
     * Served files hold different ITLRecovery certificates: `one-per-cluster` (12.5 and later: the
     * cluster has one), `publisher-in-every-itl` (10.0 to 12.0: every ITL carries the publisher's;
     * a node that did not restart TFTP since a regeneration still has the old one).
     */
    | { kind: 'itl-recovery-differs'; rule: 'one-per-cluster' | 'publisher-in-every-itl'; variants: Variant[] }
    /** Served ITLs hold different TVS certificates for one node (a file not rebuilt since TVS changed). */
    | { kind: 'tvs-differs'; node: string; variants: Variant[] }
    /** Served files hold different CAPF certificates. */
    | { kind: 'capf-differs'; variants: Variant[] }
    /** Nodes serve different CTLs: the cluster has one CTL, served by every node. */
    | { kind: 'ctl-differs'; variants: Array<{ sha1: string; nodes: string[]; file: string }> }
    /** A mixed-mode cluster whose folder holds no CTL. */
    | { kind: 'ctl-missing' }
    /** A phone's TFTP names no node of cluster.json. */
    | { kind: 'phone-tftp-unknown'; device: string; tftp: string }
    /** A phone's TFTP is a node cluster.json says runs no TFTP. */
    | { kind: 'phone-tftp-not-tftp'; device: string; node: string }
    /** A phone's TVS list names a server that is no node of cluster.json. */
    | { kind: 'phone-tvs-unknown'; device: string; tvs: string }
    /** A phone's ITL (CTL) hash is no file of the folder, served or in history. */
    | { kind: 'phone-hash-unexplained'; device: string; fileKind: FileKind; hash: string }
  );

/** The kinds of issues, in the order a report lists them. */
export type SnapshotIssueKind = SnapshotIssue['kind'];

/** The snapshot of a cluster folder. */
export interface Snapshot {
  cluster: {
    version: string;
    securityMode: 'non-secure' | 'mixed';
    parameters: FolderParameters;
    /** What the release does (model/releases.ts): who signs a normal ITL, and how many ITLRecovery keys there are. */
    release: { itlSigner: 'callManager' | 'itlRecovery'; itlRecovery: 'none' | 'per-node' | 'per-cluster' };
  };
  nodes: SnapshotNode[];
  /** Served files in cluster.json's node order (ITL, then CTL), then history/ by name. */
  files: SnapshotFile[];
  /** The distinct CAPF and ITLRecovery certificates of the served, trusted files, in the order found. */
  capf: CertRef[];
  itlRecovery: CertRef[];
  /** In phones.csv's order. */
  phones: SnapshotPhone[];
  issues: SnapshotIssue[];
  summary: {
    phones: number;
    unregistered: number;
    itl: Record<HashMatch['match'], number>;
    ctl: Record<HashMatch['match'], number>;
    issues: number;
  };
}
