import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refusalText } from '../../cli/refusalText.ts';
import { replay } from '../../machines/replay.ts';
import type { LogEvent } from '../events.ts';
import { LogError } from '../logError.ts';
import { parseLog } from '../parseLog.ts';
import { readTranscript } from './transcript.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test-support/fixtures/seed-transcripts/${name}`, import.meta.url), 'utf8');
const seed = parseLog(readFileSync(new URL('../../examples/seed-incident.jsonl', import.meta.url), 'utf8'), 'seed');
const install = seed.events[0]!;
const phones = seed.events.filter((e) => e.type === 'phone.add');
const START = '2014-02-26T18:20:00.000Z';
const read = (text: string, before: LogEvent[] = [install, ...phones]) =>
  readTranscript(text, 'transcript.txt', before, START, { publisher: 'test10pub' });

describe('import-transcript on the seed transcripts (golden)', () => {
  it('should read utils itl reset localkey, typed on the publisher, from its transcript', () => {
    expect(read(fixture('itl-reset-localkey.txt')).events).toEqual([
      { type: 'itl.reset', node: 'test10pub', key: 'localkey', at: '2014-02-26T18:21:00.000Z' },
    ]);
  });

  it('should read remotekey with the path the transcript wraps onto the next line', () => {
    expect(read(fixture('itl-reset-remotekey.txt')).events).toEqual([
      {
        type: 'itl.reset',
        node: 'test10pub',
        key: 'remotekey',
        host: 'joemar2-server.cisco.com',
        user: 'joemar2',
        path: '/home/joemar2/ITLRecovery.p12',
        at: '2014-02-26T18:21:00.000Z',
      },
    ]);
  });

  it('should read file get tftp ITLRecovery.p12 with the SFTP answers it was given', () => {
    expect(read(fixture('file-get-itlrecovery.txt')).events).toEqual([
      {
        type: 'itlrecovery.backup',
        node: 'test10pub',
        host: 'joemar2-server.cisco.com',
        user: 'joemar2',
        path: '/home/joemar2/ITLRecovery.p12',
        at: '2014-02-26T18:21:00.000Z',
      },
    ]);
  });

  it('should read both regenerations and, replayed, refuse the second with the message the transcript shows', () => {
    const { events } = read(fixture('cert-regen-hold-timer.txt'));
    expect(events.map((e) => e.type === 'cert.regenerate' && e.cert)).toEqual(['CallManager', 'TVS']);
    const result = replay([install, ...phones, ...events]);
    const messages = result.reports.flatMap((r) => r.refusals.map(refusalText));
    // A6: the model spells "regenerating" where the note's transcript has "regnerating".
    const shown = fixture('cert-regen-hold-timer.txt')
      .split('\n')
      .slice(10)
      .join(' ')
      .replace('regnerating', 'regenerating');
    expect(messages).toEqual([shown.trim().replace(/\s+/g, ' ')]);
  });

  it('should replay the whole seed incident, from its transcripts and its model lines, to the incident outcome', () => {
    const text = [
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
    const imported = read(text);
    const expected = replay(seed.events).settled.cluster!;
    const actual = replay([install, ...phones, ...imported.events]).settled.cluster!;
    const outcome = (c: typeof actual) =>
      c.phones.map((p) => [p.id, p.trust, p.lastDecision?.rule, p.lockedAt !== undefined]);
    expect(outcome(actual)).toEqual(outcome(expected));
    expect(actual.phones.find((p) => p.id === 'SEP001122334455')!.recoveredAt).toBeDefined();
  });

  it('should skip a regeneration answered "no" and a read-only command', () => {
    const text = [
      'admin:show itl',
      'The ITL file was verified successfully.',
      'admin:set cert regen TVS',
      'Proceed with regeneration (yes|no)? no',
    ].join('\n');
    expect(read(text).events).toEqual([]);
  });

  it('should refuse a command the model does not know, and a node the cluster does not have, at their lines', () => {
    expect(() => read('admin:utils reboot')).toThrow(LogError);
    try {
      read(['admin:utils reboot', '# on nowhere', 'admin:utils service restart Cisco Tftp'].join('\n'));
    } catch (error) {
      expect((error as LogError).problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([
        '1: not a command the model knows: "utils reboot"',
      ]);
    }
    expect(() => read(['# on nowhere', 'admin:utils service restart Cisco Tftp'].join('\n'))).toThrow(
      /transcript\.txt:2: /,
    );
  });

  it('should refuse a model line that takes the clock past the last time a log holds, at its line, never an internal error', () => {
    const text = [...Array.from({ length: 100 }, () => '# wait 999999d'), 'admin:utils itl reset localkey'].join('\n');
    expect(() => read(text)).toThrow(
      "transcript.txt:1: the clock would pass 2106-02-07T06:28:15Z, the last time an ITL's TIMESTAMP can hold",
    );
  });
});
