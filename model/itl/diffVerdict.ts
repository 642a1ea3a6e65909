/**
 * The verdict half of `diff A B` (diffItl.ts compares the records): what a phone holding A does when
 * it is offered B, decided by the phones' own rules (model/trust) on a stand-in phone, with real RSA
 * when both files are at hand and by names when a listing is. A module of its own: the record
 * comparison never needs the rules. Pure.
 */
import { modelOptions } from '../cluster/install.ts';
import type { PhoneState } from '../cluster/clusterState.ts';
import { ctlAnchored, mayAskTvsForCtl } from '../trust/ctlRules.ts';
import { ctlVouchesForItl, itlTooLarge, mayAskTvsForItl, sastVerifies, type ItlCheck } from '../trust/itlRules.ts';
import { realCrypto } from '../trust/realCrypto.ts';
import { symbolicCrypto } from '../trust/symbolicCrypto.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import type { DiffRecord, DiffSide } from './diffItl.ts';
import { Role } from './tags.ts';

/** A subject naming an ITLRecovery certificate (`CN=ITLRECOVERY_<publisher>`). */
export const ITL_RECOVERY = /(^|[;,]\s*)CN=ITLRECOVERY_/i;

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
export function verdictOf(a: DiffSide, b: DiffSide, aRecords: DiffRecord[]): DiffVerdict {
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
