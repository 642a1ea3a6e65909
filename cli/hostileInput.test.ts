import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** End to end: the built binary (dist/, built by the test setup) on inputs an attacker or a tired engineer could give it. */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'itl-model.mjs');
const dir = mkdtempSync(join(tmpdir(), 'itl-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], input?: string | Buffer) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 30_000 });

const install = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'cluster.install',
    at: '2024-03-04T09:00:00Z',
    version: '10.5(2)',
    domain: 'example.lab',
    securityPassword: 'Top-Secret-Pw',
    keyBits: 1024,
    nodes: [{ name: 'pub', role: 'publisher', tftp: true }],
    ...fields,
  });
const phone = (name: string, m = 1) =>
  JSON.stringify({ type: 'phone.add', at: `2024-03-04T09:0${m}:00Z`, phone: name, tftp: 'pub' });

/** Writes a log into the test folder and returns its name. */
function logFile(name: string, ...lines: string[]): string {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

/** Asserts a refusal: exit 2, every stderr line a located one-line reason, no stack trace. */
function expectRefused(result: ReturnType<typeof cli>, lines = 1): string[] {
  expect(result.status, result.stderr).toBe(2);
  const err = result.stderr.trimEnd().split('\n');
  expect(err).toHaveLength(lines);
  expect(result.stderr).not.toMatch(/^\s+at |Error:|internal error/m);
  return err;
}

describe('itl-model on hostile input (end to end)', () => {
  it('should refuse a phone named ../../../x and write nothing outside --out', () => {
    const result = cli(['replay', logFile('escape.jsonl', install(), phone('../../../x')), '--out', 'o']);
    expect(expectRefused(result)[0]).toMatch(/^escape\.jsonl:2: phone\.add: field "phone" must be a device name/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
    expect(existsSync(join(dir, '..', '..', 'x'))).toBe(false);
  });

  const refusedNames: [string, string[]][] = [
    ['a 300-character node name', [install({ nodes: [{ name: 'a'.repeat(300), role: 'publisher', tftp: true }] })]],
    ['a 254-character domain', [install({ domain: `${'d'.repeat(63)}.`.repeat(3) + 'd'.repeat(62) })]],
    ['a NUL in a node name', [install({ nodes: [{ name: 'p\u0000b', role: 'publisher', tftp: true }] })]],
    ['the year 1950', [install({ at: '1950-01-01T00:00:00Z' })]],
    ['the year 2107', [install({ at: '2107-01-01T00:00:00Z' })]],
    ['CUCM 16 (no source describes it)', [install({ version: '16' })]],
    ['CUCM 7.1', [install({ version: '7.1(5)' })]],
  ];
  for (const [what, lines] of refusedNames) {
    it(`should refuse ${what} with exit 2 and one line`, () => {
      expect(expectRefused(cli(['replay', logFile('bad.jsonl', ...lines)]))[0]).toMatch(
        /^bad\.jsonl:1: cluster\.install: /,
      );
    });
  }

  it('should never echo a single-quoted or unquoted security password on a broken line', () => {
    const broken = logFile(
      'broken.jsonl',
      `{"type":"cluster.install","securityPassword":'Hunter2-XYZ'}`,
      `{"type":"cluster.install","securityPassword":Hunter2-XYZ}`,
      `securityPassword: Hunter2-XYZ`,
    );
    const err = expectRefused(cli(['replay', broken]), 3);
    expect(err.join('\n')).not.toContain('Hunter');
    expect(err[0]).toMatch(/^broken\.jsonl:1: invalid JSON: unexpected character at column \d+$/);
  });

  it('should end quietly with status 0 when the reader of stdout stops early (| head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'replay', join(REPO, 'examples', 'seed-incident.jsonl')], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^Summary: /);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  const badOutputs: [string, string[], RegExp][] = [
    [
      '--out in a missing folder',
      ['--out', 'missing/deeper/o'],
      /^missing\/deeper\/o: cannot write: no such folder missing\/deeper \(--out\)$/,
    ],
    [
      '--html in a missing folder',
      ['--html', 'nowhere/r.html'],
      /^nowhere\/r\.html: cannot write: no such folder nowhere \(--html\)$/,
    ],
    ['--html onto a folder', ['--html', '.'], /^\.: cannot write: it is a folder \(--html\)$/],
    [
      '--inspect-log onto a device',
      ['--inspect-log', '/dev/null'],
      /^\/dev\/null: cannot write: it exists and is not a regular file \(--inspect-log\)$/,
    ],
    [
      '--out onto a folder of other files',
      ['--out', 'foreign'],
      /^foreign: cannot write: the folder holds "notes\.txt", which itl-model did not write/,
    ],
  ];
  for (const [what, args, reason] of badOutputs) {
    it(`should refuse ${what} as bad input before printing anything`, () => {
      mkdirSync(join(dir, 'foreign'), { recursive: true });
      writeFileSync(join(dir, 'foreign', 'notes.txt'), 'mine');
      const result = cli(['replay', join(REPO, 'examples', 's01-first-boot.jsonl'), ...args]);
      expect(expectRefused(result)[0]).toMatch(reason);
      expect(result.stdout).toBe('');
      expect(readFileSync(join(dir, 'foreign', 'notes.txt'), 'utf8')).toBe('mine');
    });
  }

  it('should print the JSON error document on stdout when --json is given and the log is refused', () => {
    const result = cli([
      'replay',
      logFile('two.jsonl', install(), phone('SEP1'), phone('SEP000000000001', 2).replace('"pub"', '"ghost"')),
      '--json',
    ]);
    expectRefused(result, 2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: [
        {
          file: 'two.jsonl',
          line: 2,
          reason: expect.stringMatching(/^phone\.add: field "phone" must be a device name/),
        },
        { file: 'two.jsonl', line: 3, reason: 'phone.add: unknown node "ghost" in field "tftp"' },
      ],
    });
  });

  it('should read the log from standard input when given -', () => {
    const result = cli(['replay', '-', '--json'], readFileSync(join(REPO, 'examples', 's01-first-boot.jsonl')));
    expect(result.status).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout).phones).length).toBeGreaterThan(0);
    expect(expectRefused(cli(['replay', '-'], `${install()}\n{oops\n`))[0]).toBe(
      '<stdin>:2: invalid JSON: expected a double-quoted property name at column 2',
    );
  });

  it('should replace a reused --out folder so that it holds only this run’s files', () => {
    const out = join(dir, 'reused');
    expect(cli(['replay', join(REPO, 'examples', 'seed-incident.jsonl'), '--out', 'reused']).status).toBe(0);
    mkdirSync(join(out, 'phones', 'SEP0000000000FF'), { recursive: true });
    writeFileSync(join(out, 'phones', 'SEP0000000000FF', 'ITLFile.tlv'), 'stale');
    expect(cli(['replay', join(REPO, 'examples', 's01-first-boot.jsonl'), '--out', 'reused']).status).toBe(0);
    // Exactly the phones a fresh --out of the same log holds: the stale one gone, this run's all there.
    expect(cli(['replay', join(REPO, 'examples', 's01-first-boot.jsonl'), '--out', 'fresh']).status).toBe(0);
    const fresh = readdirSync(join(dir, 'fresh', 'phones')).sort();
    expect(fresh.length).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'phones')).sort()).toEqual(fresh);
    expect(existsSync(join(out, 'tftp', 'test10pub'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('itl-model-'))).toEqual([]);
  });

  it('should refuse /dev/zero, a folder and a 1 GB sparse file for show-itl without reading them', () => {
    const sparse = join(dir, 'huge.tlv');
    writeFileSync(sparse, '');
    truncateSync(sparse, 1024 ** 3);
    const started = performance.now();
    expect(expectRefused(cli(['show-itl', '/dev/zero']))[0]).toBe('/dev/zero: cannot read: not a regular file');
    expect(expectRefused(cli(['show-itl', '.']))[0]).toBe('.: cannot read: not a regular file');
    expect(expectRefused(cli(['show-itl', 'huge.tlv']))[0]).toBe(
      'huge.tlv: cannot read: 1073741824 bytes, more than the 1048576-byte cap',
    );
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('should stream a 300 MB log line by line, holding no more than a line of it', () => {
    const sparse = join(dir, 'huge.jsonl');
    writeFileSync(sparse, '');
    truncateSync(sparse, 300 * 1024 ** 2);
    expect(expectRefused(cli(['replay', 'huge.jsonl']))[0]).toBe('huge.jsonl:1: line longer than 1048576 bytes');
  });

  it('should show escape sequences from an ITL file as text, never send them to the terminal', () => {
    const fixture = readFileSync(join(REPO, 'test-support', 'fixtures', 'tlvfile', 'ITLFile.tlv'));
    const name = Buffer.from('test10pub.joemar2.lab');
    const at = fixture.indexOf(name);
    const hostile = Buffer.from(fixture);
    Buffer.from('\u001b[2J\u001b]0;x\u0007').copy(hostile, at);
    writeFileSync(join(dir, 'esc.tlv'), hostile);
    const result = cli(['show-itl', 'esc.tlv']);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain('\\u001b[2J');
  });

  it('should stop at once on Ctrl-C during a long replay (no handler holds the signal while it computes)', async () => {
    const phones = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({
        type: 'phone.add',
        at: '2024-03-04T09:01:00Z',
        phone: `SEP${i.toString(16).padStart(12, '0')}`,
        tftp: 'pub',
      }),
    );
    // About 9 s of replay (600,000 boots) on a 2-core machine: still computing when the signal comes at 1.5 s.
    const resets = Array.from({ length: 150 }, (_, i) =>
      JSON.stringify({
        type: 'devices.reset',
        at: `2024-03-04T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      }),
    );
    const child = spawn(
      process.execPath,
      [BIN, 'replay', logFile('long.jsonl', install(), ...phones, ...resets), '--out', 'never'],
      { cwd: dir, stdio: 'ignore' },
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = performance.now();
    child.kill('SIGINT');
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, s) => resolve(s)));
    clearTimeout(guard);
    expect(signal).toBe('SIGINT');
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('should leave nothing behind when interrupted while writing --out', async () => {
    const phones = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({
        type: 'phone.add',
        at: '2024-03-04T09:01:00Z',
        phone: `SEP${i.toString(16).padStart(12, '0')}`,
        tftp: 'pub',
      }),
    );
    const log = logFile('many.jsonl', install(), ...phones);
    const child = spawn(process.execPath, [BIN, 'replay', log, '--no-check', '--out', 'interrupted'], {
      cwd: dir,
      stdio: 'ignore',
    });
    // Never leave the child behind, whatever happens to this test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    // Interrupt as soon as the temporary folder appears, i.e. while the files are being written.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(dir).some((f) => f.startsWith('.interrupted.itl-model-'))) {
          clearInterval(poll);
          child.kill('SIGINT');
          resolve();
        }
      }, 1);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(guard);
    expect(code).toBe(130);
    expect(readdirSync(dir).filter((f) => f.includes('interrupted'))).toEqual([]);
  });
});
