import type { Certificate } from '../certs/certificate.ts';
import { keyFor, type KeyRef } from '../crypto/keyStore.ts';
import { signPkcs1, type DigestName } from '../crypto/pkcs1.ts';
import { certFields } from './certFields.ts';
import { encodeItl, signedBytes, u16, versionBytes } from './encodeItl.ts';
import type { ItlLayout } from './itlTypes.ts';
import { DIGEST_CODES, HeaderTag, RecordTag, SIGNATURE_SIZES, type RoleCode } from './tags.ts';

/**
 * One record to write: a certificate in a role, carried whole or as its SHA-1 hash (CUCM 10.x does
 * both). A CTL record also names the node it belongs to (`show ctl`: `2 DNSNAME <len> <name>`,
 * `10 IPADDRESS 4`); an ITL record does not.
 */
export interface RecordSpec {
  role: RoleCode;
  cert: Certificate;
  form: 'certificate' | 'hash';
  /**
   * DNSNAME, written as the text and a NUL. Absent: the two-byte empty DNSNAME of CUCM's ITL
   * records (seed: "2 DNSNAME 2"), so an ITL's bytes do not change.
   */
  dnsName?: string;
  /** IPv4 address in dotted form, written as IPADDRESS (tag 10, 4 bytes) after the certificate fields. Absent: no IPADDRESS. */
  ip?: string;
}

/**
 * A record without a certificate: what `utils ctl set-cluster non-secure-mode` leaves of each
 * CCM+TFTP record of the CTL (10.0 listing: RECORDLENGTH 33 with only RECORDLENGTH, DNSNAME,
 * FUNCTION and IPADDRESS). `dnsName` and `ip` are written as in `RecordSpec`.
 */
export interface EmptyRecordSpec {
  role: RoleCode;
  form: 'empty';
  dnsName?: string;
  ip?: string;
}

/** Any record a file can hold: with a certificate (whole or hashed) or without one. */
export type AnyRecordSpec = RecordSpec | EmptyRecordSpec;

/** Everything a signed TLV file is built from. */
export interface ItlSpec {
  signer: { cert: Certificate; key: KeyRef };
  records: AnyRecordSpec[];
  /** Unix seconds (from the event that caused the build, never the clock). */
  timestamp: number;
  filename?: string;
  digest?: DigestName;
  version?: string;
}

const text = (s: string) => Buffer.from(s + '\u0000', 'utf8');
const bytes = (hexText: string) => Buffer.from(hexText, 'hex');
const field = (tag: number, value: Uint8Array) => ({ kind: 'field' as const, tag, value });

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The 4 bytes of a dotted IPv4 address (no leading zeros, each part 0-255); throws a RangeError for anything else. Pure. */
export function ipv4Bytes(ip: string): Uint8Array {
  const parts = IPV4.exec(ip);
  if (!parts) throw new RangeError(`not an IPv4 address in dotted form: ${JSON.stringify(ip)}`);
  return Uint8Array.from(parts.slice(1, 5), Number);
}

function recordElements(spec: AnyRecordSpec): Array<{ tag: number; value: Uint8Array }> {
  // CUCM writes a two-byte empty DNS name in the ITL (seed: "2 DNSNAME 2"), the node's name in the CTL.
  if (spec.dnsName?.includes('\u0000')) throw new RangeError(`a DNS name holds a NUL: ${JSON.stringify(spec.dnsName)}`);
  const dnsName = {
    tag: RecordTag.DNS_NAME,
    value: spec.dnsName === undefined ? new Uint8Array(2) : text(spec.dnsName),
  };
  const role = { tag: RecordTag.FUNCTION, value: u16(spec.role) };
  const ip = spec.ip === undefined ? [] : [{ tag: RecordTag.IP_ADDRESS, value: ipv4Bytes(spec.ip) }];
  let body: Array<{ tag: number; value: Uint8Array }>;
  if (spec.form === 'empty') {
    body = [dnsName, role, ...ip];
  } else {
    const { der, publicKey, signature } = certFields(spec.cert);
    body = [
      dnsName,
      { tag: RecordTag.SUBJECT_NAME, value: text(spec.cert.subject) },
      role,
      { tag: RecordTag.ISSUER_NAME, value: text(spec.cert.issuer) },
      { tag: RecordTag.SERIAL_NUMBER, value: bytes(spec.cert.serial) },
      { tag: RecordTag.PUBLIC_KEY, value: publicKey },
      { tag: RecordTag.SIGNATURE, value: signature },
      ...(spec.form === 'certificate'
        ? [{ tag: RecordTag.CERTIFICATE, value: der }]
        : [
            { tag: RecordTag.CERTIFICATE_HASH, value: bytes(spec.cert.sha1) },
            { tag: RecordTag.HASH_ALGORITHM, value: Uint8Array.of(DIGEST_CODES.sha1) },
          ]),
      // The CTL listings print IPADDRESS last, after CERTIFICATE (TOKENLESS, 10.5).
      ...ip,
    ];
  }
  const length = 5 + body.reduce((sum, e) => sum + 3 + e.value.length, 0);
  return [{ tag: RecordTag.RECORD_LENGTH, value: u16(length) }, ...body];
}

function headerElements(spec: ItlSpec, signature: Uint8Array): ItlLayout['header'] {
  const { cert } = spec.signer;
  const signerName = text(cert.subject);
  const caName = text(cert.issuer);
  const serial = bytes(cert.serial);
  const modulus = SIGNATURE_SIZES.indexOf(signature.length as (typeof SIGNATURE_SIZES)[number]);
  const elements: ItlLayout['header'] = [
    field(HeaderTag.VERSION, versionBytes(spec.version ?? '1.2')),
    field(HeaderTag.HEADER_LENGTH, u16(0)),
    { kind: 'group', tag: HeaderTag.SIGNER_ID, length: 9 + signerName.length + serial.length + caName.length },
    field(HeaderTag.SIGNER_NAME, signerName),
    field(HeaderTag.SERIAL_NUMBER, serial),
    field(HeaderTag.CA_NAME, caName),
    { kind: 'group', tag: HeaderTag.SIGNATURE_INFO, length: 15 },
    field(HeaderTag.DIGEST_ALGORITHM, Uint8Array.of(DIGEST_CODES[spec.digest ?? 'sha1'])),
    { kind: 'group', tag: HeaderTag.SIGNATURE_ALGORITHM_INFO, length: 8 },
    field(HeaderTag.SIGNATURE_ALGORITHM, Uint8Array.of(0)),
    field(HeaderTag.SIGNATURE_MODULUS, Uint8Array.of(modulus)),
    field(HeaderTag.SIGNATURE, signature),
    field(HeaderTag.FILENAME, text(spec.filename ?? 'ITLFile.tlv')),
    field(
      HeaderTag.TIMESTAMP,
      Uint8Array.of(
        spec.timestamp >>> 24,
        (spec.timestamp >>> 16) & 0xff,
        (spec.timestamp >>> 8) & 0xff,
        spec.timestamp & 0xff,
      ),
    ),
  ];
  // Pad the header to a multiple of four bytes, as CUCM and tlvfile do (seed: 323 -> 324).
  let length = elements.reduce(
    (sum, e) => sum + (e.kind === 'padding' ? 1 : e.kind === 'group' ? 3 : 3 + e.value.length),
    0,
  );
  while (length % 4) {
    elements.push({ kind: 'padding' });
    length++;
  }
  elements[1] = field(HeaderTag.HEADER_LENGTH, u16(length));
  return elements;
}

/** Where the SIGNATURE element starts in a header built by `headerElements`. */
function signatureOffset(header: ItlLayout['header']): number {
  let offset = 0;
  for (const e of header) {
    if (e.kind === 'field' && e.tag === HeaderTag.SIGNATURE) return offset;
    offset += e.kind === 'padding' ? 1 : e.kind === 'group' ? 3 : 3 + e.value.length;
  }
  throw new Error('bug: header without SIGNATURE');
}

/**
 * Builds and signs a TLV file in CUCM's layout: the header, then the records in the order
 * given; the RSA PKCS#1 v1.5 signature covers the whole file without its SIGNATURE element. Pure.
 */
export function buildItl(spec: ItlSpec): Uint8Array {
  const placeholder = new Uint8Array(spec.signer.key.bits / 8);
  const header = headerElements(spec, placeholder);
  const records = spec.records.map(recordElements);
  const unsigned = encodeItl({ header, records });
  const offset = signatureOffset(header);
  const toSign = signedBytes(unsigned, { signatureOffset: offset, signature: placeholder });
  const signature = signPkcs1(keyFor(spec.signer.key).privateKey, spec.digest ?? 'sha1', toSign);
  unsigned.set(signature, offset + 3);
  return unsigned;
}
