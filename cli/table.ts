import Table from 'cli-table3';

/** A text table: its head, its rows, and the columns that may wrap to fit the width (the others keep their width). */
export interface TextTable {
  head: string[];
  rows: string[][];
  /** Indexes of the columns that wrap, widest text first; by default the last column. */
  wrap?: number[];
}

/** The space between two columns. */
const GAP = 2;

/** The narrowest a wrapping column gets before the table overflows the width instead. */
const MIN_WRAP = 8;

/** No borders: columns separated by two spaces, like the reports have always looked. */
const CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' '.repeat(GAP),
};

/** The width a cell takes on a terminal (code points; the reports' text is ASCII but for names). Pure. */
const widthOf = (text: string) => Math.max(0, ...text.split('\n').map((line) => [...line].length));

/**
 * The width of each column so the table fits `columns`: every column its widest cell when that fits;
 * otherwise the wrapping columns share what the others leave, each getting what it needs when that is
 * less than an even share (water-filling), and at least MIN_WRAP (or its widest cell, when narrower). Pure.
 */
export function columnWidths(table: TextTable, columns: number): number[] {
  const n = table.head.length;
  const natural = table.head.map((h, i) => Math.max(widthOf(h), ...table.rows.map((r) => widthOf(r[i] ?? ''))));
  const total = natural.reduce((a, b) => a + b, 0) + GAP * (n - 1);
  if (total <= columns) return natural;
  const wrap = new Set(table.wrap ?? [n - 1]);
  const fixed = natural.reduce((sum, w, i) => (wrap.has(i) ? sum : sum + w), 0);
  let left = columns - fixed - GAP * (n - 1);
  const widths = [...natural];
  const order = [...wrap].sort((a, b) => natural[a]! - natural[b]!);
  order.forEach((i, k) => {
    const share = Math.floor(left / (order.length - k));
    widths[i] = Math.max(Math.min(MIN_WRAP, natural[i]!), Math.min(natural[i]!, share));
    left -= widths[i]!;
  });
  return widths;
}

/** Printable ASCII: a cell whose width is its length. */
const ASCII = /^[\x20-\x7e]*$/;

/** A row whose every cell fits its column, laid out as cli-table3 would (padded, two spaces apart), or undefined. Pure. */
function plainRow(row: string[], widths: number[]): string | undefined {
  if (!row.every((cell, i) => ASCII.test(cell) && cell.length <= widths[i]!)) return undefined;
  return row
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join(CHARS.middle)
    .trimEnd();
}

/**
 * Rows laid out by cli-table3 at fixed column widths, wrapping long cells on word boundaries (a word
 * longer than its column is broken, not cut short with an ellipsis). Pure.
 */
function wrappedRows(rows: string[][], widths: number[], head?: string[]): string[] {
  const t = new Table({
    ...(head ? { head } : {}),
    chars: CHARS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  const cell = (text: string, i: number) =>
    text.split(/\s+/).some((word) => [...word].length > widths[i]!)
      ? { content: text, wrapOnWordBoundary: false }
      : text;
  t.push(...rows.map((row) => row.map(cell)));
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd());
}

/**
 * A table as lines no wider than `columns` (when its fixed columns leave room): the column widths
 * from columnWidths, cells that need wrapping laid out by cli-table3 (a row at a time, since its
 * layout grows faster than the rows), those that fit padded directly, to the same lines. No colour, no
 * trailing spaces, the same lines for the same input. Pure.
 */
export function tableLines(table: TextTable, columns: number): string[] {
  const widths = columnWidths(table, columns);
  const lines = [plainRow(table.head, widths) ?? wrappedRows([table.head], widths).join('\n')];
  for (const row of table.rows) lines.push(plainRow(row, widths) ?? wrappedRows([row], widths).join('\n'));
  return lines.flatMap((line) => line.split('\n'));
}
