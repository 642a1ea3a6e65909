/** One element of the header, in file order: a value, a group marker, or a padding byte. */
export type HeaderElement =
  | { kind: 'field'; tag: number; offset: number; value: Uint8Array }
  | { kind: 'group'; tag: number; offset: number; length: number }
  | { kind: 'padding'; offset: number };

/** One TLV of a record, in file order. */
export interface RecordElement {
  tag: number;
  offset: number;
  value: Uint8Array;
}

/**
 * A decoded record with its elements and the values the model reads. Only RECORDLENGTH and
 * FUNCTION are required: a certificate-less record (non-secure CTL: RECORDLENGTH, DNSNAME,
 * FUNCTION, IPADDRESS) reads with empty `subjectName`, `issuerName` and `serial`; `elements`
 * tells an absent field from an empty one.
 */
export interface ItlRecord {
  offset: number;
  length: number;
  elements: RecordElement[];
  role: number;
  subjectName: string;
  issuerName: string;
  /** Lowercase hex. */
  serial: string;
  /** DNSNAME up to its first NUL: '' for an ITL record's two NUL bytes, the node's hostname in a CTL. */
  dnsName?: string;
  publicKey?: Uint8Array;
  signature?: Uint8Array;
  certificate?: Uint8Array;
  certHash?: Uint8Array;
  hashAlgorithm?: number;
  /** The IPADDRESS value as written (4 bytes, an IPv4 address, in CUCM's CTL records). */
  ipAddress?: Uint8Array;
}

/** A decoded ITL (or any file in the CUCM TLV format). */
export interface ItlFile {
  length: number;
  version: string;
  headerLength: number;
  signerVersion?: string;
  signerName: string;
  caName: string;
  /** Lowercase hex. */
  serial: string;
  digestAlgorithm: number;
  signatureAlgorithm?: number;
  signatureModulus?: number;
  signature: Uint8Array;
  /** Offset of the SIGNATURE element's tag byte: the signed data is the file without this element. */
  signatureOffset: number;
  filename?: string;
  /** Unix seconds. */
  timestamp?: number;
  header: HeaderElement[];
  records: ItlRecord[];
}

/** The layout an encoder writes: header elements and records, each in file order (offsets are not needed). */
export interface ItlLayout {
  header: Array<
    | { kind: 'field'; tag: number; value: Uint8Array }
    | { kind: 'group'; tag: number; length: number }
    | { kind: 'padding' }
  >;
  records: Array<Array<{ tag: number; value: Uint8Array }>>;
}

/** Input that is not a well-formed TLV file: carries the byte offset where reading failed. */
export class ItlFormatError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`offset ${offset}: ${reason}`);
    this.name = 'ItlFormatError';
  }
}
