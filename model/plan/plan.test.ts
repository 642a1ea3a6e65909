import { describe, expect, it } from 'vitest';
import { install, logOf } from '../../test-support/scenario.ts';
import type { LogError } from '../logError.ts';
import { readCommand } from './cliSyntax.ts';
import { readPlan } from './plan.ts';

const base = logOf([install(), { type: 'phone.add', phone: 'SEP001122334455', tftp: 'pub', tvs: ['pub'] }]);
const START = '2024-03-04T10:00:00.000Z';
const plan = (text: string) => readPlan(text, 'tonight.plan', base, START, { publisher: 'pub' });
const ctx = { publisher: 'pub' };
/** The `FILE:LINE: reason` lines a refused plan gives. */
const problems = (text: string) => {
  try {
    plan(text);
  } catch (error) {
    return (error as LogError).problems.map((p) => `${p.file}:${p.line}: ${p.reason}`);
  }
  throw new Error('expected the plan to be refused');
};

describe('the plan syntax (CUCM CLI lines)', () => {
  it('should read every command of the syntax as the event it causes, on the publisher unless `on NODE` says', () => {
    const cases: Array<[string, object]> = [
      ['set cert regen CallManager on sub', { type: 'cert.regenerate', node: 'sub', cert: 'CallManager' }],
      ['set cert regen itlrecovery', { type: 'cert.regenerate', node: 'pub', cert: 'ITLRecovery' }],
      ['utils itl reset localkey', { type: 'itl.reset', node: 'pub', key: 'localkey' }],
      [
        'utils itl reset remotekey h u /p.p12',
        { type: 'itl.reset', node: 'pub', key: 'remotekey', host: 'h', user: 'u', path: '/p.p12' },
      ],
      ['utils ctl set-cluster mixed-mode', { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }],
      ['utils ctl update CTLFile', { type: 'ctl.update', node: 'pub' }],
      ['utils ctl reset localkey', { type: 'ctl.reset', node: 'pub', key: 'localkey' }],
      ['utils service restart Cisco Tftp on sub', { type: 'tftp.restart', node: 'sub' }],
      [
        'utils service restart Cisco CTIManager on sub',
        { type: 'service.restart', node: 'sub', service: 'CTIManager' },
      ],
      [
        'file get tftp ITLRecovery.p12 to u@h:/backups/x.p12',
        { type: 'itlrecovery.backup', node: 'pub', user: 'u', host: 'h', path: '/backups/x.p12' },
      ],
      // A user may hold an @: the host is after the last one.
      [
        'file get tftp ITLRecovery.p12 to admin@corp@10.0.0.5:/backup',
        { type: 'itlrecovery.backup', node: 'pub', user: 'admin@corp', host: '10.0.0.5', path: '/backup' },
      ],
      ['reset all', { type: 'devices.reset' }],
      ['reset phone SEP001122334455', { type: 'phone.reset', phone: 'SEP001122334455' }],
      ['phone SEP001122334455 off', { type: 'phone.power', phone: 'SEP001122334455', on: false }],
      ['phone SEP001122334455 delete itl', { type: 'phone.deleteItl', phone: 'SEP001122334455' }],
      ['phone SEP001122334455 factory reset', { type: 'phone.factoryReset', phone: 'SEP001122334455' }],
      [
        'set param phoneInteractionOnCertificateUpdate manual',
        { type: 'cluster.parameter', name: 'phoneInteractionOnCertificateUpdate', value: 'manual' },
      ],
      ['upgrade 12.5(1)SU2', { type: 'cluster.upgrade', version: '12.5(1)SU2' }],
    ];
    for (const [line, event] of cases) expect(readCommand(line, ctx), line).toEqual({ kind: 'event', event });
    expect(readCommand('wait 10m', ctx)).toEqual({ kind: 'wait', seconds: 600 });
    expect(readCommand('show itl', ctx)).toEqual({ kind: 'none' });
  });

  it('should time each command a minute after the one before, plus its waits, after the start', () => {
    const { events, lines } = plan(
      ['# tonight', 'set cert regen CallManager', 'wait 10m', 'set cert regen TVS  # then TVS', '', 'reset all'].join(
        '\n',
      ),
    );
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['cert.regenerate', '2024-03-04T10:01:00.000Z'],
      ['cert.regenerate', '2024-03-04T10:12:00.000Z'],
      ['devices.reset', '2024-03-04T10:13:00.000Z'],
    ]);
    expect(lines).toEqual([2, 4, 6]);
  });

  it('should refuse every line it cannot read, each at its line, and names the cluster does not have', () => {
    expect(problems(['set cert regen Tomcat', 'wait soon', 'reboot the world'].join('\n'))).toEqual([
      'tonight.plan:1: set cert regen: unknown certificate "tomcat" (CallManager, TVS, CAPF, ITLRecovery)',
      'tonight.plan:2: wait needs a duration like "wait 10m" (s, m, h, d)',
      'tonight.plan:3: not a command the model knows: "reboot the world"',
    ]);
    expect(problems('wait 1000000d')).toEqual([
      'tonight.plan:1: wait: at most 999999 of a unit (s, m, h, d), like "wait 30d"',
    ]);
    expect(problems('reset phone SEP00000000BEEF')[0]).toMatch(/^tonight\.plan:1: phone\.reset: .*SEP00000000BEEF/);
    expect(problems('set cert regen TVS on nowhere')[0]).toMatch(/^tonight\.plan:1: cert\.regenerate: .*nowhere/);
  });

  it('should read a USER@HOST:PATH of 300,000 characters at once (no regular expression backtracks on it)', () => {
    // The user part took every @ in turn before: 300,000 of them cost minutes.
    const start = performance.now();
    expect(readCommand(`file get tftp ITLRecovery.p12 to u@${'@'.repeat(300_000)}`, ctx)).toEqual({
      kind: 'error',
      reason: 'file get tftp ITLRecovery.p12 needs "to USER@HOST:PATH"',
    });
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('should refuse a wait or a command that takes the clock past 2106-02-07T06:28:15Z, at its line', () => {
    const past = "the clock would pass 2106-02-07T06:28:15Z, the last time an ITL's TIMESTAMP can hold";
    expect(problems(['wait 29000d', 'wait 1000d', 'reset all'].join('\n'))).toEqual([`tonight.plan:2: ${past}`]);
    // Waits that add up past any time a Date can hold: refused at the first line, never an internal error.
    expect(problems(Array.from({ length: 100 }, () => 'wait 999999d').join('\n'))[0]).toBe(`tonight.plan:1: ${past}`);
  });

  it('should quote at most 60 characters of an unknown certificate or service', () => {
    const long = 'x'.repeat(100_000);
    for (const line of [`set cert regen ${long}`, `utils service restart ${long}`]) {
      const read = readCommand(line, ctx);
      expect(read.kind).toBe('error');
      expect((read as { reason: string }).reason.length).toBeLessThan(150);
    }
  });

  it('should take `on NODE` on every command typed on a node, the utils ctl ones too, and refuse a node the cluster does not have', () => {
    const on = (line: string) => (readCommand(line, ctx) as { event: { node?: string } }).event.node;
    expect(on('utils ctl set-cluster mixed-mode on sub')).toBe('sub');
    expect(on('utils ctl update CTLFile on sub')).toBe('sub');
    expect(on('utils ctl reset localkey on sub')).toBe('sub');
    expect(on('utils itl reset localkey on sub')).toBe('sub');
    expect(on('file get tftp ITLRecovery.p12 to u@h:/b/x.p12 on sub')).toBe('sub');
    expect(
      plan(['utils ctl set-cluster mixed-mode on sub', 'show itl on sub', 'show itl on SUB'].join('\n')).lines,
    ).toEqual([1]);
    expect(
      problems(
        [
          'utils ctl set-cluster mixed-mode on nope',
          'utils ctl update CTLFile on nope',
          'utils ctl reset localkey on nope',
          'utils itl reset localkey on nope',
          'utils service restart Cisco Tftp on nope',
        ].join('\n'),
      ),
    ).toEqual([
      'tonight.plan:1: ctl.setCluster: unknown node "nope" in field "node"',
      'tonight.plan:2: ctl.update: unknown node "nope" in field "node"',
      'tonight.plan:3: ctl.reset: unknown node "nope" in field "node"',
      'tonight.plan:4: itl.reset: unknown node "nope" in field "node"',
      'tonight.plan:5: tftp.restart: unknown node "nope" in field "node"',
    ]);
  });

  it('should refuse `show … on NODE` for a node the cluster does not have, as a command would be', () => {
    expect(problems(['wait 1m', 'show itl on nope'].join('\n'))).toEqual([
      'tonight.plan:2: show itl: unknown node "nope"',
    ]);
    expect(problems('utils diagnose test on nowhere')).toEqual([
      'tonight.plan:1: utils diagnose test: unknown node "nowhere"',
    ]);
  });

  it('should refuse `on NODE` on a line that is not typed on a node, rather than ignore it', () => {
    expect(
      problems(
        [
          'reset all on nope',
          'reset phone SEP001122334455 on sub',
          'phone SEP001122334455 off on sub',
          'reset all on pub',
          'phone SEP001122334455 delete itl on pub',
          'set param prepareRollbackPre80 true on pub',
          'upgrade 14 on sub',
          'reuse cert tomcat on pub',
        ].join('\n'),
      ),
    ).toEqual([
      'tonight.plan:1: reset all: not typed on a node, so "on nope" does not apply (Enterprise Parameters > Reset acts on the whole cluster)',
      'tonight.plan:2: reset phone: not typed on a node, so "on sub" does not apply (a phone is reset from Cisco Unified CM Administration)',
      'tonight.plan:3: phone SEP001122334455 off: a model line, not typed on a node, so "on sub" does not apply',
      'tonight.plan:4: reset all: not typed on a node, so "on pub" does not apply (Enterprise Parameters > Reset acts on the whole cluster)',
      'tonight.plan:5: phone SEP001122334455 delete itl: a model line, not typed on a node, so "on pub" does not apply',
      'tonight.plan:6: set param prepareRollbackPre80 true: a model line, not typed on a node, so "on pub" does not apply',
      'tonight.plan:7: upgrade 14: a model line, not typed on a node, so "on sub" does not apply',
      'tonight.plan:8: reuse cert tomcat: a model line, not typed on a node, so "on pub" does not apply',
    ]);
    // The same lines without `on NODE` are accepted; a phone still turns on (the word `on` is not a node).
    expect(
      plan(
        ['reset all', 'reset phone SEP001122334455', 'phone SEP001122334455 off', 'phone SEP001122334455 on'].join(
          '\n',
        ),
      ).events.map((e) => e.type),
    ).toEqual(['devices.reset', 'phone.reset', 'phone.power', 'phone.power']);
  });
});
