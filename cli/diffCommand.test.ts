import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { install, type Line } from '../test-support/scenario.ts';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { formatShowItl } from '../model/itl/formatShowItl.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { capturingIo, diffJson, served } from '../test-support/diffRuns.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';

const SAMPLE = 'examples/cluster';
const PUB_NOW = `${SAMPLE}/tftp/cucm-pub/ITLFile.tlv`;
const PUB_OLD = `${SAMPLE}/history/cucm-pub-ITLFile-2024-05-14.tlv`;
const SUB_LISTING = `${SAMPLE}/tftp/cucm-sub/show-itl.txt`;
const SUB_OLD = `${SAMPLE}/history/cucm-sub-ITLFile-2024-05-14.tlv`;
const FOREIGN = `${SAMPLE}/make/foreign-ITLFile.tlv`;

describe('itl-model diff on the files of examples/cluster (written by tlvfile)', () => {
  it('should accept the current file locally for a phone holding the one served before the TVS regeneration', async () => {
    const doc = await diffJson(PUB_OLD, PUB_NOW);
    expect(doc.format).toBe('itl-model diff 1');
    expect(doc.signer.same).toBe(true);
    expect(doc.records.map((r) => r.change)).toEqual(['same', 'same', 'same', 'same', 'changed', 'same']);
    expect(doc.records[4]).toMatchObject({
      change: 'changed',
      fields: ['certSha1', 'serial'],
      a: { at: { offset: 7128 } },
    });
    expect(doc.itlRecovery.same).toBe(true);
    expect(doc.verdict).toMatchObject({ verdict: 'local', rule: 'R2', record: { number: 1 }, checkedBy: 'signature' });
  });

  it("should say never for a phone holding another cluster's ITL, and read a show itl listing as B", async () => {
    const doc = await diffJson(FOREIGN, SUB_LISTING);
    expect(doc.b).toMatchObject({
      source: 'text',
      signature: 'unverifiable',
      sha1: '950f1fdff9c3130c63556958829bc54a5a10c3e4',
    });
    expect(doc.records.filter((r) => r.change === 'removed')).toHaveLength(4);
    expect(doc.records.filter((r) => r.change === 'added')).toHaveLength(6);
    expect(doc.verdict).toEqual({ verdict: 'never', rule: 'R4', localFailure: 'signerNotAnchor', checkedBy: 'names' });
  });

  it("should judge a listing A by names: its records hold no keys, so B's signer is matched by name and certificate SHA-1", async () => {
    // The listing of cucm-sub's ITL offered cucm-pub's: the same ITLRecovery signs both (SAST record #1 of A).
    const doc = await diffJson(SUB_LISTING, PUB_NOW);
    expect([doc.a.source, doc.b.source, doc.b.signature, doc.signer.same]).toEqual([
      'text',
      'binary',
      'verified',
      true,
    ]);
    expect(doc.verdict).toMatchObject({ verdict: 'local', rule: 'R2', record: { number: 1 }, checkedBy: 'names' });
    expect(doc.verdictText).toContain('judged by names: A is a listing');
  });

  it('should judge the same B by its signature when A is the binary file of that listing', async () => {
    const doc = await diffJson(SUB_OLD, PUB_NOW);
    expect(doc.a.source).toBe('binary');
    expect(doc.verdict).toMatchObject({ verdict: 'local', rule: 'R2', record: { number: 1 }, checkedBy: 'signature' });
    expect(doc.verdictText).not.toContain('judged by names');
  });

  it("should not accept locally, by names, a B signed by a key the listing A does not name (another cluster's)", async () => {
    const doc = await diffJson(SUB_LISTING, FOREIGN);
    expect(doc.verdict).toEqual({ verdict: 'never', rule: 'R4', localFailure: 'signerNotAnchor', checkedBy: 'names' });
  });

  it("should not accept locally, by names, a B whose own signature is broken, though A's record names its signer", async () => {
    const broken = Uint8Array.from(readFileSync(PUB_NOW));
    const at = decodeItl(broken).signatureOffset + 3 + 5;
    broken[at] = broken[at]! ^ 0xff;
    const io = memoryIo({ 'a.txt': readFileSync(SUB_LISTING), 'b.tlv': broken });
    const doc = await diffJson('a.txt', 'b.tlv', io);
    expect([doc.b.signature, doc.signer.same]).toEqual(['failed', true]);
    expect(doc.verdict).toMatchObject({
      verdict: 'never',
      rule: 'R4',
      localFailure: 'badSignature',
      checkedBy: 'names',
    });
    expect(doc.verdictText).toContain(
      "A's record names B's signer, but with another certificate, or B's own signature fails",
    );
    expect(doc.verdictText).toMatch(/\(judged by names: A is a listing, its records hold no keys\)$/);
  });

  it('should refuse standard input as both A and B (it holds one file)', async () => {
    const io = memoryIo({ [PUB_NOW]: readFileSync(PUB_NOW) });
    const code = await run(['diff', '-', '-'], io);
    expect(code).toBe(2);
    expect(io.stderr).toEqual(['<stdin>: A is standard input already: B must be a file']);
  });

  it('should say nothing changes for the same file', async () => {
    expect((await diffJson(PUB_NOW, PUB_NOW)).verdict).toEqual({ verdict: 'same' });
  });

  it('should print the records, the ITLRecovery and the verdict in words', async () => {
    const io = capturingIo();
    expect(await run(['diff', PUB_OLD, PUB_NOW], io)).toBe(0);
    expect(io.stdout).toContain('Records: 5 same, 1 changed, 0 removed, 0 added');
    expect(io.stdout).toContain('ITLRecovery: same');
    expect(io.stdout[io.stdout.length - 1]).toMatch(
      /^Verdict for a phone holding A offered B: accepted locally \(R2\): B is signed by A's record #1 /,
    );
  });
});

describe('itl-model diff on the older files of examples/cluster/upgrade', () => {
  const UP = `${SAMPLE}/upgrade`;
  it('should give the verdict for each older file offered what its node serves now', async () => {
    const pairs: Array<[string, string, object]> = [
      [
        `${UP}/history/cucm-sub-ITLFile-2024-05-14.tlv`,
        `${UP}/tftp/cucm-sub/show-itl.txt`,
        { verdict: 'local', rule: 'R2', checkedBy: 'names' },
      ],
      // Signed by the ITLRecovery of 11.5: TLS works with cucm-sub's TVS record (#6), still in B.
      [
        `${UP}/history/cucm-sub-ITLFile-2023-04-10.tlv`,
        `${UP}/tftp/cucm-sub/show-itl.txt`,
        { verdict: 'tvs', rule: 'R3', records: [expect.objectContaining({ number: 6 })] },
      ],
      [
        `${UP}/history/cucm-pub-ITLFile-2023-04-10.tlv`,
        `${UP}/tftp/cucm-pub/ITLFile.tlv`,
        { verdict: 'tvs', rule: 'R3', records: [expect.objectContaining({ number: 6 })] },
      ],
      [
        `${UP}/history/cucm-pub-ITLFile-2022-11-02.tlv`,
        `${UP}/tftp/cucm-pub/ITLFile.tlv`,
        { verdict: 'never', rule: 'R4' },
      ],
      [
        `${UP}/history/cucm-pub-ITLFile-2019-06-01.tlv`,
        `${UP}/tftp/cucm-pub/ITLFile.tlv`,
        { verdict: 'never', rule: 'R4' },
      ],
      // The 11.5 file offered the first 12.5 build: its SAST ITLRecovery record (#6) signed it.
      [
        `${UP}/history/cucm-pub-ITLFile-2022-11-02.tlv`,
        `${UP}/history/cucm-pub-ITLFile-2023-04-10.tlv`,
        { verdict: 'local', rule: 'R2', record: expect.objectContaining({ number: 6 }), checkedBy: 'signature' },
      ],
    ];
    for (const [a, b, verdict] of pairs)
      expect([a, (await diffJson(a, b)).verdict]).toEqual([a, expect.objectContaining(verdict)]);
  });
});

describe('itl-model diff on files of replayed clusters', () => {
  const PHONE: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };

  it('should say only through TVS, naming the TVS records of A still in B, after a CallManager regeneration (10.5)', async () => {
    const before = served([install(), PHONE]);
    const after = served([install(), PHONE, { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' }]);
    const io = memoryIo({ 'a.tlv': before.pub!, 'b.tlv': after.pub! });
    const doc = await diffJson('a.tlv', 'b.tlv', io);
    expect(doc.verdict).toMatchObject({ verdict: 'tvs', rule: 'R3', localFailure: 'signerNotAnchor' });
    expect((doc.verdict as { records: Array<{ number: number }> }).records.map((r) => r.number)).toEqual([4, 6]);
  });

  it('should say never once both TVS certificates changed too', async () => {
    const before = served([install(), PHONE]);
    const after = served([
      install(),
      PHONE,
      { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
      { type: 'cert.regenerate', node: 'pub', cert: 'TVS', after: 6 },
      { type: 'cert.regenerate', node: 'sub', cert: 'TVS', after: 6 },
    ]);
    const io = memoryIo({ 'a.tlv': before.pub!, 'b.tlv': after.pub! });
    expect((await diffJson('a.tlv', 'b.tlv', io)).verdict).toEqual({
      verdict: 'never',
      rule: 'R4',
      localFailure: 'signerNotAnchor',
      checkedBy: 'signature',
    });
  });

  it('should not accept locally a file whose signature was broken on the way', async () => {
    const before = served([install(), PHONE]);
    const after = served([
      install(),
      PHONE,
      { type: 'tftp.restart', node: 'pub' },
      { type: 'cert.regenerate', node: 'sub', cert: 'TVS' },
    ]);
    const broken = Uint8Array.from(after.pub!);
    const file = decodeItl(broken);
    const at = file.signatureOffset + 3 + 5;
    broken[at] = broken[at]! ^ 0xff;
    const io = memoryIo({ 'a.tlv': before.pub!, 'b.tlv': broken });
    const doc = await diffJson('a.tlv', 'b.tlv', io);
    expect(doc.b.signature).toBe('failed');
    expect(doc.verdict).toMatchObject({ verdict: 'never', localFailure: 'badSignature' });
  });

  it('should judge a listing B by names, and say so', async () => {
    const before = served([install(), PHONE]);
    const after = served([install(), PHONE, { type: 'cert.regenerate', node: 'pub', cert: 'TVS' }]);
    const listing = formatShowItl(after.pub!, decodeItl(after.pub!), verifyItl(after.pub!, decodeItl(after.pub!))).join(
      '\n',
    );
    const io = memoryIo({ 'a.tlv': before.pub!, 'b.txt': listing });
    const doc = await diffJson('a.tlv', 'b.txt', io);
    expect(doc.verdict).toMatchObject({ verdict: 'local', rule: 'R2', checkedBy: 'names' });
    expect(doc.verdictText).toMatch(/\(judged by names: B is a listing, its signature cannot be checked\)$/);
  });

  it('should refuse a file that is neither an ITL nor a listing, at its offset or line, exit 2', async () => {
    const io = memoryIo({
      'a.tlv': Uint8Array.of(1, 2, 3),
      'b.txt': 'Version: 1.2\nITL Record #:x\n',
      'c.tlv': readFileSync(PUB_NOW),
    });
    expect(await run(['diff', 'a.tlv', 'c.tlv'], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^a\.tlv: offset \d+: /);
    const notes = memoryIo({ 'notes.txt': 'hello world\n', 'c.tlv': readFileSync(PUB_NOW) });
    expect(await run(['diff', 'notes.txt', 'c.tlv'], notes)).toBe(2);
    expect(notes.stderr).toEqual([
      'notes.txt: offset 0: neither an ITL or CTL file (expected tag 1 (VERSION), found 104) nor a show itl or show ctl listing',
    ]);
    const io2 = memoryIo({ 'b.txt': 'Version: 1.2\nITL Record #:x\n', 'c.tlv': readFileSync(PUB_NOW) });
    expect(await run(['diff', 'c.tlv', 'b.txt', '--json'], io2)).toBe(2);
    expect(io2.stderr[0]).toMatch(/^b\.txt:\d+: /);
    expect(JSON.parse(io2.stdout.join('\n')).error).toHaveLength(1);
  });

  it('should refuse a missing file', async () => {
    const io = memoryIo();
    expect(await run(['diff', 'x.tlv', 'y.tlv'], io)).toBe(2);
    expect(io.stderr).toEqual([
      'x.tlv: cannot read: no such file or folder',
      'y.tlv: cannot read: no such file or folder',
    ]);
  });
});
