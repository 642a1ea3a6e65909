import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capturingIo } from '../test-support/diffRuns.ts';
import { install, logOf } from '../test-support/scenario.ts';
import { folderIo, PHONES, text } from '../test-support/snapshotFolder.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { replayModel } from '../model/replay/fold.ts';
import { memoryIo, type MemoryIo } from './memoryIo.ts';
import { run } from './main.ts';
import { nodeIo } from './nodeIo.ts';

// What itl-model snapshot refuses to read (exit 2): a folder missing its files, files it does not
// expect, bad or oversized files, symbolic links; and the folder listing of both Io implementations
// that the refusals rest on.

describe('itl-model snapshot refusals (exit 2, one line per problem, nothing on stdout)', () => {
  const base = [install(), ...PHONES];

  async function refused(io: MemoryIo, ...args: string[]): Promise<string[]> {
    const before = new Map(io.files);
    expect(await run(['snapshot', 'c', ...args], io)).toBe(2);
    expect(io.files).toEqual(before);
    if (!args.includes('--json')) expect(io.stdout).toEqual([]);
    return io.stderr;
  }

  it('should refuse a folder without cluster.json and phones.csv, and a path that is no folder', async () => {
    const io = folderIo(base, (files) => {
      files.delete('cluster.json');
      files.delete('phones.csv');
    });
    expect(await refused(io)).toEqual([
      'c/cluster.json: missing: a cluster folder must have it (docs/cluster-folder.md)',
      'c/phones.csv: missing: a cluster folder must have it (docs/cluster-folder.md)',
    ]);
    const none = memoryIo();
    expect(await run(['snapshot', 'nowhere'], none)).toBe(2);
    expect(none.stderr).toEqual(['nowhere: cannot list: no such file or folder']);
  });

  it('should refuse a node folder that is no node of cluster.json and a file a node folder does not hold, before reading them', async () => {
    const io = folderIo(base, (files) => {
      files.set('tftp/ghost/ITLFile.tlv', new Uint8Array(1));
      files.set('tftp/pub/notes.txt', new Uint8Array(1));
    });
    expect(await refused(io)).toEqual([
      'c/tftp/ghost: is not a node of cluster.json (its nodes: pub, sub)',
      'c/tftp/pub/notes.txt: unexpected: a node folder holds ITLFile.tlv, CTLFile.tlv, show-itl.txt, show-ctl.txt',
    ]);
  });

  it('should refuse a second folder of one node, and a second file of one kind, named in another case', async () => {
    const io = folderIo(base, (files) => {
      files.set('tftp/PUB/ITLFile.tlv', files.get('tftp/pub/ITLFile.tlv')!);
      files.set('tftp/sub/itlfile.tlv', files.get('tftp/sub/ITLFile.tlv')!);
    });
    const problems = await refused(io);
    expect(problems).toContain('c/tftp/pub: is node pub again (names ignore case): tftp/PUB is its folder');
    expect(problems).toContain(
      'c/tftp/sub/itlfile.tlv: is ITLFile.tlv again (names ignore case): tftp/sub/ITLFile.tlv is that file',
    );
    expect(problems).toHaveLength(2);
  });

  it('should report every bad file of the folder together: cluster.json field, phones.csv lines, ITL offset, listing line', async () => {
    const io = folderIo(base, (files) => {
      const json = Buffer.from(files.get('cluster.json')!).toString().replace('"tftp": false', '"tftp": 1');
      files.set('cluster.json', text(json.replace('"parameters"', '"colour": "red", "parameters"')));
      files.set(
        'phones.csv',
        text('Device Name,TFTP,TVS,Status,ITL Hash\nSEP00000000000A,pub,pub,Registered,abc\nx,pub,pub,,\n'),
      );
    });
    expect(await refused(io)).toEqual([
      expect.stringMatching(/^c\/cluster\.json:\d+: unknown field "colour"$/),
      'c/phones.csv:2: ITL Hash has 3 hex digits: a SHA-1 has 40 (an MD5 32)',
      'c/phones.csv:3: Device Name must be a device name (SEP and 12 hex digits, or ATA, CSF, BOT, TCT, TAB and a name), got "x"',
    ]);
    const io2 = folderIo(base, (files) => {
      files.set('tftp/pub/ITLFile.tlv', files.get('tftp/pub/ITLFile.tlv')!.subarray(0, 700));
      files.set(
        'tftp/sub/show-itl.txt',
        text('The checksum value of the ITL file:\nParse ITL File\nVersion: 1.2\nITL Record #:2\n'),
      );
    });
    expect(await refused(io2)).toEqual([
      expect.stringMatching(/^c\/tftp\/pub\/ITLFile\.tlv: offset \d+: \S/),
      'c/tftp/sub/show-itl.txt:4: record #2 where #1 was expected',
    ]);
  });

  it('should refuse a file past its cap, checked before reading', async () => {
    const io = folderIo(base, (files) => files.set('tftp/pub/ITLFile.tlv', new Uint8Array(1024 * 1024 + 1)));
    expect(await refused(io)).toEqual([
      'c/tftp/pub/ITLFile.tlv: cannot read: 1048577 bytes, more than the 1048576-byte cap',
    ]);
  });

  it('should print the refusal as JSON with --json', async () => {
    const io = folderIo(base, (files) => files.delete('phones.csv'));
    await refused(io, '--json');
    expect(JSON.parse(io.stdout.join('\n'))).toEqual({
      error: [{ file: 'c/phones.csv', reason: 'missing: a cluster folder must have it (docs/cluster-folder.md)' }],
    });
  });
});

describe('the folder walk on a real file system', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itl-model-folder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse symbolic links and anything but regular files and folders', async () => {
    const files = folderOfState(replayModel(logOf([install(), ...PHONES])).settled.cluster!);
    for (const [path, bytes] of files) {
      mkdirSync(join(dir, 'c', ...path.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(dir, 'c', ...path.split('/')), bytes);
    }
    symlinkSync('/etc/passwd', join(dir, 'c', 'tftp', 'pub', 'CTLFile.tlv'));
    mkdirSync(join(dir, 'c', 'history'));
    symlinkSync(join(dir, 'c', 'tftp', 'pub', 'ITLFile.tlv'), join(dir, 'c', 'history', 'old.tlv'));
    mkdirSync(join(dir, 'c', 'history', 'dir.tlv'));
    writeFileSync(join(dir, 'c', 'history', 'README.txt'), 'kept here for notes');
    const io = capturingIo();
    expect(await run(['snapshot', join(dir, 'c')], io)).toBe(2);
    expect(io.stderr).toEqual([
      `${join(dir, 'c', 'tftp', 'pub', 'CTLFile.tlv')}: is a symbolic link: refused (copy the file itself into the folder)`,
      `${join(dir, 'c', 'history', 'dir.tlv')}: is a folder, not a file`,
      `${join(dir, 'c', 'history', 'old.tlv')}: is a symbolic link: refused (copy the file itself into the folder)`,
    ]);
  });

  it('should list a folder with lstat types, and refuse to list a file', async () => {
    mkdirSync(join(dir, 'l', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'l', 'b.txt'), 'x');
    symlinkSync('b.txt', join(dir, 'l', 'a-link'));
    expect(await nodeIo.listDir(join(dir, 'l'))).toEqual([
      { name: 'a-link', type: 'symlink' },
      { name: 'b.txt', type: 'file' },
      { name: 'sub', type: 'folder' },
    ]);
    await expect(nodeIo.listDir(join(dir, 'l', 'b.txt'))).rejects.toMatchObject({
      reason: 'cannot list: not a folder',
    });
  });
});

describe('memoryIo.listDir', () => {
  it('should list files and the folders their paths imply, sorted', async () => {
    const io = memoryIo({ 'c/b.txt': 'x', 'c/a/d.txt': 'y', 'top.txt': 'z' });
    await io.mkdir('c/empty');
    expect(await io.listDir('c')).toEqual([
      { name: 'a', type: 'folder' },
      { name: 'b.txt', type: 'file' },
      { name: 'empty', type: 'folder' },
    ]);
    expect(await io.listDir('c/empty')).toEqual([]);
    await expect(io.listDir('top.txt')).rejects.toMatchObject({ reason: 'cannot list: not a folder' });
    await expect(io.listDir('nope')).rejects.toMatchObject({ reason: 'cannot list: no such file or folder' });
  });
});
