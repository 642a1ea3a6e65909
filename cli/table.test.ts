import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnWidths, tableLines } from './table.ts';

/** cli-table3 alone, borderless with two spaces between columns: the oracle for rows that fit. */
function oracle(head: string[], rows: string[][], widths: number[]): string[] {
  const chars = Object.fromEntries(
    ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right']
      .concat(['left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid'])
      .map((k) => [k, '']),
  );
  const t = new Table({
    head,
    chars: { ...chars, middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd());
}

const cellArb = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', '-', '.', ' ', ':'), maxLength: 12 });

describe('tableLines', () => {
  it('should lay out rows that fit the width exactly as cli-table3 does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellArb, cellArb, cellArb), { minLength: 1, maxLength: 8 }), (rows) => {
        const table = { head: ['one', 'two', 'three'], rows };
        const widths = columnWidths(table, 200);
        expect(tableLines(table, 200)).toEqual(oracle(table.head, rows, widths));
      }),
    );
  });

  it('should wrap a long cell within the width and keep every character of a word longer than its column', () => {
    const sha = 'c4ad4188d627d93299a2c1e34c46fb31ddcba1ff';
    const table = {
      head: ['node', 'what'],
      rows: [['pub', `serves ${sha} signed by CN=pub.example.lab;OU=voice;O=example;L=rtp;ST=nc;C=US and more words`]],
    };
    const lines = tableLines(table, 30);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.length).toBeGreaterThan(3);
    const text = lines
      .slice(1)
      .map((l) => l.slice(6))
      .join('');
    expect(text).toContain(sha);
    expect(text).not.toContain('…');
  });

  it('should give each column its widest cell when that fits, and shrink only the wrapping columns when not', () => {
    const table = { head: ['#', 'event', 'caused'], rows: [['1', 'x'.repeat(30), 'y '.repeat(40)]], wrap: [1, 2] };
    expect(columnWidths(table, 200)).toEqual([1, 30, 80]);
    const narrow = columnWidths(table, 60);
    expect(narrow[0]).toBe(1);
    expect(narrow.reduce((a, b) => a + b, 0) + 4).toBeLessThanOrEqual(60);
  });
});
