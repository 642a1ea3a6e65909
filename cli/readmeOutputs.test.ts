import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlIncident } from '../test-support/htmlIncident.ts';

/**
 * The README's terminal sessions are real output: each `$ itl-model …` (and `$ npm start`) shown in
 * a ```text block is run with the built binary, and what it prints must be what the README shows.
 * A line `...` in the README stands for any number of lines left out; every other line must be there,
 * in order, with no line between it and the one before it. `$ cat FILE` shows a file the next
 * commands read (the test writes it), and `$ echo $?` the exit status of the command before.
 * Its machine diagrams are the generated ones. Commands this cannot run here (the inspector, the full `check`) are listed in SKIPPED; Spin's
 * sessions are ```sh blocks (properties/promela/promela.test.ts holds its counts).
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'itl-model.mjs');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** Commands shown but not run here, and why. */
const SKIPPED: Array<[RegExp, string]> = [
  [/^itl-model check$/, 'the full check takes minutes (cli/checkCommand.test.ts runs its quick form)'],
  [/--inspect/, 'needs the inspector relay (cli/inspectCommand.test.ts)'],
];

/** One `$ command` of a block and the lines shown after it. */
interface Shown {
  line: number;
  command: string;
  output: string[];
}

/** The sessions of the README: each ```text block's commands, in order, with their shown output. */
function sessions(text: string): Shown[][] {
  const lines = text.split('\n');
  const out: Shown[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```text') continue;
    const session: Shown[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      const line = lines[i]!;
      if (line.startsWith('$ ')) {
        let command = line.slice(2);
        const at = i + 1;
        while (command.endsWith('\\')) command = `${command.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
        session.push({ line: at, command: command.replace(/\s+#.*$/, ''), output: [] });
      } else session.at(-1)?.output.push(line);
    }
    if (session.length > 0) out.push(session);
  }
  return out;
}

/** Whether `actual` shows `shown`: its lines in order, `...` standing for any lines left out. Pure. */
function shows(actual: string[], shown: string[]): boolean {
  const trim = (l: string) => l.trimEnd();
  const parts: string[][] = [[]];
  for (const l of shown)
    if (l === '...') parts.push([]);
    else parts.at(-1)!.push(trim(l));
  const got = actual.map(trim);
  const at = (part: string[], from: number) => part.every((l, k) => got[from + k] === l);
  const first = parts[0]!;
  if (!at(first, 0)) return false;
  let pos = first.length;
  for (let p = 1; p < parts.length; p++) {
    const part = parts[p]!;
    const last = p === parts.length - 1;
    let from = last ? got.length - part.length : pos;
    if (!last) while (from + part.length <= got.length && !at(part, from)) from++;
    if (from < pos || from + part.length > got.length || !at(part, from)) return false;
    pos = from + part.length;
  }
  return parts.length > 1 || pos === got.length;
}

describe('the README (its terminal sessions, run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itl-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['examples', 'test-support']) symlinkSync(join(REPO, name), join(dir, name));

  it('should tell a shown output from another when lines are changed, added, dropped or left out with ...', () => {
    const out = ['a', 'b', 'c', 'd'];
    expect(shows(out, ['a', 'b', 'c', 'd'])).toBe(true);
    expect(shows(out, ['a', '...', 'd'])).toBe(true);
    expect(shows(out, ['a', 'b', '...'])).toBe(true);
    expect(shows(out, ['...', 'c', '...'])).toBe(true);
    expect(shows(out, ['a', 'b', 'c'])).toBe(false);
    expect(shows(out, ['a', 'c', 'd'])).toBe(false);
    expect(shows(out, ['a', '...', 'x'])).toBe(false);
    expect(shows(out, ['a', 'b', 'c', 'd', 'e'])).toBe(false);
    expect(shows(out, ['...', 'd', 'c'])).toBe(false);
  });

  const all = sessions(README);
  const skipped = (command: string) => SKIPPED.some(([re]) => re.test(command));
  it('should find the sessions it runs, and skip only commands the README shows', () => {
    expect(all.flat().filter((s) => s.command.startsWith('itl-model ') && !skipped(s.command)).length).toBeGreaterThan(
      10,
    );
    for (const [re] of SKIPPED)
      expect(
        all.flat().some((s) => re.test(s.command)),
        String(re),
      ).toBe(true);
  });

  for (const session of all.filter((s) => s.some((shown) => !skipped(shown.command)))) {
    const first = session[0]!;
    it(`should print what the README shows at line ${first.line} (${first.command})`, () => {
      let status: number | null = null;
      for (const shown of session) {
        const { command, output, line } = shown;
        if (skipped(command)) continue;
        if (command.startsWith('cat ')) {
          writeFileSync(join(dir, command.slice(4)), `${output.join('\n')}\n`);
          continue;
        }
        if (command === 'echo $?') {
          expect([String(status)], `README line ${line}`).toEqual(output);
          continue;
        }
        const [argv, tail] = parse(command);
        // npm start replays the bundled incident from the package's own folder and writes out/ there.
        const cwd = argv.length === 0 ? REPO : dir;
        // Standard output and error into one file, interleaved as a terminal shows them.
        const file = join(dir, '.output');
        const fd = openSync(file, 'w');
        const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, stdio: ['ignore', fd, fd], timeout: 60_000 });
        closeSync(fd);
        status = r.status;
        let lines = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
        if (tail) lines = lines.slice(-tail);
        expect(shows(lines, output), `README line ${line}: ${command}\n--- actual ---\n${lines.join('\n')}`).toBe(true);
      }
    });
  }

  it('should draw each machine as docs/diagrams does (which diagramCommand.test.ts holds to the machines)', () => {
    const drawn = [...README.matchAll(/```mermaid\n(%% (\w+) machine[^]*?\n)```/g)];
    expect(drawn.map((m) => m[2])).toEqual(['phone', 'node', 'signer']);
    for (const [, text, name] of drawn)
      expect(text, `README's ${name} diagram`).toBe(
        readFileSync(join(REPO, 'docs', 'diagrams', `${name}.mmd`), 'utf8'),
      );
  });

  it('should run the 500-phone log the README shows, which is htmlIncident(500) as committed', () => {
    expect(readFileSync(join(REPO, 'examples', 'scale', '500-phones.jsonl'), 'utf8')).toBe(htmlIncident(500));
  });
});

/** A shown command as the binary's arguments (npm start: none) and the lines a `| tail -N` keeps. */
function parse(command: string): [string[], number | undefined] {
  const [main, pipe] = command.split(' | ');
  const tail = pipe ? Number(/^tail -(\d+)$/.exec(pipe)?.[1]) : undefined;
  if (pipe && !tail) throw new Error(`a README command pipes into something this test cannot run: ${command}`);
  if (main === 'npm start') return [[], tail];
  const words = main!.split(/\s+/);
  if (words[0] !== 'itl-model') throw new Error(`a README command this test cannot run: ${command}`);
  return [words.slice(1), tail];
}
