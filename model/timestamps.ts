/**
 * Timestamps of the log (`at`): ISO-8601 with seconds and an offset, compared as exact instants,
 * within the range an ITL's TIMESTAMP can hold.
 */

/** An exact instant: whole seconds since the Unix epoch and the fractional digits after them. */
export type Instant = { seconds: number; fraction: string };

/** The shape of a log timestamp: date, time with seconds, an optional fraction of up to 9 digits, `Z` or an offset. */
export const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The first and last instants an ITL's TIMESTAMP (an unsigned 32-bit Unix time) can hold. */
export const FIRST_AT = '1970-01-01T00:00:00Z';
export const LAST_AT = '2106-02-07T06:28:15Z';
const LAST_SECOND = 0xffffffff;

/** Whether an instant fits the ITL's 32-bit TIMESTAMP (and so also X.509's validity years). Pure. */
export function inTimestampRange(instant: Instant | undefined): boolean {
  return (
    instant !== undefined &&
    instant.seconds >= 0 &&
    (instant.seconds < LAST_SECOND || (instant.seconds === LAST_SECOND && instant.fraction === ''))
  );
}

/** Parses an ISO-8601 date-time with seconds and an offset or `Z`, or returns undefined. Pure. */
export function parseTimestamp(input: string): Instant | undefined {
  const m = TIMESTAMP.exec(input);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
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
