/**
 * What a `show itl` or `show ctl` listing holds, read back (parseShowItl.ts reads it): its records
 * and signer, the error that refuses one, and the words CUCM prints in it (field names with their
 * tags, typos included, FUNCTION texts, the values a terminal may wrap).
 */
import type { RecordSummary } from '../cluster/itlStore.ts';
import type { FileKind } from './showItlFields.ts';
import { Role } from './tags.ts';

/** One record of a listing, as a `RecordSummary` (never with `cert`: the listing has no DER) and where it was read. */
export interface ListedRecord extends RecordSummary {
  /** 1-based, as in `ITL Record #:n`. */
  number: number;
  /** The 1-based line of its `ITL Record #:n` heading. */
  line: number;
  /** Where `certSha1` came from: the SHA-1 printed after CERTIFICATE, a CERTHASH value, or neither (a certificate-less CTL record: `certSha1` is ''). */
  certSource: 'certificate' | 'certhash' | 'none';
  /** The DNSNAME text, when the listing prints one (CTL records name their node). */
  dnsName?: string;
  /** What the listing says under a SAST record: true `This etoken was used to sign…`, false `was not used`; absent when it says neither. */
  signedTheFile?: boolean;
}

/** A `show itl` or `show ctl` listing read back: the file's checksums and length as printed, its signer and its records. */
export interface ShowItlListing {
  /** `ctl` when the sentences say CTL (`show ctl`), else `itl`. */
  kind: FileKind;
  /** Lowercase hex, from the `…(MD5)` line; absent when the listing has no checksum lines. */
  md5?: string;
  /** Lowercase hex, from the `…(SHA1)` line: the hash a phone reports for the file it holds. */
  sha1?: string;
  /** From `Length of ITL file: N`. */
  length?: number;
  /** The text after `was last modified on`, as printed (CUCM prints local time with its zone). */
  modified?: string;
  /** From `Version: 1.2`. */
  version?: string;
  /** From `HeaderLength: N (BYTES)`. */
  headerLength?: number;
  /**
   * The header's SIGNERNAME, SERIALNUMBER (lowercase hex) and CANAME, and the 0-based index of the
   * record that signed (as `StoredItl.signer`): the record the listing says `was used to sign`, else
   * the SAST record with the header's serial and issuer, else -1.
   */
  signer: { subject: string; serial: string; issuer: string; recordIndex: number };
  records: ListedRecord[];
  /** What the last line says: true `…was verified successfully`, false `…could not be verified…` (or failed); absent when it says neither. */
  verified?: boolean;
  /** The line of that verdict. */
  verdictLine?: number;
}

/** A listing that cannot be read: the 1-based line and why. */
export class ListingError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'ListingError';
  }
}

/** Header field names as CUCM prints them (typos included), with the correct spellings accepted too. */
export const HEADER_TAGS: Readonly<Record<string, number>> = {
  SIGNERID: 3,
  SIGNERNAME: 4,
  SERIALNUMBER: 5,
  CANAME: 6,
  SIGNATUREINFO: 7,
  DIGESTALGORTITHM: 8,
  DIGESTALGORITHM: 8,
  SIGNATUREALGOINFO: 9,
  SIGNATUREALGORTITHM: 10,
  SIGNATUREALGORITHM: 10,
  SIGNATUREMODULUS: 11,
  SIGNATURE: 12,
  FILENAME: 14,
  TIMESTAMP: 15,
  SIGNERVERSION: 28,
};

export /** Record field names as CUCM prints them, to their tags. */
const RECORD_TAGS: Readonly<Record<string, number>> = {
  RECORDLENGTH: 1,
  DNSNAME: 2,
  SUBJECTNAME: 3,
  FUNCTION: 4,
  ISSUERNAME: 5,
  SERIALNUMBER: 6,
  PUBLICKEY: 7,
  SIGNATURE: 8,
  CERTIFICATE: 9,
  IPADDRESS: 10,
  CERTHASH: 11,
  'HASH ALGORITHM': 12,
};

/** FUNCTION texts (upper case) to role codes: what `show itl` prints, and the short SAST. */
export const ROLES: Readonly<Record<string, number>> = {
  'SYSTEM ADMINISTRATOR SECURITY TOKEN': Role.SAST,
  SAST: Role.SAST,
  CCM: Role.CCM,
  'CCM+TFTP': Role.CCM_TFTP,
  TFTP: Role.TFTP,
  CAPF: Role.CAPF,
  'APP-SERVER': Role.APP_SERVER,
  TVS: Role.TVS,
};

/** Values that a terminal may wrap onto the next line: names are joined as they are, hex values with a space. */
export const NAME_FIELDS = new Set(['SIGNERNAME', 'CANAME', 'DNSNAME', 'SUBJECTNAME', 'ISSUERNAME']);
/** Hex values a terminal may wrap (joined with a space). */
export const HEX_FIELDS = new Set(['SERIALNUMBER', 'CERTIFICATE', 'CERTHASH']);
