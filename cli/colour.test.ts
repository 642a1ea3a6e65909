import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXED_COLUMNS, paint, terminalOf } from './colour.ts';
import { terminalSafe } from './io.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SEED = join(REPO, 'examples', 'seed-incident.jsonl');
// eslint-disable-next-line no-control-regex -- SGR sequences are what these tests look for
const SGR = /\u001b\[[0-9;]*m/g;

/** The environment of a child without the variables these tests set (the runner's own may hold them). */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { NO_COLOR: _n, COLUMNS: _c, FORCE_COLOR: _f, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** Runs `replay` on the seed under a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function replayOnTty(env: Record<string, string>): string {
  const command = `${JSON.stringify(process.execPath)} bin/itl-model.mjs replay ${JSON.stringify(SEED)} --until 10 --no-check`;
  const run = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: REPO,
    env: envWith(env),
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  expect(run.status).toBe(0);
  return run.stdout;
}

describe('terminalOf', () => {
  it('should colour a terminal at its own width', () => {
    expect(terminalOf({ isTTY: true, columns: 132 }, {})).toEqual({ columns: 132, colour: true });
  });

  it('should never colour when NO_COLOR is set to anything but the empty string', () => {
    expect(terminalOf({ isTTY: true, columns: 132 }, { NO_COLOR: '1' }).colour).toBe(false);
    expect(terminalOf({ isTTY: true, columns: 132 }, { NO_COLOR: '' }).colour).toBe(true);
  });

  it('should use a fixed width and no colour for a file or a pipe, COLUMNS when it is a number', () => {
    expect(terminalOf({ isTTY: false, columns: 132 }, {})).toEqual({ columns: FIXED_COLUMNS, colour: false });
    expect(terminalOf({}, { COLUMNS: '120' })).toEqual({ columns: 120, colour: false });
    expect(terminalOf({}, { COLUMNS: 'wide' }).columns).toBe(FIXED_COLUMNS);
  });
});

describe('paint', () => {
  it('should colour the outcome words and nothing after a count of zero', () => {
    const line = paint('Summary: 1 of 3 phone(s) LOCKED, 0 recovered, 2 need a visit, 0 at risk');
    expect(line).toContain('\u001b[31mLOCKED\u001b[39m');
    expect(line).toContain('\u001b[33mneed a visit\u001b[39m');
    expect(line).toContain(', 0 recovered,');
    expect(line).toContain(', 0 at risk');
    expect(line.replace(SGR, '')).toBe('Summary: 1 of 3 phone(s) LOCKED, 0 recovered, 2 need a visit, 0 at risk');
  });

  it('should keep an escape sequence from a file as text when the line is made safe first', () => {
    const line = paint(terminalSafe('\u001b[2JSEP1 LOCKED'));
    expect(line.startsWith('\\u001b[2J')).toBe(true);
    expect(line.match(SGR)).toHaveLength(4);
  });
});

describe('replay on a terminal', () => {
  it('should colour the report on a TTY', () => {
    const out = replayOnTty({});
    expect(out).toMatch(SGR);
    expect(out.replace(SGR, '')).toContain('Summary: 1 of 3 phone(s) LOCKED, 0 recovered');
  });

  it('should not colour on a TTY when NO_COLOR is set', () => {
    const out = replayOnTty({ NO_COLOR: '1' });
    expect(out).toContain('Summary: 1 of 3 phone(s) LOCKED');
    expect(out).not.toMatch(SGR);
  });

  it('should not colour into a pipe, and lay it out at the fixed width or COLUMNS', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['bin/itl-model.mjs', 'replay', SEED, '--until', '10', '--no-check'], {
        cwd: REPO,
        env: envWith(env),
        encoding: 'utf8',
      }).stdout;
    const piped = run({});
    expect(piped).not.toMatch(SGR);
    expect(
      Math.max(
        ...piped
          .split('\n')
          .filter((l) => /^\d+ /.test(l))
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(100);
    // A wider terminal gets wider rows, up to its width.
    const wide = Math.max(
      ...run({ COLUMNS: '150' })
        .split('\n')
        .filter((l) => /^\d+ /.test(l))
        .map((l) => l.length),
    );
    expect(wide).toBeGreaterThan(100);
    expect(wide).toBeLessThanOrEqual(150);
  });
});
