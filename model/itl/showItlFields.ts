import { cString } from './byteReader.ts';
import { CTL_FILENAME } from './ctlLayout.ts';
import type { ItlFile } from './itlTypes.ts';
import { Role } from './tags.ts';
import { findSigner, type ItlVerdict } from './verifyItl.ts';

const ROLE_NAMES: Readonly<Record<number, string>> = {
  [Role.SAST]: 'System Administrator Security Token',
  [Role.CCM]: 'CCM',
  [Role.CCM_TFTP]: 'CCM+TFTP',
  [Role.TFTP]: 'TFTP',
  [Role.CAPF]: 'CAPF',
  [Role.APP_SERVER]: 'APP-SERVER',
  [Role.TVS]: 'TVS',
};

const HASH_NAMES: Readonly<Record<number, string>> = { 1: 'SHA-1', 2: 'SHA-256', 3: 'SHA-512' };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Which listing a file gets: CUCM's `show ctl` or `show itl`. */
export type FileKind = 'ctl' | 'itl';

/**
 * `ctl` when the header's FILENAME is exactly `CTLFile.tlv` (what CUCM and `tlvfile --build
 * CTLFile.tlv` write), else `itl`: every other file, a file without FILENAME included, is listed
 * as `show itl` lists it. Pure.
 */
export function fileKind(file: Pick<ItlFile, 'filename'>): FileKind {
  return file.filename === CTL_FILENAME ? 'ctl' : 'itl';
}

/** An IPADDRESS value as text: dotted IPv4 for 4 bytes, else the value read as a string. Pure. */
export function ipAddressText(value: Uint8Array): string {
  return value.length === 4 ? Array.from(value).join('.') : cString(value);
}

/** The FUNCTION text CUCM prints for a role code, or the number for a role it has no name for. Pure. */
export function roleName(role: number): string {
  return ROLE_NAMES[role] ?? String(role);
}

/** The name of a digest / CERTHASH algorithm code (1 SHA-1, 2 SHA-256, 3 SHA-512), or the number. Pure. */
export function hashAlgorithmName(code: number): string {
  return HASH_NAMES[code] ?? String(code);
}

/** Bytes as CUCM prints serial numbers: uppercase hex pairs joined by colons. Pure. */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** Bytes as CUCM prints hashes: uppercase hex pairs joined by spaces. Pure. */
export function spacedHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

/** A signature dump as CUCM prints it: 8 bytes a line, lowercase hex without leading zeros. Pure. */
export function signatureDump(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    lines.push(Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16)).join(' '));
  }
  return lines;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Unix seconds in the form of Java's Date.toString (what CUCM prints), always in UTC so output is deterministic. Pure. */
export function cucmDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/** Index of the record the header names as signer (SAST with the header's serial and issuer), or -1. Pure. */
export function signerIndexOf(file: ItlFile, verdict: ItlVerdict): number {
  return 'signerIndex' in verdict ? verdict.signerIndex : findSigner(file);
}

/** Why a file did not verify, as a sentence fragment; undefined when it verified. Pure. */
export function verdictReason(verdict: ItlVerdict, kind: FileKind = 'itl'): string | undefined {
  switch (verdict.status) {
    case 'verified':
      return undefined;
    case 'invalid-signature':
      return "the signature does not match the signer's key";
    case 'no-signer':
      return "no System Administrator Security Token record matches the header's serial number and issuer";
    case 'unsupported-digest':
      return `the digest algorithm ${verdict.digest} is not supported`;
    case 'unusable-key':
      return `the signer's record (${kind.toUpperCase()} Record #:${verdict.signerIndex + 1}) has no usable public key`;
    default: {
      const never: never = verdict;
      throw new Error(`bug: unknown verdict ${JSON.stringify(never)}`);
    }
  }
}
