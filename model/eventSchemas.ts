/**
 * Field-level shape of every event (docs/log-format.md) as strict zod schemas: one
 * schema per `type`, each rejecting unknown fields and filling the log format's
 * defaults. Cross-event rules (known nodes, ordering) live in `parseLog`.
 */
import { z } from 'zod';
import type { EventOfType, EventType, KeyBits } from './events.ts';
import { FIRST_AT, inTimestampRange, LAST_AT, parseTimestamp, TIMESTAMP, type Instant } from './timestamps.ts';
import { CLIENT_PREFIXES, DEVICE_NAME, DNS_LABEL, DNS_NAME, isHost, MAC_PREFIXES, MAX_DNS_NAME } from './names.ts';
import { isValidVersion, versionSupportProblem } from './version.ts';

/** Firmware a phone has when `phone.add` does not say. */
export const DEFAULT_FIRMWARE = '10.3(1)';

/** Key size of a node when neither it nor the cluster says. */
export const DEFAULT_KEY_BITS: KeyBits = 2048;

/** Most servers a phone's TVS list (CallManager group) can hold. */
export const MAX_TVS = 5;

/**
 * Most nodes a cluster may have, in a log's cluster.install and in a folder's cluster.json: a CUCM
 * cluster has at most 21 servers; 64 leaves room and keeps every ITL, report and state small (1,000
 * nodes grew one replay past 2.9 GB).
 */
export const MAX_NODES = 64;

/** A string without control characters (C0, DEL, C1): no log string may hold one. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const plain = (max: number) =>
  z
    .string()
    .min(1)
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL, { error: 'must not contain control characters' });
const text = plain(1024);
// `params.echo` asks the error message to quote the offending value (never set on secrets).
const echo = { echo: true };
/** The last timestamp parsed: a line's `at` is read three times (two checks here, then the parser's order rule). */
let lastAt: { input: string; instant: Instant | undefined } | undefined;

/** `parseTimestamp`, remembering the last string (a memo of a pure function; instants are never written). Pure. */
export function timestampOf(input: string): Instant | undefined {
  if (lastAt?.input !== input) lastAt = { input, instant: parseTimestamp(input) };
  return lastAt.instant;
}

const AT_SHAPE = 'must be an ISO-8601 timestamp with offset or Z, e.g. "2014-02-26T10:24:27-08:00"';
const at = z
  .string()
  .regex(TIMESTAMP, { error: AT_SHAPE })
  .refine((s) => timestampOf(s) !== undefined, {
    error: AT_SHAPE,
    params: echo,
  })
  .refine((s) => inTimestampRange(timestampOf(s)), {
    error: `must lie from ${FIRST_AT} to ${LAST_AT} (an ITL's TIMESTAMP is an unsigned 32-bit Unix time)`,
    params: echo,
  });
const version = plain(32).refine(isValidVersion, {
  error: 'must be a version like "10.0(1)" or "11.5(1)SU3"',
  params: echo,
});
const cucmVersion = version.superRefine((v, ctx) => {
  const problem = isValidVersion(v) ? versionSupportProblem(v) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const deviceName = z.string().regex(DEVICE_NAME, {
  error: `must be a device name: ${MAC_PREFIXES.join(' or ')} and 12 hex digits, or ${CLIENT_PREFIXES.join(', ')} and 1-12 letters or digits`,
});
const LABEL_RULE = '1-63 letters, digits or hyphens, not starting or ending with a hyphen';
const nodeName = z.string().regex(DNS_LABEL, { error: `must be a DNS label (RFC 1123): ${LABEL_RULE}` });
const domain = z.string().regex(DNS_NAME, {
  error: `must be a DNS name of at most ${MAX_DNS_NAME} characters: dot-separated labels of ${LABEL_RULE}`,
});
const host = plain(MAX_DNS_NAME).refine(isHost, {
  error: 'must be a DNS name or an IPv4 or IPv6 address',
  params: echo,
});
const keyBits = z.literal([1024, 2048]);
// 3072 is left out: a TLV file's SIGNATUREMODULUS has no code for a 3072-bit signature (model/events.ts RegenKeyBits).
const regenKeyBits = z.literal([1024, 2048, 4096]);
const recoveryYears = z.literal([5, 10, 15, 20]);
const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = z
  .string()
  .regex(new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`), { error: 'must be an IPv4 address like "10.1.1.10"' });
const certKind = z.literal(['CallManager', 'TVS', 'CAPF', 'ITLRecovery']);
const sftp = { host, user: plain(64).regex(/^\S+$/, { error: 'must not contain spaces' }), path: text };
const subjectPart = plain(64).regex(/^[^;=]+$/, { error: 'must not contain ";" or "="' });

const node = z.strictObject({
  name: nodeName,
  role: z.literal(['publisher', 'subscriber']),
  tftp: z.boolean(),
  keyBits: keyBits.optional(),
  ip: ipv4.optional(),
});

const subject = z.strictObject({
  OU: subjectPart.optional(),
  O: subjectPart.optional(),
  L: subjectPart.optional(),
  ST: subjectPart.optional(),
  C: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: 'must be two capital letters (ISO 3166 country code)' })
    .optional(),
});

/** An event object with only `type` and `at` plus the given fields. */
function event<T extends EventType, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), at, ...shape });
}

const clusterInstall = event('cluster.install', {
  version: cucmVersion,
  domain,
  securityPassword: plain(256),
  nodes: z.array(node).min(1).max(MAX_NODES),
  keyBits: keyBits.optional(),
  subject: subject.optional(),
  itlRecoveryKeyBits: keyBits.optional(),
  itlRecoveryYears: recoveryYears.optional(),
}).transform(({ keyBits: clusterBits, nodes, ...rest }) => {
  const bits = clusterBits ?? DEFAULT_KEY_BITS;
  // A node's own keyBits wins over the cluster's.
  return { ...rest, keyBits: bits, nodes: nodes.map((n) => ({ ...n, keyBits: n.keyBits ?? bits })) };
});

const phoneAdd = event('phone.add', {
  phone: deviceName,
  tftp: nodeName,
  tvs: z.array(nodeName).min(1).max(MAX_TVS).optional(),
  firmware: version.optional(),
  sbd: z.boolean().optional(),
  securityProfile: z.literal(['non-secure', 'authenticated', 'encrypted']).optional(),
}).transform(({ tvs, firmware, ...rest }) => ({
  ...rest,
  tvs: tvs ?? [rest.tftp],
  firmware: firmware ?? DEFAULT_FIRMWARE,
}));

const clusterParameter = z.discriminatedUnion('name', [
  event('cluster.parameter', { name: z.literal('prepareRollbackPre80'), value: z.boolean() }),
  event('cluster.parameter', {
    name: z.literal('phoneInteractionOnCertificateUpdate'),
    value: z.literal(['automatic', 'manual']),
  }),
]);

const itlReset = event('itl.reset', {
  node: nodeName,
  key: z.literal(['localkey', 'remotekey']),
  host: sftp.host.optional(),
  user: sftp.user.optional(),
  path: sftp.path.optional(),
});

/** One strict schema per event type; each parses to exactly that event's type. */
export const EVENT_SCHEMAS = {
  'cluster.install': clusterInstall,
  'cluster.upgrade': event('cluster.upgrade', {
    version: cucmVersion,
    method: z.literal(['refresh', 'l2']).optional(),
  }),
  'phone.add': phoneAdd,
  'cert.regenerate': event('cert.regenerate', {
    node: nodeName,
    cert: certKind,
    keyBits: regenKeyBits.optional(),
    years: recoveryYears.optional(),
  }),
  'node.rename': event('node.rename', { node: nodeName, hostname: nodeName }),
  'cluster.domain': event('cluster.domain', { domain }),
  'tftp.restart': event('tftp.restart', { node: nodeName }),
  'itl.reset': itlReset.transform(narrowItlReset),
  'itlrecovery.backup': event('itlrecovery.backup', { node: nodeName, ...sftp }),
  'cluster.password': event('cluster.password', { securityPassword: plain(256) }),
  'publisher.rebuild': event('publisher.rebuild', {}),
  'devices.reset': event('devices.reset', {}),
  'phone.reset': event('phone.reset', { phone: deviceName }),
  'phone.power': event('phone.power', { phone: deviceName, on: z.boolean() }),
  'phone.deleteItl': event('phone.deleteItl', { phone: deviceName }),
  'phone.tftp': event('phone.tftp', { phone: deviceName, tftp: nodeName }),
  'tftp.forge': event('tftp.forge', { node: nodeName }),
  'tftp.corrupt': event('tftp.corrupt', { node: nodeName }),
  'ctl.setCluster': event('ctl.setCluster', { node: nodeName, mode: z.literal(['mixed', 'non-secure']) }),
  'ctl.update': event('ctl.update', { node: nodeName }),
  'ctl.reset': event('ctl.reset', { node: nodeName, key: z.literal('localkey') }),
  'cluster.parameter': clusterParameter,
  'service.restart': event('service.restart', {
    node: nodeName,
    service: z.literal(['CallManager', 'CTIManager', 'TVS', 'CAPF']),
  }),
  'phone.deleteCtl': event('phone.deleteCtl', { phone: deviceName }),
  'phone.factoryReset': event('phone.factoryReset', { phone: deviceName }),
  'cert.reuse': event('cert.reuse', { from: z.literal(['tomcat', 'tomcat-ECDSA']) }),
} satisfies { [T in EventType]: z.ZodType<EventOfType<T>> };

const SFTP_FIELDS = ['host', 'user', 'path'] as const;

/** `remotekey` needs an SFTP location and `localkey` takes none. */
function narrowItlReset(
  e: z.output<typeof itlReset>,
  ctx: z.core.$RefinementCtx<z.output<typeof itlReset>>,
): EventOfType<'itl.reset'> {
  const { type, at: when, node: name, host, user, path } = e;
  if (e.key === 'localkey') {
    for (const field of SFTP_FIELDS) {
      if (e[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is only allowed with key "remotekey"' });
    }
    return { type, at: when, node: name, key: 'localkey' };
  }
  for (const field of SFTP_FIELDS) {
    if (e[field] === undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: 'is required with key "remotekey"' });
  }
  return { type, at: when, node: name, key: 'remotekey', host: host ?? '', user: user ?? '', path: path ?? '' };
}

/**
 * The fields an event of each type may carry besides `type`: its schema's keys (a transformed schema's
 * input's, every member's of a union), for code that must name them (the inspector's views). Pure.
 */
export function eventFields(type: EventType): readonly string[] {
  return [...new Set(keysOf(EVENT_SCHEMAS[type]))].filter((k) => k !== 'type');
}

function keysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodPipe) return keysOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(keysOf);
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  throw new Error('bug: an event schema that is not an object');
}
