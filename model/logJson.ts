/**
 * One line of an event log decoded into a JSON object (parseLog.ts), with a reason a reader can act
 * on when it is not one: the kind of JSON error and its column, never an excerpt of the line (it may
 * hold the security password), and a key given twice refused as cluster.json refuses it.
 */
import { JsonSyntaxError, MAX_DEPTH, parseJsonWithLines } from './folder/jsonWithLines.ts';

/** Decodes one line into a JSON object, or says why it is none (never quoting the line). Pure. */
export function decodeObject(row: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(row);
  } catch (error) {
    return jsonReason(row, error instanceof Error ? error.message : '');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an event must be a JSON object';
  // JSON.parse keeps the last of two equal keys; a key given twice is refused, as in cluster.json.
  // Only a line with more `"…":` in its text than keys in its value can hold one (a string value
  // with `":` in it also counts): only that line is read again by the strict reader.
  if (keysInText(row) !== keysIn(value)) {
    try {
      parseJsonWithLines(row);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      return `invalid JSON: ${error.reason} at column ${error.column}`;
    }
  }
  return value as Record<string, unknown>;
}

/** How many `"` … `:` pairs a JSON text has (every key is one; a string value may hold more). Pure. */
function keysInText(row: string): number {
  let n = 0;
  for (let at = row.indexOf(':'); at !== -1; at = row.indexOf(':', at + 1)) {
    let before = at - 1;
    while (before >= 0 && (row[before] === ' ' || row[before] === '\t')) before--;
    if (row[before] === '"') n++;
  }
  return n;
}

/**
 * How many keys a parsed JSON value has, at every depth; NaN (equal to no count) when it nests
 * deeper than the strict reader takes, which then refuses the line: JSON.parse takes any depth, and
 * a recursion as deep as the line would overflow the stack. Pure.
 */
function keysIn(value: unknown, depth = 1): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_DEPTH) return NaN;
  let n = 0;
  if (Array.isArray(value)) for (const item of value) n += keysIn(item, depth + 1);
  else
    for (const key in value) {
      n++;
      n += keysIn((value as Record<string, unknown>)[key], depth + 1);
    }
  return n;
}

/** Kinds of V8's JSON.parse complaints, kept without the excerpt of the line (it may hold the security password). */
const JSON_KINDS: [RegExp, string][] = [
  [/unterminated string/i, 'unterminated string'],
  [/bad control character/i, 'control character in a string'],
  [/bad (escaped character|unicode escape)/i, 'bad escape in a string'],
  [/unexpected end|end of (data|input)/i, 'unexpected end of the line'],
  [/expected property name|double-quoted property name/i, 'expected a double-quoted property name'],
  [/expected ',' or '}'|after property value/i, "expected ',' or '}'"],
  [/expected ',' or ']'|after array element/i, "expected ',' or ']'"],
  [/expected ':'|after property name/i, "expected ':'"],
  [/non-whitespace character after JSON/i, 'more text after the JSON value'],
  [/unexpected token|unexpected (number|string)|is not valid JSON/i, 'unexpected character'],
];

/** The kind of a JSON error and its column, never any text of the line. */
function jsonReason(row: string, message: string): string {
  const kind = JSON_KINDS.find(([pattern]) => pattern.test(message))?.[1];
  const position = /at position (\d+)/.exec(message);
  const column = position === null ? firstBadColumn(row) : Number(position[1]) + 1;
  return `invalid JSON${kind ? `: ${kind}` : ''}${column === undefined ? '' : ` at column ${column}`}`;
}

/** Whether JSON.parse refuses a text for something other than ending early. */
function brokenBefore(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (error) {
    return !/unexpected end|end of (data|input)/i.test(error instanceof Error ? error.message : '');
  }
}

/**
 * The 1-based column of the first character JSON cannot take, for V8 complaints that give no
 * position ("Unexpected token"): the shortest prefix that is broken rather than unfinished,
 * found by bisection (being broken is monotonic in the prefix length).
 */
function firstBadColumn(row: string): number | undefined {
  if (!brokenBefore(row)) return undefined;
  let [lo, hi] = [0, row.length];
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (brokenBefore(row.slice(0, mid))) hi = mid;
    else lo = mid;
  }
  return hi;
}
