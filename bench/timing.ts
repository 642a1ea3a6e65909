import { performance } from 'node:perf_hooks';

/** How long one measured operation took, on average, and how often it ran. */
export interface Measurement {
  runs: number;
  totalMs: number;
  meanMs: number;
  perSecond: number;
}

function measurement(runs: number, totalMs: number): Measurement {
  return { runs, totalMs, meanMs: totalMs / runs, perSecond: (runs * 1000) / totalMs };
}

/**
 * Runs `fn` (once unmeasured, to warm up) then repeatedly for at least `minMs` and `minRuns`
 * runs, in batches so that the clock is read rarely for fast operations.
 */
export function throughput(fn: () => unknown, options: { minMs?: number; minRuns?: number } = {}): Measurement {
  const { minMs = 400, minRuns = 3 } = options;
  fn();
  let runs = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || runs < minRuns) {
    for (let i = 0; i < batch; i++) fn();
    runs += batch;
    elapsed = performance.now() - start;
    // Grow the batch while a batch is much shorter than the target, so fast loops stay cheap.
    if (elapsed < minMs / 10) batch *= 2;
  }
  return measurement(runs, elapsed);
}

/** Runs `fn(round)` exactly `rounds` times (no warm-up: each round is meant to be fresh work). */
export function rounds(count: number, fn: (round: number) => unknown): Measurement {
  const start = performance.now();
  for (let round = 0; round < count; round++) fn(round);
  return measurement(count, performance.now() - start);
}

/** A table a section prints: a header row, rows of cells, and notes printed under it. */
export interface Table {
  columns: string[];
  rows: string[][];
  notes?: string[];
}

/** One benchmark section: a title and the work that produces its table. Add sections to extend the bench. */
export interface Section {
  /** Short id used to select sections from the command line. */
  id: string;
  title: string;
  run: () => Table | Promise<Table>;
}

/** Formats a rate: thousands separated, fewer decimals as it grows. */
export function rate(perSecond: number): string {
  const digits = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2;
  return perSecond.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Formats milliseconds with one decimal. */
export function ms(value: number): string {
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`;
}

/** Formats a ratio `a / b` as `12.3x`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}x`;
}

/** Renders a table with aligned columns (first column left, the others right). */
export function renderTable(table: Table): string {
  const all = [table.columns, ...table.rows];
  const widths = table.columns.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(table.columns), rule, ...table.rows.map(line), ...(table.notes ?? []).map((n) => `  ${n}`)].join('\n');
}

/** Runs the sections in order, printing each table as soon as it is done. */
export async function runSections(sections: Section[], print: (text: string) => void): Promise<void> {
  for (const section of sections) {
    const start = performance.now();
    const table = await section.run();
    print(`\n## ${section.title}  (${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
    print(renderTable(table));
  }
}
