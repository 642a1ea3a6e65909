import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { memoryIo } from './memoryIo.ts';
import { BUNDLED_INCIDENT, BUNDLED_REPORT, run } from './main.ts';
import { showItl } from './showItl.ts';

const FIXTURE = fileURLToPath(new URL('../test-support/fixtures/tlvfile/ITLFile.tlv', import.meta.url));
/** A CTLFile.tlv in the 12.0+ layout written by tlvfile (signed by ITLRecovery; README of the folder). */
const CTL_FIXTURE = fileURLToPath(new URL('../test-support/fixtures/tlvfile/ctl/CTLFile.tlv', import.meta.url));
const ctlFixture = new Uint8Array(readFileSync(CTL_FIXTURE));
const REPO = fileURLToPath(new URL('..', import.meta.url));
const fixture = new Uint8Array(readFileSync(FIXTURE));

/** A copy of the bytes with one byte inverted. */
function flipped(data: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(data);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

const signatureByte = decodeItl(fixture).signatureOffset + 3 + 10;
const truncated = fixture.subarray(0, 600);

describe('showItl', () => {
  it('should print the listing and return 0 when the file verifies', async () => {
    const io = memoryIo({ 'ITLFile.tlv': fixture });
    expect(await showItl('ITLFile.tlv', {}, io)).toBe(0);
    expect(io.stdout[0]).toBe('The checksum value of the ITL file:');
    expect(io.stdout.at(-1)).toBe('The ITL file was verified successfully.');
    expect(io.stderr).toEqual([]);
  });

  it('should return 1 and say why when a signature byte is flipped', async () => {
    const io = memoryIo({ 'ITLFile.tlv': flipped(fixture, signatureByte) });
    expect(await showItl('ITLFile.tlv', {}, io)).toBe(1);
    expect(io.stdout.at(-1)).toBe("The ITL file could not be verified: the signature does not match the signer's key.");
  });

  it('should return 2 with one stderr line giving the offset when the file is truncated', async () => {
    const io = memoryIo({ 'ITLFile.tlv': truncated });
    expect(await showItl('ITLFile.tlv', {}, io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^ITLFile\.tlv: offset \d+: \S/);
    expect(io.stdout).toEqual([]);
  });

  it('should return 2 with one stderr line when the file does not exist', async () => {
    const io = memoryIo();
    expect(await showItl('missing.tlv', {}, io)).toBe(2);
    expect(io.stderr).toEqual(['missing.tlv: cannot read: no such file or folder']);
  });

  it('should return 2 with the offset when the file is empty', async () => {
    const io = memoryIo({ 'empty.tlv': new Uint8Array() });
    expect(await showItl('empty.tlv', {}, io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^empty\.tlv: offset 0: /);
  });

  it('should print parseable JSON with verified when --json is given', async () => {
    const io = memoryIo({ 'ITLFile.tlv': fixture });
    expect(await showItl('ITLFile.tlv', { json: true }, io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n')) as { verified: boolean; records: unknown[] };
    expect(json.verified).toBe(true);
    expect(json.records).toHaveLength(6);
  });
});

describe('showItl on a CTL (show ctl)', () => {
  it("should print show ctl's listing and return 0 when the tlvfile CTL verifies", async () => {
    const io = memoryIo({ 'CTLFile.tlv': ctlFixture });
    expect(await showItl('CTLFile.tlv', {}, io)).toBe(0);
    expect(io.stdout.slice(0, 1)).toEqual(['The checksum value of the CTL file:']);
    expect(io.stdout).toContain(`Length of CTL file: ${ctlFixture.length}`);
    expect(io.stdout).toContain('Parse CTL File');
    expect(io.stdout.filter((l) => /^(CTL|ITL) Record #:/.test(l))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `CTL Record #:${n}`),
    );
    expect(io.stdout.filter((l) => l.startsWith('This etoken'))).toEqual([
      'This etoken was used to sign the CTL file.',
      'This etoken was not used to sign the CTL file.',
    ]);
    expect(io.stdout.at(-1)).toBe('The CTL file was verified successfully.');
    expect(io.stdout.join('\n')).not.toMatch(/\bITL\b/);
    expect(io.stderr).toEqual([]);
  });

  it('should return 1 and say the CTL file could not be verified when a signature byte is flipped', async () => {
    const at = decodeItl(ctlFixture).signatureOffset + 3 + 10;
    const io = memoryIo({ 'CTLFile.tlv': flipped(ctlFixture, at) });
    expect(await showItl('CTLFile.tlv', {}, io)).toBe(1);
    expect(io.stdout.at(-1)).toBe("The CTL file could not be verified: the signature does not match the signer's key.");
  });

  it("should print JSON with kind 'ctl' when --json is given a CTL, and kind 'itl' for an ITL", async () => {
    const io = memoryIo({ 'CTLFile.tlv': ctlFixture });
    expect(await showItl('CTLFile.tlv', { json: true }, io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n')) as { kind: string; verified: boolean; records: unknown[] };
    expect(json).toMatchObject({ kind: 'ctl', verified: true, filename: 'CTLFile.tlv' });
    expect(json.records).toHaveLength(5);
    const itlIo = memoryIo({ 'ITLFile.tlv': fixture });
    expect(await showItl('ITLFile.tlv', { json: true }, itlIo)).toBe(0);
    expect(JSON.parse(itlIo.stdout.join('\n'))).toMatchObject({ kind: 'itl', filename: 'ITLFile.tlv' });
  });
});

describe('run', () => {
  it('should route show-itl --json to the command and return its exit code when given argv', async () => {
    const io = memoryIo({ 'bad.tlv': flipped(fixture, signatureByte) });
    expect(await run(['show-itl', 'bad.tlv', '--json'], io)).toBe(1);
    expect(JSON.parse(io.stdout.join('\n'))).toMatchObject({ verified: false, reason: expect.any(String) });
  });

  it('should return 2 with a one-line message when the command is unknown or an argument is missing', async () => {
    for (const argv of [['bogus'], ['show-itl'], ['show-itl', 'a', 'b'], ['show-itl', 'a', '--bogus']]) {
      const io = memoryIo();
      expect(await run(argv, io)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^error: /);
    }
  });

  it('should replay the bundled incident when given no arguments (npm start)', async () => {
    const io = memoryIo({ [relative(process.cwd(), BUNDLED_INCIDENT)]: readFileSync(BUNDLED_INCIDENT) });
    expect(await run([], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/replaying the bundled incident/);
    expect(io.stdout.join('\n')).toMatch(
      /Timeline[\s\S]*RECOVERED: SEP001122334455[\s\S]*Locked phones: none[\s\S]*HTML report: out\/seed-incident\.html[\s\S]*--inspect --inspect-wait/,
    );
    expect(new TextDecoder().decode(io.files.get(BUNDLED_REPORT))).toMatch(/^<!DOCTYPE html>/i);
  });

  it('should print help with the exit codes and return 0 when asked for help', async () => {
    for (const argv of [['--help'], ['show-itl', '--help'], ['help', 'show-itl'], ['replay', '--help']]) {
      const io = memoryIo();
      expect(await run(argv, io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/Exit codes[^\n]*:\n\s+0 .*\n\s+1 .*\n\s+2 /);
      expect(io.stderr).toEqual([]);
    }
  });
});

describe('itl-model show-itl (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itl-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/itl-model.mjs', ...args], { cwd: REPO, encoding: 'utf8' });

  it('should exit 0 and print the verified line when given the tlvfile fixture', () => {
    const result = cli('show-itl', FIXTURE);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('The ITL file was verified successfully.');
  });

  it('should exit 0 and print the CTL verified line when given the tlvfile CTL', () => {
    const result = cli('show-itl', CTL_FIXTURE);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^The checksum value of the CTL file:\n/);
    expect(result.stdout).toContain('The CTL file was verified successfully.');
  });

  it('should exit 2 with exactly one stderr line and no stack trace when the file is truncated', () => {
    const path = join(dir, 'truncated.tlv');
    writeFileSync(path, truncated);
    const result = cli('show-itl', path);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/truncated\.tlv: offset \d+: /)]);
    expect(result.stderr).not.toMatch(/^\s*at /m);
  });
});
