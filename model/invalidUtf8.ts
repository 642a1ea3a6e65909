/**
 * Where bytes stop being UTF-8 text (RFC 3629), for every reader of a text file: a log's lines
 * (logLines.ts), a cluster folder's files, a plan, a transcript. A file that is not text is refused
 * at the line and byte it breaks, not read as replacement characters.
 */

/**
 * Each line of a text file that breaks UTF-8, in order: its 1-based line and the reason, `not UTF-8
 * text (byte N of the line)`, as a log's lines are reported. Pure.
 */
export function* invalidUtf8Lines(bytes: Uint8Array): Generator<{ line: number; reason: string }> {
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const bad = invalidUtf8At(bytes.subarray(start, end));
    if (bad !== -1) yield { line, reason: `not UTF-8 text (byte ${bad + 1} of the line)` };
    start = end + 1;
  }
}

/** The first line of `invalidUtf8Lines`, or undefined when the file is all UTF-8. Pure. */
export function invalidUtf8Line(bytes: Uint8Array): { line: number; reason: string } | undefined {
  return invalidUtf8Lines(bytes).next().value ?? undefined;
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
