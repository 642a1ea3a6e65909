/**
 * `diff A B`: two ITL or CTL files (the files themselves, or `show itl` / `show ctl` listings of them)
 * compared record by record, and what a phone holding A does when it is offered B, by the phones'
 * rules (model/trust: R2 and R3 for an ITL; C1, C2 and, from 12.0, C3 for a CTL; I1 for an ITL under
 * a CTL, then R3 before 12.0 and I3 from 12.0; H2 for one too large to load), which diffVerdict.ts
 * decides. docs/cluster-folder.md, "diff". Pure.
 */
import { storeItl, type RecordSummary, type StoredItl } from '../cluster/itlStore.ts';
import { ITL_MAX_BYTES, ITL_MAX_RECORDS } from '../trust/itlRules.ts';
import { invalidUtf8At } from '../invalidUtf8.ts';
import { decodeItl } from './decodeItl.ts';
import { ItlFormatError } from './itlTypes.ts';
import { ListingError, parseShowItl } from './parseShowItl.ts';
import { fileKind, type FileKind } from './showItlFields.ts';
import { ITL_RECOVERY, verdictOf, type DiffVerdict } from './diffVerdict.ts';
import { Role } from './tags.ts';
import { verifyItl } from './verifyItl.ts';

export type { DiffVerdict, LocalCheck } from './diffVerdict.ts';

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
    // Text that is not a TLV file: a listing. Bytes that are neither: the binary reason (said to be
    // neither when they are text, so that a text file is not refused in the terms of a binary one alone).
    const bad = invalidUtf8At(bytes);
    const text = bad === -1 ? new TextDecoder().decode(bytes) : '';
    if (bad !== -1) throw new DiffInputError({ offset: error.offset }, error.reason);
    if (!/ITL Record #|CTL Record #|Version:|Length of/i.test(text))
      throw new DiffInputError(
        { offset: error.offset },
        `neither an ITL or CTL file (${error.reason}) nor a show itl or show ctl listing`,
      );
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

/** The diff of two files. */
export interface ItlDiff {
  a: { kind: FileKind; source: DiffSide['source']; sha1: string; signature: DiffSide['signature']; limits: Limits };
  b: { kind: FileKind; source: DiffSide['source']; sha1: string; signature: DiffSide['signature']; limits: Limits };
  signer: { a: StoredItl['signer']; b: StoredItl['signer']; same: boolean };
  records: RecordChange[];
  itlRecovery: { a?: DiffRecord; b?: DiffRecord; same: boolean };
  verdict: DiffVerdict;
}

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
