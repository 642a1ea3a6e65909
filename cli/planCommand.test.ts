import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../test-support/scenario.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { replayModel } from '../model/replay/fold.ts';
import { memoryIo, type MemoryIo } from './memoryIo.ts';
import { run } from './main.ts';

const example = (name: string) => readFileSync(new URL(`../examples/plans/${name}`, import.meta.url), 'utf8');
const SINGLE = 'examples/plans/single-tvs-unregistered-phone.jsonl';
const TWO = 'examples/plans/two-nodes.jsonl';
const PLAN = 'examples/plans/regen-callmanager-then-tvs.plan';
const examples = (): Record<string, string> =>
  Object.fromEntries(
    [
      'single-tvs-unregistered-phone.jsonl',
      'two-nodes.jsonl',
      'regen-callmanager-then-tvs.plan',
      'regen-back-to-back.plan',
      'sub-callmanager-then-pub-tvs.plan',
    ].map((name) => [`examples/plans/${name}`, example(name)]),
  );

async function plan(args: string[], files: Record<string, string> = {}): Promise<{ code: number; io: MemoryIo }> {
  const io = memoryIo({ ...examples(), ...files });
  const code = await run(['plan', ...args], io);
  return { code, io };
}

const text = (io: MemoryIo, path: string) => Buffer.from(io.files.get(path)!).toString('utf8');

/** The `plan --json` fields the tests read. */
interface PlanJson {
  phones: Record<string, { trust: string; recovery: string | null; locksOnNextBoot: boolean }>;
  nodes: Record<string, { itl: { sha1: string; signer: string } }>;
  steps: Array<{ line: number; refusal: string | null; locked: string[]; atRisk: string[] }>;
  pointOfNoReturn: { step: number; line: number } | null;
  saferOrder: { needed: boolean; found: { lines: Array<{ text: string; change: string }> } | null; stopped: string };
  source: { kind: string };
}

describe('itl-model plan', () => {
  it("should predict the unregistered phone's lock after CallManager then TVS on a single-TVS cluster, and say why no order avoids it", async () => {
    const { code, io } = await plan([SINGLE, PLAN]);
    expect(code).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('1 at risk (locked at their next boot)');
    expect(out).toMatch(
      /2 +5 +set cert regen TVS[\s\S]*at risk, their\s+next\s+boot\s+locks\s+them\s+\(R4\):\s+SEP00000000000C/,
    );
    expect(out).toContain('SEP00000000000C: at risk: unplugged, locks when it is plugged in again (R4:');
    expect(out).toMatch(/Safer order: none found \(\d+ candidate\(s\) tried, every one of the search space\)/);
    expect(out).toContain('why: SEP00000000000C: unplugged from the start of the plan to its end');
    expect(io.stderr).toEqual([]);
  });

  it('should give the end state in the shape of replay --json, with the steps', async () => {
    const { io } = await plan([SINGLE, PLAN, '--json']);
    const json = JSON.parse(io.stdout.join('\n')) as PlanJson;
    expect(json.source.kind).toBe('log');
    expect(json.phones.SEP00000000000C).toMatchObject({
      trust: 'trusted',
      locksOnNextBoot: true,
      recovery: 'itl-reset-localkey',
    });
    expect(json.phones.SEP00000000000A).toMatchObject({ trust: 'trusted', locksOnNextBoot: false, recovery: null });
    expect(json.steps.map((s) => [s.line, s.refusal, s.locked, s.atRisk])).toEqual([
      [3, null, [], []],
      [5, null, [], ['SEP00000000000C']],
    ]);
    expect(json.pointOfNoReturn).toBeNull();
    expect([json.saferOrder.needed, json.saferOrder.found, json.saferOrder.stopped]).toEqual([true, null, 'exhausted']);
  });

  it('should write a MOP whose checks name, per TFTP node and step, the signer record and the SHA-1 of the ITL', async () => {
    const { code, io } = await plan([SINGLE, PLAN, '--mop', 'mop.md', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout.join('\n')) as PlanJson;
    const mop = text(io, 'mop.md');
    const end = json.nodes.pub!.itl;
    // The last step's check is the end state's file, signed by pub's CallManager under record 1.
    const step2 = mop.slice(mop.indexOf('## Step 2'));
    expect(step2).toContain(
      `| pub | \`${end.sha1}\` | ITL Record #:1 (FUNCTION System Administrator Security Token) | ${end.signer} | normal, **changed by this step** |`,
    );
    expect(mop).toContain('    admin:set cert regen CallManager');
    expect(mop).toContain('2 phone(s) must register again: SEP00000000000A, SEP00000000000B');
    expect(step2).toMatch(
      /\| 1: SEP00000000000C \(1 unplugged[^|]*\| `[0-9a-f]{40}` \| no node serves it now \| at-risk \|/,
    );
    expect(mop).toContain('Rollback: No command brings the old TVS certificate back');
    expect(io.stderr).toEqual(['Method of procedure written to mop.md']);
  });

  it('should keep the committed example MOP byte for byte (the same input gives the same output)', async () => {
    const { io } = await plan([SINGLE, PLAN, '--mop', 'mop.md']);
    expect(text(io, 'mop.md')).toBe(example('regen-callmanager-then-tvs.mop.md'));
    const again = await plan([SINGLE, PLAN]);
    expect(again.io.stdout).toEqual(io.stdout);
  });

  it("should show CUCM's own message for a refused command: the hold timer's, and 'This is not a Publisher Node'", async () => {
    const held = await plan([SINGLE, 'examples/plans/regen-back-to-back.plan', '--json']);
    const steps = (JSON.parse(held.io.stdout.join('\n')) as PlanJson).steps;
    expect(steps.map((s) => s.refusal)).toEqual([
      null,
      'CallManager certificate was modified in the last 5 minutes. Please re-try regenerating TVS certificate at a later time',
    ]);
    const sub = await plan([TWO, 'sub.plan'], { 'sub.plan': 'utils itl reset localkey on sub\n' });
    expect(sub.io.stdout.join('\n')).toMatch(/REFUSED: This is not a Publisher Node/);
  });

  it('should propose waiting for the automatic restarts when a TVS changes while phones restart', async () => {
    const { io } = await plan([TWO, 'examples/plans/sub-callmanager-then-pub-tvs.plan', '--json']);
    const json = JSON.parse(io.stdout.join('\n')) as PlanJson;
    expect(json.steps[1]!.locked).toEqual(['SEP00000000000A']);
    expect(json.saferOrder.found!.lines.map((l) => `${l.change} ${l.text}`)).toEqual([
      'kept set cert regen CallManager on sub',
      'added wait 3m',
      'kept set cert regen TVS on pub',
    ]);
    const shown = await plan([TWO, 'examples/plans/sub-callmanager-then-pub-tvs.plan']);
    expect(shown.io.stdout).toContain('  + wait 3m    (added)');
  });

  it('should run a plan from a cluster folder', async () => {
    const lines: Line[] = [
      install(),
      { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] },
      { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
    ];
    const files = folderOfState(replayModel(logOf(lines)).settled.cluster!, { history: false });
    const io = memoryIo({
      ...Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])),
      'p.plan': 'set cert regen CallManager\nwait 10m\nset cert regen TVS\n',
    });
    expect(await run(['plan', 'c', 'p.plan', '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n')) as PlanJson;
    expect(json.source.kind).toBe('folder');
    expect(json.steps.map((s) => s.line)).toEqual([1, 3]);
    expect(Object.keys(json.phones)).toEqual(['SEP00000000000A', 'SEP00000000000B']);
  });

  it('should refuse a plan it cannot read with FILE:LINE and exit 2, writing nothing', async () => {
    const { code, io } = await plan([SINGLE, 'bad.plan', '--mop', 'mop.md', '--html', 'r.html'], {
      'bad.plan': 'set cert regen CallManager\nset cert regen TVS on nowhere\nreboot\n',
    });
    expect(code).toBe(2);
    expect(io.stderr[0]).toBe('bad.plan:3: not a command the model knows: "reboot"');
    expect(io.files.has('mop.md') || io.files.has('r.html')).toBe(false);
    const missing = await plan(['nothing.jsonl', PLAN, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.io.stdout.join('\n'))).toEqual({
      error: [{ file: 'nothing.jsonl', reason: 'cannot read: no such file or folder' }],
    });
    const latin1 = memoryIo({
      ...examples(),
      'latin1.plan': Buffer.from('set cert regen CallManager\n# caf\xe9\n', 'latin1'),
    });
    expect(await run(['plan', SINGLE, 'latin1.plan'], latin1)).toBe(2);
    expect(latin1.stderr).toEqual(['latin1.plan:2: not UTF-8 text (byte 6 of the line)']);
    const badOut = await plan([SINGLE, PLAN, '--mop', 'no/such/mop.md']);
    expect([badOut.code, badOut.io.stderr]).toEqual([
      2,
      ['no/such/mop.md: cannot write: no such folder no/such (--mop)'],
    ]);
  });

  it('should write every name into the Markdown procedure as text, never as markup', async () => {
    const name = '<b>&x|y[a](b).plan';
    const { io } = await plan([SINGLE, name, '--mop', 'mop.md', '--html', 'r.html'], {
      [name]: example('regen-callmanager-then-tvs.plan'),
    });
    const mop = text(io, 'mop.md');
    expect(mop).toContain('# Method of procedure: &lt;b&gt;&amp;x\\|y[a]&#40;b).plan');
    expect(mop).not.toContain('<b>');
    expect(mop).not.toContain('[a](b)');
    // The HTML page made from the same Markdown shows the name as it is, escaped once.
    expect(text(io, 'r.html')).toContain('<h1>Method of procedure: &#60;b&#62;&#38;x|y[a](b).plan</h1>');
  });

  it('should refuse standard input as both the log and the plan (it holds one file)', async () => {
    const { code, io } = await plan(['-', '-']);
    expect(code).toBe(2);
    expect(io.stderr).toEqual(['-: the log is standard input already: the plan must be a file']);
  });

  it('should escape every name in the HTML page', async () => {
    const { io } = await plan([SINGLE, '<b>&x.plan', '--html', 'r.html'], {
      '<b>&x.plan': example('regen-callmanager-then-tvs.plan'),
    });
    const html = text(io, 'r.html');
    expect(html).toContain('<title>itl-model plan: &#60;b&#62;&#38;x.plan</title>');
    expect(html).not.toContain('<b>&x');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toMatch(/<td>ITL Record #:1 \(FUNCTION System Administrator Security Token\)<\/td>/);
  });
});
