/**
 * Field-level shape of every event (contract.md §1) as strict zod schemas: one
 * schema per `type`, each rejecting unknown fields and filling the contract's
 * defaults. Cross-event rules (known nodes, ordering) live in `parseLog`.
 */
import { z } from 'zod';
import type { EventOfType, EventType, KeyBits } from './events.ts';
import { isValidVersion } from './version.ts';

/** Firmware a phone has when `phone.add` does not say. */
export const DEFAULT_FIRMWARE = '10.3(1)';

/** Key size of a node when neither it nor the cluster says. */
export const DEFAULT_KEY_BITS: KeyBits = 2048;

/** Most servers a phone's TVS list (CallManager group) can hold. */
export const MAX_TVS = 5;

const text = z.string().min(1);
// `params.echo` asks the error message to quote the offending value (never set on secrets).
const echo = { echo: true };
const at = z.string().refine((s) => parseTimestamp(s) !== undefined, {
  error: 'must be an ISO-8601 timestamp with offset or Z, e.g. "2014-02-26T10:24:27-08:00"',
  params: echo,
});
const version = text.refine(isValidVersion, { error: 'must be a version like "10.0(1)" or "11.5(1)SU3"', params: echo });
const keyBits = z.literal([1024, 2048]);
const certKind = z.literal(['CallManager', 'TVS', 'CAPF', 'ITLRecovery']);
const sftp = { host: text, user: text, path: text };

const node = z.strictObject({
  name: text,
  role: z.literal(['publisher', 'subscriber']),
  tftp: z.boolean(),
  keyBits: keyBits.optional(),
});

const subject = z.strictObject({
  OU: z.string().optional(),
  O: z.string().optional(),
  L: z.string().optional(),
  ST: z.string().optional(),
  C: z.string().optional(),
});

/** An event object with only `type` and `at` plus the given fields. */
function event<T extends EventType, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), at, ...shape });
}

const clusterInstall = event('cluster.install', {
  version,
  domain: text,
  securityPassword: text,
  nodes: z.array(node).min(1),
  keyBits: keyBits.optional(),
  subject: subject.optional(),
}).transform(({ keyBits: clusterBits, nodes, ...rest }) => {
  const bits = clusterBits ?? DEFAULT_KEY_BITS;
  // A node's own keyBits wins over the cluster's.
  return { ...rest, keyBits: bits, nodes: nodes.map((n) => ({ ...n, keyBits: n.keyBits ?? bits })) };
});

const phoneAdd = event('phone.add', {
  phone: text,
  tftp: text,
  tvs: z.array(text).min(1).max(MAX_TVS).optional(),
  firmware: version.optional(),
}).transform(({ tvs, firmware, ...rest }) => ({
  ...rest,
  tvs: tvs ?? [rest.tftp],
  firmware: firmware ?? DEFAULT_FIRMWARE,
}));

const itlReset = event('itl.reset', {
  node: text,
  key: z.literal(['localkey', 'remotekey']),
  host: text.optional(),
  user: text.optional(),
  path: text.optional(),
});

/** One strict schema per event type; each parses to exactly that event's type. */
export const EVENT_SCHEMAS = {
  'cluster.install': clusterInstall,
  'cluster.upgrade': event('cluster.upgrade', { version }),
  'phone.add': phoneAdd,
  'cert.regenerate': event('cert.regenerate', { node: text, cert: certKind }),
  'node.rename': event('node.rename', { node: text, hostname: text }),
  'cluster.domain': event('cluster.domain', { domain: text }),
  'tftp.restart': event('tftp.restart', { node: text }),
  'itl.reset': itlReset.transform(narrowItlReset),
  'itlrecovery.backup': event('itlrecovery.backup', { node: text, ...sftp }),
  'cluster.password': event('cluster.password', { securityPassword: text }),
  'publisher.rebuild': event('publisher.rebuild', {}),
  'devices.reset': event('devices.reset', {}),
  'phone.reset': event('phone.reset', { phone: text }),
  'phone.power': event('phone.power', { phone: text, on: z.boolean() }),
  'phone.deleteItl': event('phone.deleteItl', { phone: text }),
  'phone.tftp': event('phone.tftp', { phone: text, tftp: text }),
  'tftp.forge': event('tftp.forge', { node: text }),
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
      if (e[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is only allowed with key "remotekey"' });
    }
    return { type, at: when, node: name, key: 'localkey' };
  }
  for (const field of SFTP_FIELDS) {
    if (e[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required with key "remotekey"' });
  }
  return { type, at: when, node: name, key: 'remotekey', host: host ?? '', user: user ?? '', path: path ?? '' };
}

/** An exact instant: whole seconds since the Unix epoch and the fractional digits after them. */
export type Instant = { seconds: number; fraction: string };

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Parses an ISO-8601 date-time with seconds and an offset or `Z`, or returns undefined. Pure. */
export function parseTimestamp(input: string): Instant | undefined {
  const m = TIMESTAMP.exec(input);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offHour, offMinute] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  const fits = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  if (!fits || hour > 23 || minute > 59 || second > 59 || offHour > 23 || offMinute > 59) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (offHour * 3600 + offMinute * 60);
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { seconds: local - offset, fraction: (m[7] ?? '').replace(/0+$/, '') };
}

/** Negative, zero or positive as instant `a` is before, equal to or after `b`. Pure. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return Math.sign(a.seconds - b.seconds);
  const width = Math.max(a.fraction.length, b.fraction.length);
  const [fa, fb] = [a.fraction.padEnd(width, '0'), b.fraction.padEnd(width, '0')];
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil);
// Date.UTC is avoided because it maps years 0-99 to 1900-1999.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
