import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCommand } from '../../cli/exportCommand.ts';
import { memoryIo } from '../../cli/memoryIo.ts';
import { run } from '../../cli/main.ts';
import { explore } from '../explorer/explore.ts';
import { allEvents } from '../spec/events.ts';
import { scopeOf } from '../spec/scope.ts';
import { exportScope, exportScopes } from './exportScopes.ts';
import { PromelaScopeError, promelaModel } from './promela.ts';

/** Whether a command is on PATH. */
const onPath = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasSpin = onPath('spin') && onPath('gcc');

/** What Spin's verifier reports: states stored, transitions (stored + matched: the initial state counts once), errors. */
interface PanReport {
  stored: number;
  transitions: number;
  errors: number;
  text: string;
}

/** Exports a scope, builds Spin's verifier (spin -a, gcc -O2 -DSAFETY) and runs it, in a fresh temporary folder. */
function runSpin(name: string, defines: string[] = []): PanReport {
  const dir = mkdtempSync(join(tmpdir(), 'itl-promela-'));
  try {
    const chosen = exportScope(name)!;
    writeFileSync(join(dir, 'model.pml'), promelaModel(chosen.scope, chosen.alphabet, name));
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0 && cmd !== './pan') throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    run('spin', [...defines.map((d) => `-D${d}`), '-a', 'model.pml']);
    run('gcc', ['-O0', '-DSAFETY', '-o', 'pan', 'pan.c']);
    const text = run('./pan', ['-m1000000']);
    const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    return {
      stored: num(/(\d+) states, stored/),
      transitions: num(/(\d+) transitions \(= stored\+matched\)/),
      errors: num(/errors: (\d+)/),
      text,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Promela export (properties/promela/)', () => {
  it('should have .ci/run install Spin when it is absent, so that CI runs the comparison with Spin', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/command -v spin >\/dev\/null \|\| \{ apt-get update && apt-get install -y spin/);
  });

  if (!hasSpin)
    it('should find spin or gcc absent from this environment (skipped by the environment: the comparison with Spin needs both)', () => {
      expect(hasSpin).toBe(false);
    });

  // Two small complete scopes: three phones of 10.x, and 12.5 mixed mode with its upgrade.
  for (const name of ['c-rebuild-without-backup', 'g-fn70613-mixed-mode'])
    it.runIf(hasSpin)(`should give Spin the explorer's distinct states and transitions on ${name}`, () => {
      const chosen = exportScope(name)!;
      const ours = explore({ scope: chosen.scope, alphabet: chosen.alphabet, properties: [], maxDepth: 1000 });
      expect(ours.complete).toBe(true);
      const spin = runSpin(name);
      expect(spin.errors).toBe(0);
      // Spin counts the initial state among its transitions (stored + matched); the explorer counts steps taken.
      expect({ states: spin.stored, transitions: spin.transitions - 1 }).toEqual({
        states: ours.distinctStates,
        transitions: ours.statesExplored,
      });
    });

  it.runIf(hasSpin)(
    "should give the explorer's counts with -DMULTICORE too (the canonical form without hidden tables, as Spin's multi-core mode needs)",
    () => {
      const chosen = exportScope('d-hold-timer-off')!;
      const ours = explore({ scope: chosen.scope, alphabet: chosen.alphabet, properties: [], maxDepth: 1000 });
      const spin = runSpin('d-hold-timer-off', ['MULTICORE']);
      expect({ states: spin.stored, transitions: spin.transitions - 1 }).toEqual({
        states: ours.distinctStates,
        transitions: ours.statesExplored,
      });
    },
  );

  it.runIf(hasSpin)("should make Spin find trust on first use (a known weakness's assertion) with -DWEAKNESSES", () => {
    const spin = runSpin('e-trust-on-first-use', ['WEAKNESSES']);
    expect(spin.errors).toBe(1);
    expect(spin.text).toContain('assertion violated');
  });

  it('should render every event of the scope as one guarded atomic command', () => {
    const chosen = exportScope('10.x-phone-C')!;
    const model = promelaModel(chosen.scope, chosen.alphabet);
    expect(model.match(/^ {2}:: d_step \{/gm)).toHaveLength(allEvents(chosen.scope, chosen.alphabet).length);
    expect(model).toContain('/* holdTimer */ assert(!withinHold);');
  });

  it('should refuse a scope whose phones share a configuration (the symmetry sort is not rendered)', () => {
    const scope = scopeOf(2, 4);
    expect(() => promelaModel(scope)).toThrow(PromelaScopeError);
  });

  it('should name every scope once, with the default among them', () => {
    const names = exportScopes().map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('10.x-phone-C');
  });
});

describe('itl-model export', () => {
  it('should refuse with exit status 2 and one line when no format is given', async () => {
    const io = memoryIo();
    expect(await exportCommand({}, io)).toBe(2);
    expect(io.stderr).toEqual(['itl-model export: say which format: --promela (the only one)']);
  });

  it('should refuse an unknown scope with exit status 2, writing nothing', async () => {
    const io = memoryIo();
    expect(await exportCommand({ promela: true, scope: '../etc/passwd' }, io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stdout).toEqual([]);
  });

  it('should be a command of itl-model, writing the named scope with --out', async () => {
    const io = memoryIo();
    expect(await run(['export', '--promela', '--scope', 'c-rebuild-without-backup', '--out', 'c.pml'], io)).toBe(0);
    expect(io.stdout).toEqual(['wrote the Promela model of c-rebuild-without-backup to c.pml']);
    expect(new TextDecoder().decode(io.files.get('c.pml'))).toContain('active proctype spec() {');
  });

  it('should print the model of the default scope on standard output', async () => {
    const io = memoryIo();
    expect(await exportCommand({ promela: true }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^\/\* itl-model: 10\.x-phone-C/);
    expect(io.stdout).toContain('active proctype spec() {');
  });
});
