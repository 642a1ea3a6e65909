/**
 * `diff A B`: two ITL or CTL files (the files themselves, or `show itl` / `show ctl` listings of them)
 * compared record by record, and what a phone holding A does when it is offered B, by the phones'
 * rules (model/trust: R2 and R3 for an ITL; C1, C2 and, from 12.0, C3 for a CTL; I1 for an ITL under
 * a CTL, then R3 before 12.0 and I3 from 12.0; H2 for one too large to load). docs/cluster-folder.md,
 * "diff". Pure.
 */
import { modelOptions } from '../cluster/install.ts';
import { storeItl, type RecordSummary, type StoredItl } from '../cluster/itlStore.ts';
import type { PhoneState } from '../cluster/clusterState.ts';
import { ctlAnchored, mayAskTvsForCtl } from '../trust/ctlRules.ts';
import {
  ctlVouchesForItl,
  ITL_MAX_BYTES,
  ITL_MAX_RECORDS,
  itlTooLarge,
  mayAskTvsForItl,
  sastVerifies,
  type ItlCheck,
} from '../trust/itlRules.ts';
import { realCrypto } from '../trust/realCrypto.ts';
import { symbolicCrypto } from '../trust/symbolicCrypto.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import { invalidUtf8At } from '../logLines.ts';
import { decodeItl } from './decodeItl.ts';
import { ItlFormatError } from './itlTypes.ts';
import { ListingError, parseShowItl } from './parseShowItl.ts';
import { fileKind, type FileKind } from './showItlFields.ts';
import { Role } from './tags.ts';
import { verifyItl } from './verifyItl.ts';

/** One file of a diff: read from its bytes (decoded and verified) or from its listing (records only). */
export interface DiffSide {
  kind: FileKind;
  source: 'binary' | 'text';
  /** The file as the rules see it (from a listing: no bytes; its SHA-1 as printed, or empty). */
  itl: StoredItl;
  /** `verified` / `failed` for a file; `unverifiable` for a listing (no signature to check). */
  signature: 'verified' | 'failed' | 'unverifiable';
  /** Where each record is: its byte offset (a file) or the line of its heading (a listing). */
  at: Array<{ offset: number } | { line: number }>;
}

/** A file that cannot be read as a file or a listing: where, and why. */
export class DiffInputError extends Error {
  constructor(
    readonly where: { offset: number } | { line: number },
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'DiffInputError';
  }
}

/**
 * Reads one side: the binary file when its bytes decode as one, else (UTF-8 text) a listing. Throws
 * DiffInputError at the offset (binary) or line (text) of the first problem. Pure.
 */
export function readDiffSide(bytes: Uint8Array): DiffSide {
  try {
    const file = decodeItl(bytes);
    const stored = storeItl(bytes, 'normal', '');
    const verdict = verifyItl(bytes, file);
    return {
      kind: fileKind(file),
      source: 'binary',
      itl: verdict.status === 'verified' ? stored : { ...stored, corrupted: true },
      signature: verdict.status === 'verified' ? 'verified' : 'failed',
      at: file.records.map((r) => ({ offset: r.offset })),
    };
  } catch (error) {
    if (!(error instanceof ItlFormatError)) throw error;
    // Text that is not a TLV file: a listing. Bytes that are neither: the binary reason.
    const bad = invalidUtf8At(bytes);
    const text = bad === -1 ? new TextDecoder().decode(bytes) : '';
    if (bad !== -1 || !/ITL Record #|CTL Record #|Version:|Length of/i.test(text))
      throw new DiffInputError({ offset: error.offset }, error.reason);
    try {
      const listing = parseShowItl(text);
      const records: RecordSummary[] = listing.records.map(({ role, subject, issuer, serial, certSha1 }) => ({
        role,
        subject,
        issuer,
        serial,
        certSha1,
      }));
      return {
        kind: listing.kind,
        source: 'text',
        itl: {
          sha1: listing.sha1 ?? '',
          md5: listing.md5 ?? '',
          length: listing.length ?? 0,
          bytes: '',
          origin: listing.kind === 'ctl' ? 'ctl' : 'normal',
          node: '',
          signer: listing.signer,
          records,
          ...(listing.verified === false ? { corrupted: true as const } : {}),
        },
        signature: 'unverifiable',
        at: listing.records.map((r) => ({ line: r.line })),
      };
    } catch (listingError) {
      if (!(listingError instanceof ListingError)) throw listingError;
      throw new DiffInputError({ line: listingError.line }, listingError.reason);
    }
  }
}

/** A record as a diff shows it: its 1-based number in its file, and where it is. */
export interface DiffRecord extends Omit<RecordSummary, 'cert'> {
  number: number;
  at: { offset: number } | { line: number };
}

/** One line of the record comparison. */
export type RecordChange =
  | { change: 'same'; a: DiffRecord; b: DiffRecord }
  /** Same role and name, another certificate (a regeneration): which fields differ. */
  | { change: 'changed'; a: DiffRecord; b: DiffRecord; fields: Array<'certSha1' | 'serial' | 'issuer' | 'subject'> }
  | { change: 'removed'; a: DiffRecord }
  | { change: 'added'; b: DiffRecord };

/** A file's size against what a phone loads (H2). */
export interface Limits {
  records: number;
  bytes: number;
  maxRecords: number;
  maxBytes: number;
  tooLarge: boolean;
}

/**
 * How the local check (R2, C1, I1) was made: by B's `signature` verified with the key of A's record
 * (both files at hand), or by `names` when either side is a listing (a listing of A holds no keys, a
 * listing of B no signature): A's record must name B's signer and print the same certificate SHA-1.
 */
export type LocalCheck = 'signature' | 'names';

/** What a phone holding A does when offered B. */
export type DiffVerdict =
  /** B is A (same SHA-1): nothing to decide. */
  | { verdict: 'same' }
  /** B is too large to load (H2): the phone keeps A and does not register. */
  | { verdict: 'too-large' }
  /** A phone holding no CTL takes the first CTL on faith (C0). */
  | { verdict: 'first'; rule: 'C0' }
  /**
   * Accepted locally: B's signer is this record of A and B's signature verifies with it (`checkedBy`
   * `signature`); with a listing on either side (`names`), A's record names B's signer (serial, issuer)
   * with the same certificate SHA-1, and B's own signature is not known to fail (see `localCheckOf`).
   */
  | { verdict: 'local'; rule: 'R2' | 'C1' | 'I1'; record: DiffRecord; checkedBy: LocalCheck }
  /**
   * Only through TVS (R3; C2 for a CTL, through the phone's ITL): the TLS handshake works with the TVS
   * whose certificates are TVS records of A still in B (`nodes`, by their records in A); TVS vouches
   * for B's signer when B is the cluster's current file (its signer is a certificate of the cluster).
   * With A a CTL (C2, or R3 for an ITL before 12.0) no records: the TVS is the one the phone's ITL
   * pins, which the diff does not hold.
   */
  | {
      verdict: 'tvs';
      rule: 'R3' | 'C2';
      records: DiffRecord[];
      localFailure: 'signerNotAnchor' | 'badSignature';
      checkedBy: LocalCheck;
    }
  /** Never: no local anchor and no TVS the phone can authenticate (R4; C3; I3 with a CTL from 12.0). */
  | {
      verdict: 'never';
      rule: 'R4' | 'C3' | 'I3';
      localFailure: 'signerNotAnchor' | 'badSignature';
      checkedBy: LocalCheck;
    };

/** The diff of two files. */
export interface ItlDiff {
  a: { kind: FileKind; source: DiffSide['source']; sha1: string; signature: DiffSide['signature']; limits: Limits };
  b: { kind: FileKind; source: DiffSide['source']; sha1: string; signature: DiffSide['signature']; limits: Limits };
  signer: { a: StoredItl['signer']; b: StoredItl['signer']; same: boolean };
  records: RecordChange[];
  itlRecovery: { a?: DiffRecord; b?: DiffRecord; same: boolean };
  verdict: DiffVerdict;
}

const ITL_RECOVERY = /(^|[;,]\s*)CN=ITLRECOVERY_/i;

function cn(subject: string): string {
  return /(?:^|[;,]\s*)CN=([^;,]*)/i.exec(subject)?.[1]?.toLowerCase() ?? subject.toLowerCase();
}

function records(side: DiffSide): DiffRecord[] {
  return side.itl.records.map(({ cert: _cert, ...r }, i) => ({ ...r, number: i + 1, at: side.at[i]! }));
}

/** Records paired by role and common name (the n-th of a kind with the n-th), in A's order then B's additions. Pure. */
function pairRecords(a: DiffRecord[], b: DiffRecord[]): RecordChange[] {
  const key = (r: DiffRecord) => `${r.role}|${cn(r.subject)}`;
  const pool = new Map<string, DiffRecord[]>();
  for (const r of b) pool.set(key(r), [...(pool.get(key(r)) ?? []), r]);
  const used = new Set<DiffRecord>();
  const changes: RecordChange[] = [];
  for (const r of a) {
    // The same certificate first, else the next of the same role and name.
    const candidates = pool.get(key(r)) ?? [];
    const match =
      candidates.find((x) => !used.has(x) && x.certSha1 === r.certSha1) ?? candidates.find((x) => !used.has(x));
    if (!match) {
      changes.push({ change: 'removed', a: r });
      continue;
    }
    used.add(match);
    const fields = (['certSha1', 'serial', 'issuer', 'subject'] as const).filter((f) => r[f] !== match[f]);
    changes.push(
      fields.length === 0 ? { change: 'same', a: r, b: match } : { change: 'changed', a: r, b: match, fields },
    );
  }
  for (const r of b) if (!used.has(r)) changes.push({ change: 'added', b: r });
  return changes;
}

function limits(itl: StoredItl): Limits {
  return {
    records: itl.records.length,
    bytes: itl.length,
    maxRecords: ITL_MAX_RECORDS,
    maxBytes: ITL_MAX_BYTES,
    tooLarge: itl.records.length > ITL_MAX_RECORDS || itl.length > ITL_MAX_BYTES,
  };
}

/** A phone as the rules need one for a diff: its TVS list is not part of the question (TVS is judged by the records). */
const PHONE: PhoneState = {
  id: 'diff',
  tftp: '',
  tvs: [],
  firmware: '',
  online: true,
  itl: null,
  trust: 'trusted',
  status: '',
  configAccepted: true,
  hasConfig: true,
};

/**
 * How the local check can be made for A and B: real RSA only when both are files (B's bytes to
 * verify, A's certificates to verify them with); a listing on either side leaves names and
 * certificate SHA-1s, the symbolic check (symbolicCrypto: B's signer record is A's certificate, and B
 * is not corrupted; a file B whose own signature failed is). Pure.
 */
function localCheckOf(a: DiffSide, b: DiffSide): { checkedBy: LocalCheck; crypto: TrustCrypto } {
  return a.source === 'binary' && b.source === 'binary'
    ? { checkedBy: 'signature', crypto: realCrypto }
    : { checkedBy: 'names', crypto: symbolicCrypto };
}

/**
 * Whether a file has the layout of 12.0 and later (docs/rules.md §16.3, §3.5): a CTL holds a SAST
 * record of ITLRecovery (a 10.x–11.x CTL has none), an ITL is signed by ITLRecovery (before, by a
 * CallManager key; its ITLRECOVERY record is there from 10.0 either way). Pure.
 */
function from12Layout(side: DiffSide): boolean {
  const itl = side.itl;
  return side.kind === 'ctl'
    ? itl.records.some((r) => r.role === Role.SAST && ITL_RECOVERY.test(r.subject))
    : ITL_RECOVERY.test(itl.records[itl.signer.recordIndex]?.subject ?? '');
}

/** The verdict for a phone holding A offered B, by the phones' rules. Pure. */
function verdictOf(a: DiffSide, b: DiffSide, aRecords: DiffRecord[]): DiffVerdict {
  if (a.itl.sha1 !== '' && a.itl.sha1 === b.itl.sha1) return { verdict: 'same' };
  const { checkedBy, crypto } = localCheckOf(a, b);
  // The release is B's (from12Layout): it decides whether a TVS may still be asked (A18, A19).
  const rules = { from12: from12Layout(b), options: modelOptions() };
  const anchorOf = (roles: number[]) =>
    a.itl.records.findIndex(
      (r) => roles.includes(r.role) && r.serial === b.itl.signer.serial && r.issuer === b.itl.signer.issuer,
    );
  if (b.kind === 'ctl') {
    if (a.kind === 'itl') return { verdict: 'first', rule: 'C0' };
    const check = { phone: PHONE, candidate: b.itl, installedCtl: a.itl, installedItl: null, nodes: [], crypto, rules };
    const i = anchorOf([Role.SAST]);
    if (ctlAnchored(check)) return { verdict: 'local', rule: 'C1', record: aRecords[i]!, checkedBy };
    const localFailure = i === -1 ? 'signerNotAnchor' : 'badSignature';
    // From 12.0 C2 never accepts (A19): C3.
    if (!mayAskTvsForCtl(check)) return { verdict: 'never', rule: 'C3', localFailure, checkedBy };
    // Before 12.0 C2 asks TVS through the phone's ITL, which a CTL diff does not hold: the ITL decides.
    return { verdict: 'tvs', rule: 'C2', records: [], localFailure, checkedBy };
  }
  const check: ItlCheck = {
    phone: PHONE,
    installed: a.kind === 'itl' ? a.itl : null,
    candidate: b.itl,
    ctl: a.kind === 'ctl' ? a.itl : null,
    heldCtl: a.kind === 'ctl',
    nodes: [],
    crypto,
    rules,
  };
  if (itlTooLarge(check)) return { verdict: 'too-large' };
  if (a.kind === 'ctl') {
    const i = anchorOf([Role.SAST, Role.CCM_TFTP]);
    if (ctlVouchesForItl(check)) return { verdict: 'local', rule: 'I1', record: aRecords[i]!, checkedBy };
    const localFailure = i === -1 ? 'signerNotAnchor' : 'badSignature';
    // Before 12.0 the phone then asks TVS through the ITL it holds (R3, docs/rules.md §16.6), which a
    // CTL diff does not hold: the ITL decides. From 12.0 it asks no TVS (A18): I3.
    if (mayAskTvsForItl(check)) return { verdict: 'tvs', rule: 'R3', records: [], localFailure, checkedBy };
    return { verdict: 'never', rule: 'I3', localFailure, checkedBy };
  }
  const i = anchorOf([Role.SAST]);
  if (sastVerifies(check)) return { verdict: 'local', rule: 'R2', record: aRecords[i]!, checkedBy };
  const localFailure = i === -1 ? 'signerNotAnchor' : 'badSignature';
  // R3: TLS to a TVS pinned by A that still runs with that certificate (a TVS record of B too).
  const bTvs = new Set(b.itl.records.filter((r) => r.role === Role.TVS).map((r) => r.certSha1));
  const reachable = aRecords.filter((r) => r.role === Role.TVS && bTvs.has(r.certSha1));
  const signer = b.itl.records[b.itl.signer.recordIndex];
  const signed =
    !!signer && crypto.itlSignedBy(b.itl, { sha1: signer.certSha1, ...(signer.cert ? { der: signer.cert } : {}) });
  if (reachable.length > 0 && signed)
    return { verdict: 'tvs', rule: 'R3', records: reachable, localFailure, checkedBy };
  return { verdict: 'never', rule: 'R4', localFailure, checkedBy };
}

/** Compares two files and judges B for a phone holding A. Pure. */
export function diffItl(a: DiffSide, b: DiffSide): ItlDiff {
  const aRecords = records(a);
  const bRecords = records(b);
  const recovery = (rs: DiffRecord[]) => rs.find((r) => r.role === Role.SAST && ITL_RECOVERY.test(r.subject));
  const ra = recovery(aRecords);
  const rb = recovery(bRecords);
  const side = (s: DiffSide) => ({
    kind: s.kind,
    source: s.source,
    sha1: s.itl.sha1,
    signature: s.signature,
    limits: limits(s.itl),
  });
  return {
    a: side(a),
    b: side(b),
    signer: {
      a: a.itl.signer,
      b: b.itl.signer,
      same: a.itl.signer.serial === b.itl.signer.serial && a.itl.signer.issuer === b.itl.signer.issuer,
    },
    records: pairRecords(aRecords, bRecords),
    itlRecovery: {
      ...(ra ? { a: ra } : {}),
      ...(rb ? { b: rb } : {}),
      same: ra?.certSha1 === rb?.certSha1,
    },
    verdict: verdictOf(a, b, aRecords),
  };
}
