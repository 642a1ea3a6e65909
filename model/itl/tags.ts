/** Header tags of the CUCM TLV format (docs/rules.md §3.2). */
export const HeaderTag = {
  VERSION: 1,
  HEADER_LENGTH: 2,
  SIGNER_ID: 3,
  SIGNER_NAME: 4,
  SERIAL_NUMBER: 5,
  CA_NAME: 6,
  SIGNATURE_INFO: 7,
  DIGEST_ALGORITHM: 8,
  SIGNATURE_ALGORITHM_INFO: 9,
  SIGNATURE_ALGORITHM: 10,
  SIGNATURE_MODULUS: 11,
  SIGNATURE: 12,
  PADDING: 13,
  FILENAME: 14,
  TIMESTAMP: 15,
  SIGNER_VERSION: 28,
} as const;

/** Record tags of the CUCM TLV format (docs/rules.md §3.3). */
export const RecordTag = {
  RECORD_LENGTH: 1,
  DNS_NAME: 2,
  SUBJECT_NAME: 3,
  FUNCTION: 4,
  ISSUER_NAME: 5,
  SERIAL_NUMBER: 6,
  PUBLIC_KEY: 7,
  SIGNATURE: 8,
  CERTIFICATE: 9,
  IP_ADDRESS: 10,
  CERTIFICATE_HASH: 11,
  HASH_ALGORITHM: 12,
} as const;

/** Record roles ("FUNCTION"). */
export const Role = { SAST: 0, CCM: 1, CCM_TFTP: 2, TFTP: 3, CAPF: 4, APP_SERVER: 7, TVS: 21 } as const;
export type RoleCode = (typeof Role)[keyof typeof Role];

/** Header tags that open a group: the 2-byte length is the size of the elements that follow, no value of their own. */
export const CONTAINER_TAGS: ReadonlySet<number> = new Set([
  HeaderTag.SIGNER_ID,
  HeaderTag.SIGNATURE_INFO,
  HeaderTag.SIGNATURE_ALGORITHM_INFO,
]);

/** Header fields whose value has one fixed length. */
export const FIXED_HEADER_LENGTHS: Readonly<Record<number, number>> = {
  [HeaderTag.VERSION]: 2,
  [HeaderTag.HEADER_LENGTH]: 2,
  [HeaderTag.DIGEST_ALGORITHM]: 1,
  [HeaderTag.SIGNATURE_ALGORITHM]: 1,
  [HeaderTag.SIGNATURE_MODULUS]: 1,
  [HeaderTag.TIMESTAMP]: 4,
  [HeaderTag.SIGNER_VERSION]: 2,
};

/** Record fields whose value has one fixed length. */
export const FIXED_RECORD_LENGTHS: Readonly<Record<number, number>> = {
  [RecordTag.RECORD_LENGTH]: 2,
  [RecordTag.FUNCTION]: 2,
  [RecordTag.HASH_ALGORITHM]: 1,
};

/** Digest algorithm codes (header tag 8) and CERTHASH algorithm codes (record tag 12). */
export const DIGEST_CODES = { sha1: 1, sha256: 2, sha512: 3 } as const;

/** The digest a header's tag-8 code names, or undefined for a code the format does not define. Pure. */
export function digestName(code: number): keyof typeof DIGEST_CODES | undefined {
  return (Object.keys(DIGEST_CODES) as Array<keyof typeof DIGEST_CODES>).find((name) => DIGEST_CODES[name] === code);
}

/** Signature sizes indexed by the SIGNATUREMODULUS byte. */
export const SIGNATURE_SIZES = [64, 128, 256, 512] as const;
