/**
 * A strict JSON reader (RFC 8259) that also says on which line each value starts, so a problem in
 * a small configuration file such as cluster.json can be reported as `FILE:LINE: field "x" …`.
 * It refuses what JSON.parse accepts silently: a key given twice. Keys are set as own properties
 * (a `__proto__` key is data, never a prototype). Pure.
 */
import { quote } from '../logError.ts';

/** A JSON text that cannot be read: the 1-based line and column and why. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`line ${line} column ${column}: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

/** A value and the line each of its parts starts on, by path (`nodes[1].role`, '' for the whole value). */
export interface JsonWithLines {
  value: unknown;
  lines: ReadonlyMap<string, number>;
}

/** A path as issues name fields: `nodes[1].role`. Pure. */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** The line of the deepest part of `path` that the text has (a missing field: its object's line). Pure. */
export function lineOf(json: JsonWithLines, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const line = json.lines.get(pathKey(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}

/** How deep a value may nest (far deeper than any file of the tool; deeper is refused, not recursed into). */
export const MAX_DEPTH = 64;

class Reader {
  pos = 0;
  line = 1;
  readonly lines = new Map<string, number>();

  constructor(readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    throw new JsonSyntaxError(line, at - before.lastIndexOf('\n'), reason);
  }

  space(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else return;
    }
  }

  value(path: PropertyKey[], depth: number): unknown {
    this.space();
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.lines.set(pathKey(path), this.line);
    const c = this.text[this.pos];
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of the text' : 'unexpected character');
  }

  object(path: PropertyKey[], depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') return (this.pos++, result);
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a double-quoted property name');
      const keyAt = this.pos;
      const key = this.string();
      if (Object.hasOwn(result, key)) this.fail(`field ${quote(key)} appears twice`, keyAt);
      this.space();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      const value = this.value([...path, key], depth + 1);
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') return result;
      if (c !== ',') this.fail("expected ',' or '}'", this.pos - 1);
    }
  }

  array(path: PropertyKey[], depth: number): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') return (this.pos++, result);
    for (;;) {
      result.push(this.value([...path, result.length], depth + 1));
      this.space();
      const c = this.text[this.pos++];
      if (c === ']') return result;
      if (c !== ',') this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  string(): string {
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') break;
      if (c < ' ') this.fail('control character in a string', i);
      if (c !== '\\') {
        i++;
        continue;
      }
      const e = this.text[i + 1] ?? '';
      const ok =
        e === 'u' ? /^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6)) : e !== '' && '"\\/bfnrt'.includes(e);
      if (!ok) this.fail('bad escape in a string', i);
      i += e === 'u' ? 6 : 2;
    }
    this.pos = i + 1;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  number(): number {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    if (!match.exec(this.text)) this.fail('bad number');
    const text = this.text.slice(this.pos, match.lastIndex);
    this.pos = match.lastIndex;
    return Number(text);
  }
}

/** Reads a JSON text (a leading byte order mark skipped); throws JsonSyntaxError with the line and column. Pure. */
export function parseJsonWithLines(text: string): JsonWithLines {
  const reader = new Reader(text.replace(/^\uFEFF/, ' '));
  const value = reader.value([], 0);
  reader.space();
  if (reader.pos < reader.text.length) reader.fail('more text after the JSON value');
  return { value, lines: reader.lines };
}
