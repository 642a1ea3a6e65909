/**
 * A small RFC 4180 reader: comma-separated fields, records ended by CRLF or LF, fields in double
 * quotes that may hold commas, line breaks and doubled quotes (`""`). A leading byte order mark is
 * skipped and blank lines are left out. A malformed record is reported at the line it starts on and
 * reading goes on at the next line, so each bad line is reported once. Pure.
 */

/** One record: the 1-based line it starts on and its fields. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record that cannot be read, and why. */
export interface CsvProblem {
  line: number;
  reason: string;
}

/** Reads every record of a CSV text, in order, each a record or the problem of the line it starts on. Pure. */
export function* csvRecords(text: string): Generator<CsvRecord | CsvProblem> {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < text.length) {
    const start = line;
    const fields: string[] = [];
    let problem: string | undefined;
    for (;;) {
      let field = '';
      if (text[pos] === '"') {
        const quoteLine = line;
        pos++;
        for (;;) {
          const next = text.indexOf('"', pos);
          if (next === -1) {
            problem = `a quoted field opened on line ${quoteLine} is never closed`;
            line += countLines(text, pos, text.length);
            pos = text.length;
            break;
          }
          line += countLines(text, pos, next);
          field += text.slice(pos, next);
          pos = next + 1;
          if (text[pos] !== '"') break;
          field += '"';
          pos++;
        }
        if (problem) break;
        const c = text[pos];
        if (c !== undefined && c !== ',' && c !== '\n' && !(c === '\r' && text[pos + 1] === '\n')) {
          problem = 'text after a closing quote (a quote inside a field must be doubled: "")';
          break;
        }
      } else {
        const end = fieldEnd(text, pos);
        field = text.slice(pos, end);
        pos = end;
        if (field.includes('"')) {
          problem = 'a quote inside an unquoted field (quote the field and double the quote: "")';
          break;
        }
      }
      fields.push(field);
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      break;
    }
    if (problem !== undefined) {
      // Resynchronise at the next line end.
      const next = text.indexOf('\n', pos);
      pos = next === -1 ? text.length : next + 1;
      line += 1;
      yield { line: start, reason: problem };
      continue;
    }
    // At a line end or the end of the text.
    if (text[pos] === '\r') pos++;
    if (text[pos] === '\n') pos++;
    line++;
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    yield { line: start, fields };
  }
}

/** Where an unquoted field ends: the next comma, line end (CR of a CRLF, or LF) or the end of the text. */
function fieldEnd(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const c = text[i];
    if (c === ',' || c === '\n' || (c === '\r' && text[i + 1] === '\n')) return i;
  }
  return text.length;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
