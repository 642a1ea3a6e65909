import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replay } from '../machines/replay.ts';
import { parseLog } from '../model/parseLog.ts';
import { eventLine } from './importTranscriptCommand.ts';
import { memoryIo } from './memoryIo.ts';
import { run } from './main.ts';
import { refusalText } from './refusalText.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../test-support/fixtures/seed-transcripts/${name}`, import.meta.url), 'utf8');
const seedText = readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8');
const expected = JSON.parse(
  readFileSync(new URL('../examples/seed-incident.expected.json', import.meta.url), 'utf8'),
) as {
  phones: Record<string, { trust: string; rule: string }>;
  messages: string[];
};
const seed = parseLog(seedText, 'seed');
/** The seed's cluster before its session: the install and the phones. */
const before = [seed.events[0]!, ...seed.events.filter((e) => e.type === 'phone.add')].map(eventLine).join('\n');
const START = '2014-02-26T18:20:00Z';

/** The whole seed session: its transcripts, and what happened outside the CLI as model lines in comments. */
const SESSION = [
  fixture('file-get-itlrecovery.txt'),
  '# wait 4m',
  '# phone SEP001122334455 off',
  '# wait 3m',
  fixture('cert-regen-hold-timer.txt'),
  '# wait 5m',
  'admin:set cert regen TVS',
  'Proceed with regeneration (yes|no)? yes',
  'Successfully Regenerated Certificate for TVS.',
  '# wait 2m',
  '# phone SEP001122334455 on',
  fixture('itl-reset-localkey.txt'),
  '# reset all',
  '# wait 8m',
  'admin:utils service restart Cisco Tftp',
  '# on test10sub',
  'admin:utils service restart Cisco Tftp',
  '# reset all',
].join('\n');

async function importing(transcript: string, args: string[] = ['--start', START]) {
  const io = memoryIo({ 'before.jsonl': before, 'session.txt': transcript });
  const code = await run(['import-transcript', 'session.txt', '--from', 'before.jsonl', ...args], io);
  return { code, io };
}

describe('itl-model import-transcript (the seed transcripts are golden)', () => {
  it('should import each seed transcript to the event its command caused, after the log it continues', async () => {
    const cases: Array<[string, object]> = [
      ['itl-reset-localkey.txt', { type: 'itl.reset', node: 'test10pub', key: 'localkey' }],
      [
        'itl-reset-remotekey.txt',
        {
          type: 'itl.reset',
          node: 'test10pub',
          key: 'remotekey',
          host: 'joemar2-server.cisco.com',
          user: 'joemar2',
          path: '/home/joemar2/ITLRecovery.p12',
        },
      ],
      [
        'file-get-itlrecovery.txt',
        {
          type: 'itlrecovery.backup',
          node: 'test10pub',
          host: 'joemar2-server.cisco.com',
          user: 'joemar2',
          path: '/home/joemar2/ITLRecovery.p12',
        },
      ],
    ];
    for (const [name, event] of cases) {
      const { code, io } = await importing(fixture(name));
      expect(code, name).toBe(0);
      const log = parseLog(io.stdout.join('\n'), name);
      expect(log.events.slice(0, -1).map(eventLine).join('\n')).toBe(before);
      expect(log.events[log.events.length - 1], name).toEqual({ ...event, at: '2014-02-26T18:21:00.000Z' });
    }
  });

  it("should import both regenerations, and the log replays to the hold timer's message the transcript shows", async () => {
    const { code, io } = await importing(fixture('cert-regen-hold-timer.txt'));
    expect(code).toBe(0);
    const log = parseLog(io.stdout.join('\n'), 'log');
    const messages = replay(log.events).reports.flatMap((r) => r.refusals.map(refusalText));
    expect(messages).toEqual(expected.messages);
  });

  it("should import the whole seed session to a log that replays to the seed's outcome", async () => {
    const { code, io } = await importing(SESSION, ['--start', START, '--out', 'session.jsonl']);
    expect(code).toBe(0);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual(['11 event(s) imported from session.txt; log written to session.jsonl']);
    const log = parseLog(Buffer.from(io.files.get('session.jsonl')!).toString('utf8'), 'session.jsonl');
    // The same events as the seed's log, in the same order, but for their times.
    const untimed = (events: typeof log.events) =>
      events.filter((e) => e.type !== 'cluster.install' && e.type !== 'phone.add').map(({ at: _at, ...e }) => e);
    expect(untimed(log.events)).toEqual(untimed(seed.events));
    const result = replay(log.events);
    const phones = result.settled.cluster!.phones;
    expect(Object.fromEntries(phones.map((p) => [p.id, { trust: p.trust, rule: p.lastDecision?.rule }]))).toEqual(
      expected.phones,
    );
    expect(result.reports.flatMap((r) => r.refusals.map(refusalText))).toEqual(expected.messages);
    // The unplugged phone locked when it came back, and the bulk reset recovered it.
    const phone = phones.find((p) => p.id === 'SEP001122334455')!;
    expect([phone.lockedAt !== undefined, phone.recoveredAt !== undefined]).toEqual([true, true]);
  });

  it('should time the commands from --start, by default from the last event of --from', async () => {
    const { io } = await importing('admin:utils itl reset localkey', []);
    const last = seed.events.filter((e) => e.type === 'phone.add').pop()!.at;
    const at = parseLog(io.stdout.join('\n'), 'x').events.pop()!.at;
    expect(Date.parse(at) - Date.parse(last)).toBe(60_000);
  });

  it('should refuse, with FILE:LINE and exit 2, what it cannot read, and write nothing', async () => {
    const bad = await importing(['admin:show itl', 'admin:utils reboot now'].join('\n'), [
      '--start',
      START,
      '--out',
      'x.jsonl',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toEqual(['session.txt:2: not a command the model knows: "utils reboot now"']);
    expect(bad.io.files.has('x.jsonl')).toBe(false);
    expect((await importing('admin:show itl', ['--start', 'yesterday'])).io.stderr[0]).toMatch(
      /^--start: expected an ISO 8601 time/,
    );
    expect((await importing('admin:show itl', ['--start', '2001-01-01T00:00:00Z'])).io.stderr[0]).toMatch(
      /^--start: 2001-01-01T00:00:00Z is before the last event of before\.jsonl/,
    );
    const io = memoryIo({ 'session.txt': 'admin:show itl' });
    expect(await run(['import-transcript', 'session.txt'], io)).toBe(2);
    const latin1 = memoryIo({
      'before.jsonl': before,
      'session.txt': Buffer.from('admin:show itl\nadmin:caf\xe9\n', 'latin1'),
    });
    expect(await run(['import-transcript', 'session.txt', '--from', 'before.jsonl'], latin1)).toBe(2);
    expect(latin1.stderr).toEqual(['session.txt:2: not UTF-8 text (byte 10 of the line)']);
  });

  it('should refuse standard input as both the transcript and --from (it holds one file)', async () => {
    const io = memoryIo({});
    expect(await run(['import-transcript', '-', '--from', '-'], io)).toBe(2);
    expect(io.stderr).toEqual(['-: the transcript is standard input already: --from must be a file']);
  });
});
