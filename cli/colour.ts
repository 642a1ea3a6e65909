/** Where standard output goes: a terminal (and how wide it is), or a file or pipe. */
export interface Terminal {
  /** Columns the text reports fit in: the terminal's width, or a fixed width when not a terminal. */
  columns: number;
  /** Whether to colour: only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
  colour: boolean;
}

/** The width of text reports written to a file or a pipe, unless `COLUMNS` says otherwise: fixed, so files are byte-stable. */
export const FIXED_COLUMNS = 100;

/** The narrowest width a report is laid out for (a narrower terminal wraps it). */
export const MIN_COLUMNS = 80;

/**
 * What a stream is, decided once: on a TTY its own width and colour unless `NO_COLOR` is set (to
 * anything but the empty string); otherwise `COLUMNS` when it is a number, else FIXED_COLUMNS, and no
 * colour. Pure.
 */
export function terminalOf(
  stream: { isTTY?: boolean; columns?: number },
  env: Record<string, string | undefined>,
): Terminal {
  const fromEnv = Number(env.COLUMNS);
  const fixed = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : FIXED_COLUMNS;
  const tty = stream.isTTY === true;
  const columns = tty && stream.columns ? stream.columns : fixed;
  return { columns: Math.max(MIN_COLUMNS, columns), colour: tty && !env.NO_COLOR };
}

/** SGR sequences, written out: Node's util.styleText decides by itself whether a stream takes colour (differently across versions). */
const SGR = {
  bold: ['1', '22'],
  red: ['31', '39'],
  blue: ['34', '39'],
  yellow: ['33', '39'],
  green: ['32', '39'],
} as const;
type Style = Array<keyof typeof SGR>;

/** Text wrapped in the SGR sequences of a style. Pure. */
const styled = (style: Style, text: string) =>
  style.reduceRight((t, s) => `\u001b[${SGR[s][0]}m${t}\u001b[${SGR[s][1]}m`, text);

/** Not after a count of zero (`0 recovered` stays plain). */
const NOT_ZERO = String.raw`(?<!(?:^|\D)0 )`;

/** The words the reports colour, and how: what locked red, what recovered blue, what needs attention yellow. */
const PAINTED: Array<[RegExp, Style]> = [
  [new RegExp(`${NOT_ZERO}\\b(?:STILL LOCKED|LOCKED|VIOLATED)\\b`, 'g'), ['bold', 'red']],
  [new RegExp(`${NOT_ZERO}\\b(?:RECOVERED|recovered)\\b`, 'g'), ['bold', 'blue']],
  [new RegExp(`${NOT_ZERO}\\b(?:REFUSED|ALERT|need a visit|at risk)\\b`, 'g'), ['bold', 'yellow']],
  [/\btrusted\b/g, ['green']],
];

/**
 * Colours a line that is already safe for a terminal (cli/io.ts `terminalSafe`): the painter only
 * adds SGR sequences around the words of PAINTED, so no escape sequence from a file can get through. Pure.
 */
export function paint(safeLine: string): string {
  let line = safeLine;
  for (const [words, style] of PAINTED) line = line.replace(words, (word) => styled(style, word));
  return line;
}
