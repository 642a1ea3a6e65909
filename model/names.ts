/**
 * What a name in the log may look like. Names become certificate subjects, ITL bytes, file paths
 * under `--out`, HTML and terminal text, so each is held to the form CUCM itself gives it and to
 * the limits of DNS and X.509; anything else is refused where the log is read.
 */

/**
 * Orders two texts by their UTF-16 code units: the same order in every locale (`localeCompare`
 * without a locale follows the environment's, so an output sorted with it changes with LANG). Pure.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Device-name prefixes that carry a MAC address: 12 hexadecimal digits follow. */
export const MAC_PREFIXES = ['SEP', 'ATA'] as const;

/** Device-name prefixes of Jabber and soft clients: 1 to 12 letters or digits follow. */
export const CLIENT_PREFIXES = ['CSF', 'BOT', 'TCT', 'TAB'] as const;

/** A prefix matched in either case, without a regex flag (JSON Schema patterns carry none). */
const anyCase = (prefixes: readonly string[]) =>
  prefixes.map((p) => [...p].map((c) => `[${c}${c.toLowerCase()}]`).join('')).join('|');

/** A device name as CUCM forms it (any case): `SEP`/`ATA` + MAC, or a Jabber client name of at most 15 characters. */
export const DEVICE_NAME = new RegExp(
  `^(?:(?:${anyCase(MAC_PREFIXES)})[0-9A-Fa-f]{12}|(?:${anyCase(CLIENT_PREFIXES)})[0-9A-Za-z]{1,12})$`,
);

/** An RFC 1123 host label: 1-63 letters, digits or hyphens, no hyphen first or last. */
export const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** The longest DNS name (RFC 1035 §2.3.4, in its text form). */
export const MAX_DNS_NAME = 253;

/** A DNS name: dot-separated RFC 1123 labels, at most 253 characters in all. */
export const DNS_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;

/** A dotted-quad IPv4 address. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Characters of an IPv6 literal (its structure is checked by `isIpv6`). */
const IPV6_CHARS = /^[0-9A-Fa-f:.]{2,45}$/;

/** Whether a string is an IPv6 address (RFC 4291 text form, with an optional trailing IPv4 part). Pure. */
export function isIpv6(text: string): boolean {
  if (!IPV6_CHARS.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1] ?? '';
  const v4 = last.includes('.');
  if (v4 && !IPV4.test(last)) return false;
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** Whether a string names a host: a DNS name or an IPv4 or IPv6 address. Pure. */
export function isHost(text: string): boolean {
  return DNS_NAME.test(text) || IPV4.test(text) || isIpv6(text);
}

/** The key under which names that differ only in case are one name. Pure. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
