/**
 * The lines of a log, read one at a time from its bytes or its text, so that neither a huge file
 * of blank lines nor one bad byte costs more than the line it is on.
 */

/** The longest line a log may hold, in bytes (an event is a few hundred). */
export const MAX_LINE_BYTES = 1024 * 1024;

/** One non-blank line of a log, or why it cannot be read (1-based line numbers; blank lines count). */
export type LogLine = { line: number; text: string } | { line: number; problem: string };

const LF = 0x0a;
const CR = 0x0d;

/** Whether a byte is JSON whitespace (a line of nothing else is blank). */
const isBlankByte = (b: number) => b === 0x20 || b === 0x09 || b === CR;

/**
 * The non-blank lines of a log's bytes: LF or CRLF ends, a UTF-8 byte order mark at the start
 * skipped, invalid UTF-8 and over-long lines reported at their own line. Pure.
 */
export function* linesOfBytes(bytes: Uint8Array, maxLineBytes = MAX_LINE_BYTES): Generator<LogLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(LF, start);
    if (end === -1) end = bytes.length;
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    const row = bytes.subarray(start, stop);
    start = end + 1;
    if (row.every(isBlankByte)) continue;
    if (row.length > maxLineBytes) {
      yield { line, problem: `line longer than ${maxLineBytes} bytes` };
      continue;
    }
    const bad = invalidUtf8At(row);
    yield bad === -1
      ? { line, text: decoder.decode(row) }
      : { line, problem: `not UTF-8 text (byte ${bad + 1} of the line)` };
  }
}

/** The non-blank lines of a log's text (LF or CRLF ends, a leading byte order mark skipped). Pure. */
export function* linesOfText(text: string, maxLineBytes = MAX_LINE_BYTES): Generator<LogLine> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const row = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (row.trim() === '') continue;
    // Three bytes per UTF-16 unit bound the UTF-8 length from above; measure exactly only near the cap.
    if (row.length * 3 > maxLineBytes && new TextEncoder().encode(row).length > maxLineBytes) {
      yield { line, problem: `line longer than ${maxLineBytes} bytes` };
      continue;
    }
    yield { line, text: row };
  }
}

/** The index of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF), or -1. Pure. */
export function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const [length, min, max] =
      b >= 0xc2 && b <= 0xdf
        ? [2, 0x80, 0xbf]
        : b === 0xe0
          ? [3, 0xa0, 0xbf]
          : b === 0xed
            ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [3, 0x80, 0xbf]
              : b === 0xf0
                ? [4, 0x90, 0xbf]
                : b >= 0xf1 && b <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : b === 0xf4
                    ? [4, 0x80, 0x8f]
                    : [0, 0, 0];
    if (length === 0) return i;
    // The second byte has the narrowed range; the rest are plain continuation bytes.
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return -1;
}
