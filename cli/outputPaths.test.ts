import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as FsPromises from 'node:fs/promises';
import { parseLogBytes } from '../model/parseLog.ts';
import { inspectReplay } from './inspectCommand.ts';
import { IoError } from './io.ts';
import { memoryIo } from './memoryIo.ts';
import { nodeIo } from './nodeIo.ts';

/** A rename onto a path ending so fails (EACCES): a write that fails after earlier outputs are in place. */
const failing = vi.hoisted(() => ({ renameTo: '' }));
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof FsPromises>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (failing.renameTo && to.endsWith(failing.renameTo))
        throw Object.assign(new Error('refused by the test'), { code: 'EACCES' });
      return fs.rename(from, to);
    },
  };
});

/**
 * End to end: the built binary (dist/, built by the test setup) given an output path that names one
 * of its inputs, another of its outputs, or a place it cannot write. Each must be refused before
 * anything is read or written: exit 2, one located line naming the options, the folder unchanged.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'itl-model.mjs');
const LOG = join(REPO, 'examples', 'plans', 'single-tvs-unregistered-phone.jsonl');
const PLAN = join(REPO, 'examples', 'plans', 'regen-callmanager-then-tvs.plan');
const CLUSTER = join(REPO, 'examples', 'cluster');
const root = mkdtempSync(join(tmpdir(), 'itl-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder holding a log, a plan, a transcript and a folder (the inputs the cases use). */
function scratch(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'folder'), { recursive: true });
  copyFileSync(LOG, join(dir, 'same.jsonl'));
  copyFileSync(PLAN, join(dir, 'pp.plan'));
  copyFileSync(LOG, join(dir, 'from.jsonl'));
  writeFileSync(join(dir, 'folder', 'kept.txt'), 'a file the user keeps\n');
  // A transcript the tool accepts (one command it does not model), so a run that overwrote it would succeed.
  writeFileSync(join(dir, 'tt.txt'), 'admin:show itl\n');
  return dir;
}

/** Every entry under a folder with its bytes (a symbolic link as its target), sorted: what must not change. */
function snapshot(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const path = join(prefix, e.name);
      if (e.isDirectory()) return [`${path}/`, ...snapshot(dir, path)];
      return [`${path} ${readFileSync(join(dir, path)).toString('base64')}`];
    });
}

const cli = (dir: string, args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });

/** Runs a command that must be refused: exit 2, one line matching `line`, no trace, the folder as it was. */
function expectRefusedUnchanged(name: string, args: string[], line: RegExp, setup?: (dir: string) => void): void {
  const dir = scratch(name);
  setup?.(dir);
  const before = snapshot(dir);
  const result = cli(dir, args);
  expect(result.status, result.stderr).toBe(2);
  const err = result.stderr.trimEnd().split('\n');
  expect(err, result.stderr).toHaveLength(1);
  expect(err[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/^\s+at |Error:|internal error/m);
  expect(snapshot(dir)).toEqual(before);
}

describe('itl-model output paths (end to end)', () => {
  it('should refuse replay --html naming the log being replayed (two spellings of one file)', () => {
    expectRefusedUnchanged(
      'replay-html-log',
      ['replay', 'same.jsonl', '--html', './same.jsonl'],
      /^\.\/same\.jsonl: the log and --html name the same file$/,
    );
  });

  it('should refuse plan --mop naming the plan', () => {
    expectRefusedUnchanged(
      'plan-mop-plan',
      ['plan', 'same.jsonl', 'pp.plan', '--mop', 'pp.plan'],
      /^pp\.plan: the plan and --mop name the same file$/,
    );
  });

  it('should refuse plan --html naming the log it starts from, read through a symbolic link', () => {
    expectRefusedUnchanged(
      'plan-html-link',
      ['plan', 'link.jsonl', 'pp.plan', '--html', 'same.jsonl'],
      /^same\.jsonl: the log and --html name the same file$/,
      (dir) => symlinkSync('same.jsonl', join(dir, 'link.jsonl')),
    );
  });

  it('should refuse import-transcript --out naming the transcript', () => {
    expectRefusedUnchanged(
      'transcript-out-transcript',
      ['import-transcript', 'tt.txt', '--from', 'from.jsonl', '--out', 'tt.txt'],
      /^tt\.txt: the transcript and --out name the same file$/,
    );
  });

  it('should refuse import-transcript --out naming the --from log', () => {
    expectRefusedUnchanged(
      'transcript-out-from',
      ['import-transcript', 'tt.txt', '--from', 'from.jsonl', '--out', 'folder/../from.jsonl'],
      /^folder\/\.\.\/from\.jsonl: --from and --out name the same file$/,
    );
  });

  it('should refuse replay --out and --html naming one path, leaving no folder', () => {
    expectRefusedUnchanged(
      'replay-out-html',
      ['replay', 'same.jsonl', '--out', 'h.html', '--html', 'h.html'],
      /^h\.html: --out and --html name the same file$/,
    );
  });

  it('should refuse replay --out and --inspect-log naming one path, leaving no folder', () => {
    expectRefusedUnchanged(
      'replay-out-inspect-log',
      ['replay', 'same.jsonl', '--out', 'c2', '--inspect-log', 'c2'],
      /^c2: --out and --inspect-log name the same file$/,
    );
  });

  it('should refuse replay --html and --inspect-log naming one file', () => {
    expectRefusedUnchanged(
      'replay-html-inspect-log',
      ['replay', 'same.jsonl', '--html', 'c1', '--inspect-log', 'c1'],
      /^c1: --html and --inspect-log name the same file$/,
    );
  });

  it('should refuse replay --html inside the --out folder it replaces', () => {
    expectRefusedUnchanged(
      'replay-html-in-out',
      ['replay', 'same.jsonl', '--out', 'o', '--html', 'o/r.html'],
      /^o\/r\.html: --html is inside the --out folder$/,
      (dir) => mkdirSync(join(dir, 'o')),
    );
  });

  // The folder a plan reads is evidence: an output inside it is refused, whether it names one of its files or not.
  const insideFolder: [string, string][] = [
    ['its cluster.json', 'cl/cluster.json'],
    ['its ITL file', 'cl/tftp/cucm-pub/ITLFile.tlv'],
    ['a new file', 'cl/mop.md'],
  ];
  for (const [what, out] of insideFolder) {
    it(`should refuse plan --mop naming ${what} inside the cluster folder it reads`, () => {
      expectRefusedUnchanged(
        `plan-mop-in-folder-${out.replace(/\W/g, '-')}`,
        ['plan', 'cl', 'pp.plan', '--mop', out],
        new RegExp(`^${out.replace(/[./]/g, '\\$&')}: --mop is inside the cluster folder$`),
        (dir) => cpSync(CLUSTER, join(dir, 'cl'), { recursive: true }),
      );
    });
  }

  // '' names no file and '-' would be written as a file named '-': both refused as the option's argument.
  const notPaths: [string, string[]][] = [
    ['replay --html -', ['replay', 'same.jsonl', '--html', '-']],
    ["replay --out ''", ['replay', 'same.jsonl', '--out', '']],
    ["plan --mop ''", ['plan', 'same.jsonl', 'pp.plan', '--mop', '']],
    ['export --out -', ['export', '--promela', '--out', '-']],
  ];
  for (const [what, args] of notPaths) {
    it(`should refuse ${what} as no path`, () => {
      const option = args[args.length - 2]!;
      expectRefusedUnchanged(
        `not-a-path-${what.replace(/\W/g, '-')}`,
        args,
        new RegExp(`^error: option '${option} <(file|dir)>' argument '${args.at(-1)}' is invalid\\. expected a path`),
      );
    });
  }

  it('should refuse export --out naming a folder', () => {
    expectRefusedUnchanged(
      'export-folder',
      ['export', '--promela', '--out', 'folder'],
      /^folder: cannot write: it is a folder \(--out\)$/,
    );
  });

  it('should refuse export --out in a missing folder', () => {
    expectRefusedUnchanged(
      'export-nodir',
      ['export', '--promela', '--out', 'nodir/x.pml'],
      /^nodir\/x\.pml: cannot write: no such folder nodir \(--out\)$/,
    );
  });

  it('should refuse diagram --out naming a file', () => {
    expectRefusedUnchanged(
      'diagram-file',
      ['diagram', '--out', 'same.jsonl'],
      /^same\.jsonl: cannot write: it exists and is not a folder \(--out\)$/,
    );
  });

  it('should refuse diagram --out in a missing folder instead of creating it', () => {
    expectRefusedUnchanged(
      'diagram-nodir',
      ['diagram', '--out', 'nodir/x'],
      /^nodir\/x: cannot write: no such folder nodir \(--out\)$/,
    );
  });

  it('should refuse diagram --out where no folder can be made (/proc/self/dd) at once, without looping', () => {
    const dir = scratch('diagram-proc');
    const result = spawnSync(process.execPath, [BIN, 'diagram', '--out', '/proc/self/dd'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.signal, 'killed by the timeout: the command loops').toBeNull();
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\/proc\/self\/dd: cannot (write|create)[^\n]*\(--out\)$/),
    ]);
  });

  it('should refuse replay --from with --out', () => {
    expectRefusedUnchanged(
      'replay-from-out',
      ['replay', 'same.jsonl', '--from', CLUSTER, '--out', 'x'],
      /^--from cannot be combined with --out$/,
    );
  });

  it('should put back every output already in place when a later one fails to move into place', async () => {
    const dir = join(root, 'undo');
    mkdirSync(join(dir, 'o', 'tftp'), { recursive: true });
    writeFileSync(join(dir, 'o', 'tftp', 'old.tlv'), 'old tree');
    writeFileSync(join(dir, 'a.html'), 'old file');
    writeFileSync(join(dir, 'b.html'), 'old b');
    const before = snapshot(dir);
    failing.renameTo = `${join(dir, 'b.html')}`;
    const written = nodeIo.writeOutputs([
      { kind: 'tree', dir: join(dir, 'o'), files: new Map([['tftp/new.tlv', new Uint8Array([1])]]) },
      { kind: 'file', path: join(dir, 'a.html'), data: 'new file' },
      { kind: 'file', path: join(dir, 'b.html'), data: 'new b' },
    ]);
    await expect(written).rejects.toThrow(IoError);
    await expect(written).rejects.toThrow(/b\.html: cannot write: permission denied$/);
    failing.renameTo = '';
    expect(snapshot(dir)).toEqual(before);
  });

  it('should refuse an --inspect-log that cannot be written with exit 2 and one line, not as an internal error', async () => {
    const io = memoryIo();
    const events = parseLogBytes(readFileSync(LOG), 'log.jsonl').events;
    expect(await inspectReplay(events, {}, { inspectLog: 'nodir/i.jsonl' }, io)).toBe(2);
    expect(io.stderr).toEqual(['nodir/i.jsonl: cannot write: no such folder nodir (--inspect-log)']);
    expect([...io.files.keys()]).toEqual([]);
  });
});
