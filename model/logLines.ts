/**
 * The lines of a log, read one at a time from its bytes or its text, so that neither a huge file
 * of blank lines nor one bad byte costs more than the line it is on.
 */

import { invalidUtf8At } from './invalidUtf8.ts';

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

/**
 * The non-blank lines of a log read in chunks (a stream), exactly as `linesOfBytes` reads the whole:
 * what is held is one line, and no more than `maxLineBytes` of it (an over-long line is skipped to
 * its end, and reported once), so a file of any size of blank lines costs nothing. Feed chunks to
 * `push`, then call `end`; each returns the lines completed.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private held = 0;
  /** Past `maxLineBytes` on the current line: its bytes are not kept, only whether they were blank. */
  private skipping = false;
  private blank = true;
  /** The previous byte (a CR before the LF ending an over-long line is not part of it). */
  private lastByte = -1;
  private skippedLength = 0;
  private line = 1;
  private first = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** The lines a chunk completes. */
  push(chunk: Uint8Array): LogLine[] {
    const out: LogLine[] = [];
    let start = 0;
    if (this.first && chunk.length > 0) {
      // The byte order mark may be cut across chunks: keep the start until three bytes are known.
      if (this.held + chunk.length < 3 && !this.skipping) {
        this.keep(chunk);
        return out;
      }
      this.first = false;
      const head = this.take();
      const joined = head.length ? concat([head, chunk]) : chunk;
      chunk = joined;
      start = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    }
    return this.split(chunk, start, out);
  }

  /**
   * Splits a chunk at its LFs from `start`, keeping what follows the last one. The line begun in
   * earlier chunks is ended first; the lines wholly inside the chunk are then read together.
   */
  private split(chunk: Uint8Array, start: number, out: LogLine[]): LogLine[] {
    const last = chunk.lastIndexOf(LF);
    if (last >= start && (this.held > 0 || this.skipping)) {
      const end = chunk.indexOf(LF, start);
      this.keep(chunk.subarray(start, end));
      const row = this.finish();
      if (row) out.push(row);
      start = end + 1;
    }
    if (last >= start && this.wholeLines(chunk.subarray(start, last + 1), out)) start = last + 1;
    return this.splitEach(chunk, start, out);
  }

  /**
   * The lines of bytes that end with an LF, decoded at once; false (nothing read) when the bytes
   * are not all UTF-8, or hold characters of several bytes and may hold a line over the cap: the
   * line-by-line reading then finds which line is at fault. A valid whole splits at its LFs into
   * valid lines (no LF byte is part of a longer character), so the lines are those of `splitEach`.
   */
  private wholeLines(bytes: Uint8Array, out: LogLine[]): boolean {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return false;
    }
    // Only ASCII text has as many characters as bytes; otherwise the cap must be out of reach.
    if (text.length !== bytes.length && bytes.length - 1 > this.maxLineBytes) return false;
    for (let start = 0; start < text.length;) {
      const end = text.indexOf('\n', start);
      const stop = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const line = this.line++;
      if (!isBlankText(text, start, stop)) {
        out.push(
          stop - start > this.maxLineBytes
            ? { line, problem: `line longer than ${this.maxLineBytes} bytes` }
            : { line, text: text.slice(start, stop) },
        );
      }
      start = end + 1;
    }
    return true;
  }

  /** Splits a chunk at its LFs from `start` one line at a time, keeping what follows the last one. */
  private splitEach(chunk: Uint8Array, start: number, out: LogLine[]): LogLine[] {
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end === -1) {
        this.keep(chunk.subarray(start));
        return out;
      }
      // An empty line (the common blank line) costs a count only.
      if (end === start && this.held === 0 && !this.skipping) {
        this.line++;
        start = end + 1;
        continue;
      }
      this.keep(chunk.subarray(start, end));
      const row = this.finish();
      if (row) out.push(row);
      start = end + 1;
    }
  }

  /** The last line (the one after the last LF, if any). */
  end(): LogLine[] {
    const out: LogLine[] = [];
    if (this.first) {
      this.first = false;
      const head = this.take();
      this.split(head, head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0, out);
    }
    const row = this.finish();
    if (row) out.push(row);
    return out;
  }

  /** Keeps a piece of the current line, or only its blankness once it is over-long. */
  private keep(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (!this.skipping && this.held + piece.length > this.maxLineBytes + 1) {
      // One byte more than the cap is kept: it may be the CR of a CRLF.
      for (const part of this.parts) this.note(part);
      this.skippedLength = this.held;
      this.parts = [];
      this.held = 0;
      this.skipping = true;
    }
    if (this.skipping) {
      this.note(piece);
      this.skippedLength += piece.length;
      return;
    }
    this.parts.push(piece.slice());
    this.held += piece.length;
  }

  private note(piece: Uint8Array): void {
    if (this.blank && !piece.every(isBlankByte)) this.blank = false;
    this.lastByte = piece[piece.length - 1]!;
  }

  private take(): Uint8Array {
    const all = concat(this.parts);
    this.parts = [];
    this.held = 0;
    return all;
  }

  /** Ends the current line (at an LF or the end of the input): its LogLine, or null when blank. */
  private finish(): LogLine | null {
    const line = this.line++;
    if (this.skipping) {
      const length = this.skippedLength - (this.lastByte === CR ? 1 : 0);
      const blank = this.blank;
      this.skipping = false;
      this.blank = true;
      this.skippedLength = 0;
      this.lastByte = -1;
      // Kept up to one byte past the cap, the line is longer than the cap even without a final CR.
      return blank || length <= this.maxLineBytes
        ? null
        : { line, problem: `line longer than ${this.maxLineBytes} bytes` };
    }
    const all = this.take();
    const row = all.length > 0 && all[all.length - 1] === CR ? all.subarray(0, all.length - 1) : all;
    if (row.every(isBlankByte)) return null;
    if (row.length > this.maxLineBytes) return { line, problem: `line longer than ${this.maxLineBytes} bytes` };
    const bad = invalidUtf8At(row);
    return bad === -1
      ? { line, text: this.decoder.decode(row) }
      : { line, problem: `not UTF-8 text (byte ${bad + 1} of the line)` };
  }
}

/** Whether the characters of a text from `start` to `stop` are all JSON whitespace (the line is blank). Pure. */
function isBlankText(text: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (!isBlankByte(text.charCodeAt(i))) return false;
  return true;
}

/** The bytes of several pieces in one array. Pure. */
function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The non-blank lines of a log's chunks, as they come (`LineSplitter`): one at a time, or (`batches`)
 * the lines each chunk completes together, which spares a reader one wait per line.
 */
export class ChunkLines implements AsyncIterable<LogLine> {
  constructor(
    private readonly chunks: AsyncIterable<Uint8Array>,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  /** The lines of each chunk in turn (some lists may be empty); stopping early stops reading the chunks. */
  async *batches(): AsyncGenerator<readonly LogLine[]> {
    const splitter = new LineSplitter(this.maxLineBytes);
    for await (const chunk of this.chunks) yield splitter.push(chunk);
    yield splitter.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LogLine> {
    for await (const batch of this.batches()) yield* batch;
  }
}

/** The non-blank lines of a log's chunks, as they come (`ChunkLines`). */
export function linesOfChunks(chunks: AsyncIterable<Uint8Array>, maxLineBytes = MAX_LINE_BYTES): ChunkLines {
  return new ChunkLines(chunks, maxLineBytes);
}
