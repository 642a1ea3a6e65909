import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { hashHex } from '../model/crypto/pkcs1.ts';
import { memoryIo } from './memoryIo.ts';
import { replayCommand } from './replayCommand.ts';

const seedLog = readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8');
const LOG = 'incident.jsonl';

async function replayOf(text: string, options: Parameters<typeof replayCommand>[1] = {}) {
  const io = memoryIo({ [LOG]: text });
  const code = await replayCommand(LOG, options, io);
  return { io, code };
}

/**
 * The timeline's rows, each whole: a line that starts with a space continues the row above it (the
 * table wraps long cells to the width), so its words are joined back with one space.
 */
function timelineRows(stdout: string[]): string[] {
  const start = stdout.findIndex((l) => l.startsWith('Timeline'));
  const rows: string[] = [];
  for (const line of stdout.slice(start + 2, stdout.indexOf('', start))) {
    if (line.startsWith(' ')) rows[rows.length - 1] += ` ${line.trim()}`;
    else rows.push(line);
  }
  return rows;
}

describe('replayCommand', () => {
  it('should print the timeline, the phones and the diagnosis when the log is valid', async () => {
    const { io, code } = await replayOf(seedLog, { until: '10' });
    expect(code).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(
      /^Summary: 1 of 3 phone\(s\) LOCKED, 0 recovered, 0 need a visit, 0 at risk \(after 10 events\)\n/,
    );
    expect(text).toContain('\nTimeline (2014-02-26, times -08:00)\n');
    const rows = timelineRows(io.stdout);
    expect(rows).toContainEqual(
      expect.stringContaining('REFUSED: CallManager certificate was modified in the last 5 minutes'),
    );
    expect(rows.at(-1)).toContain('LOCKED (Trust List Update Failed): SEP001122334455');
    expect(text).toMatch(
      /SEP001122334455: Trust List Update Failed\n {2}history: [^\n]+\n {2}R2: [^\n]+\n {2}R3: TLS to TVS test10pub failed/,
    );
    expect(text).toContain(
      'recovery (itl-reset-localkey): utils itl reset localkey on test10pub, then reset the phone',
    );
  });

  it('should give the README.md `replay --json` fields when --json is given', async () => {
    const { io } = await replayOf(seedLog, { json: true, until: '10' });
    const doc = JSON.parse(io.stdout.join('\n'));
    expect(doc.events).toBe(10);
    expect(doc.phones.SEP001122334455).toMatchObject({
      trust: 'locked',
      status: 'Trust List Update Failed',
      tftp: 'test10pub',
      online: true,
      recovery: 'itl-reset-localkey',
    });
    expect(doc.phones.SEP001122334455.itl).toMatchObject({
      hasItlRecovery: true,
      signer: expect.stringMatching(/^CN=test10pub\.joemar2\.lab;/),
    });
    expect(doc.nodes.test10pub).toMatchObject({
      hostname: 'test10pub',
      itl: { length: expect.any(Number) },
      certs: { CallManager: { serial: expect.stringMatching(/^[0-9a-f]{32}$/) } },
    });
    expect(doc.messages).toEqual([
      {
        event: 8,
        node: 'test10pub',
        kind: 'holdTimer',
        text: 'CallManager certificate was modified in the last 5 minutes. Please re-try regenerating TVS certificate at a later time',
      },
    ]);
    // The seed's locked phone was unplugged while TVS was regenerated: hazard H12 says so at that event.
    expect(doc.alerts).toEqual([
      { event: 1, kind: 'itlrecovery-not-backed-up', text: expect.any(String) },
      {
        event: 9,
        kind: 'offline-during-regeneration',
        hazard: 'H12',
        phones: ['SEP001122334455'],
        text: expect.stringMatching(/^H12: SEP001122334455 are off/),
      },
    ]);
  });

  it('should report every phone trusted and none locked after the whole seed incident', async () => {
    const { io } = await replayOf(seedLog, { json: true });
    const doc = JSON.parse(io.stdout.join('\n'));
    expect(Object.values(doc.phones).map((p) => (p as { trust: string }).trust)).toEqual([
      'trusted',
      'trusted',
      'trusted',
    ]);
    expect(Object.values(doc.phones).every((p) => (p as { recovery: unknown }).recovery === null)).toBe(true);
  });

  it('should write the real ITL files each node serves and each phone holds when --out is given', async () => {
    const { io, code } = await replayOf(seedLog, { out: 'out', json: true });
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n'));
    for (const [phone, state] of Object.entries(doc.phones) as [string, { itl: { sha1: string } }][]) {
      const bytes = io.files.get(`out/phones/${phone}/ITLFile.tlv`)!;
      expect(hashHex('sha1', bytes)).toBe(state.itl.sha1);
      expect(verifyItl(bytes, decodeItl(bytes)).status).toBe('verified');
    }
    expect(hashHex('sha1', io.files.get('out/tftp/test10sub/ITLFile.tlv')!)).toBe(doc.nodes.test10sub.itl.sha1);
  });

  it('should refuse a bad log with FILE:LINE, exit 2 and write nothing', async () => {
    const broken = seedLog
      .split('\n')
      .map((line, i) => (i === 4 ? line.replace('"phone.add"', '"phone.ad"') : line))
      .join('\n');
    const { io, code } = await replayOf(broken, { out: 'out' });
    expect(code).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^incident\.jsonl:5: /);
    expect([...io.files.keys()]).toEqual([LOG]);
    expect(io.stdout).toEqual([]);
  });

  it('should refuse a missing log file with exit 2 and one line', async () => {
    const io = memoryIo();
    expect(await replayCommand('nope.jsonl', {}, io)).toBe(2);
    expect(io.stderr).toEqual(['nope.jsonl: cannot read: no such file or folder']);
  });

  it('should refuse --until that is not a positive whole number', async () => {
    const { io, code } = await replayOf(seedLog, { until: '0' });
    expect(code).toBe(2);
    expect(io.stderr[0]).toMatch(/--until/);
  });

  it('should refuse --until past the last event, saying how many the log has, and write nothing', async () => {
    const { io, code } = await replayOf(seedLog, { until: '16', html: 'r.html' });
    expect(code).toBe(2);
    expect(io.stderr).toEqual(['--until 16: the log has 15 event(s)']);
    expect(io.files.has('r.html')).toBe(false);
    expect((await replayOf(seedLog, { until: '15' })).code).toBe(0);
  });

  it('should refuse --inspect-wait without a local relay to keep open (no --inspect, or --inspect URL)', async () => {
    for (const inspect of [undefined, 'ws://127.0.0.1:1']) {
      const { io, code } = await replayOf(seedLog, { inspectWait: true, ...(inspect ? { inspect } : {}) });
      expect(code).toBe(2);
      expect(io.stderr).toEqual([
        '--inspect-wait keeps the local inspector relay open: it needs --inspect without a URL',
      ]);
    }
  });

  it('should never print the cluster security password', async () => {
    const withPassword = seedLog.replace('Cisco-Sec-123', 'Very-Secret-Pa55');
    const text =
      (await replayOf(withPassword)).io.stdout.join('\n') +
      (await replayOf(withPassword, { json: true })).io.stdout.join('\n');
    expect(text).not.toContain('Very-Secret-Pa55');
  });

  it('should print byte-identical output when run twice on the same log', async () => {
    const first = (await replayOf(seedLog, { json: true })).io.stdout.join('\n');
    expect((await replayOf(seedLog, { json: true })).io.stdout.join('\n')).toBe(first);
  });
});

describe('replayCommand checks the log against the property registry', () => {
  const counterexampleD = readFileSync(
    new URL('../examples/counterexample-d-hold-timer-off.jsonl', import.meta.url),
    'utf8',
  );

  it('should list every property a log violates, with the options it was replayed with and the phone’s story', async () => {
    const { io, code } = await replayOf(counterexampleD, { json: true, holdTimer: false });
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n'));
    expect(doc.propertiesCheckedAfter).toBe('every event');
    expect(doc.violations.map((v: { property: string }) => v.property)).toEqual([
      'holdTimer',
      'regenerationsKeepTrust',
    ]);
    expect(doc.violations[1]).toMatchObject({
      event: 4,
      phone: 'SEP0000000000A2',
      expectedToHold: true,
      options: { holdTimer: false },
    });
    expect(doc.violations[1].explanation).toMatch(
      /^SEP0000000000A2 was still restarting when TVS on pub changed \(event 4\); its TVS list holds only pub;/,
    );
  });

  it('should find no violation when the same log is replayed with the hold timer on', async () => {
    const { io } = await replayOf(counterexampleD, { json: true });
    expect(JSON.parse(io.stdout.join('\n')).violations).toEqual([]);
  });

  it('should name the violated properties in the text report', async () => {
    const { io } = await replayOf(counterexampleD, { holdTimer: false });
    const text = io.stdout.join('\n');
    expect(text).toContain('Properties violated by this log (checked after every event):');
    expect(text).toMatch(
      /regenerationsKeepTrust VIOLATED at event 4 \(set cert regen TVS on pub\) with --no-hold-timer/,
    );
  });

  it('should not check the properties with --no-check', async () => {
    const { io } = await replayOf(counterexampleD, { json: true, check: false });
    expect(JSON.parse(io.stdout.join('\n'))).not.toHaveProperty('violations');
  });
});

describe('the timeline tells cause and time', () => {
  const example = (name: string) => readFileSync(new URL(`../examples/${name}.jsonl`, import.meta.url), 'utf8');

  it('should give the end of automatic restarts a row of its own, at its own time, before the event it precedes', async () => {
    const { io } = await replayOf(seedLog);
    const rows = timelineRows(io.stdout);
    const ended = rows.findIndex((l) => l.startsWith('9- '));
    expect(rows[ended]).toMatch(/^9- +10:26:27 +\(time passes\) automatic restarts end +2 phone\(s\) back/);
    expect(rows[ended + 1]).toMatch(/^9 +10:30:00 +set cert regen TVS/);
    // The logged event says only what it caused itself.
    expect(rows[ended + 1]).not.toContain('back from an automatic reset');
  });

  it('should end with an `end` row when restarts are still under way when the log ends', async () => {
    const { io } = await replayOf(example('counterexample-d-hold-timer-off'), { holdTimer: false });
    expect(io.stdout).toContain('Timeline (2024-03-04, times Z)');
    expect(timelineRows(io.stdout).at(-1)).toMatch(
      /^end +09:03:01.000 +\(time passes\) automatic restarts end .*LOCKED/,
    );
  });

  it('should print STILL LOCKED when a locked phone boots again and stays locked', async () => {
    const log = `${example('s10-offline-single-tvs').trimEnd()}\n${JSON.stringify({ type: 'phone.reset', at: '2024-03-04T09:30:00Z', phone: 'SEP00000000000C' })}\n`;
    const { io } = await replayOf(log);
    const last = timelineRows(io.stdout).at(-1)!;
    expect(last).toContain('phone.reset SEP00000000000C');
    expect(last).toContain('STILL LOCKED: SEP00000000000C');
    expect(last).not.toMatch(/LOCKED \(Trust List Update Failed\)/);
  });

  it('should name a renamed node `id (hostname)` in notes, reasons, advice and the TFTP table', async () => {
    const { io } = await replayOf(example('s19-rename-publisher-locked'));
    const text = io.stdout.join('\n');
    expect(text).toContain('ITL rebuilt on pub (pub2), sub');
    expect(text).toContain('R3: TLS to TVS pub (pub2) failed');
    expect(text).toContain('utils itl reset localkey on pub (pub2), then reset the phone');
    expect(text).toMatch(/^pub \(pub2\) +its normal ITL +[0-9a-f]{40} /m);
  });
});
