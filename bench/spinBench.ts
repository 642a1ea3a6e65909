/**
 * The checker against Spin on the same abstract model and scope, in one run: the scope exported as
 * Promela (`itl-model export --promela`), Spin's verifier built as Spin ships it (`spin -a`, `gcc -O2
 * -DSAFETY`) and run; the packed explorer (properties/packed/) and the explorer
 * (properties/explorer/) over the same scope. Each runs in a process of its own, so that its CPU time
 * and peak memory (maximum resident set) are its own; the ratios are over Spin's. Spin and the packed
 * explorer run RUNS times, taking turns, and each is reported by its fastest run (on a shared machine
 * the noise only adds time, about ±8 % a run here); the explorer, which is no goal's, runs once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore } from '../properties/explorer/explore.ts';
import { packedExplore } from '../properties/packed/packedExplore.ts';
import { DEFAULT_EXPORT_SCOPE, exportScope } from '../properties/promela/exportScopes.ts';
import { promelaModel } from '../properties/promela/promela.ts';
import { holdTimer } from '../properties/registry.ts';
import type { Table } from './timing.ts';

/** One checker's run: counts, CPU seconds (user + system) and peak resident memory in MB. */
interface Measured {
  label: string;
  states: number;
  transitions: number;
  cpu: number;
  peakMb: number;
}

const CHILD = '--spin-bench-child';
/** The scope measured (`SPIN_BENCH_SCOPE` picks another of `export --list`). */
const SCOPE = process.env['SPIN_BENCH_SCOPE'] ?? DEFAULT_EXPORT_SCOPE;
/** How many runs of Spin and of the packed explorer (`SPIN_BENCH_RUNS`, 3 by default). */
const RUNS = Math.max(1, Math.floor(Number(process.env['SPIN_BENCH_RUNS'] ?? 3)) || 1);

/**
 * Child side: explores SCOPE with one explorer and prints its counts, CPU and peak memory as JSON.
 * It checks the property the exported model asserts (the hold timer; the known weaknesses are
 * asserted only with -DWEAKNESSES), so that both checkers look for the same violation: Spin on the
 * regenerations (the only steps that can break it), the explorers on every step but those of
 * clusterOnly actions (which pass every step check: spec/invariants.ts).
 */
function child(which: string, name: string): void {
  const chosen = exportScope(name)!;
  const run = {
    scope: chosen.scope,
    properties: [holdTimer],
    maxDepth: Number.MAX_SAFE_INTEGER,
    ...(chosen.alphabet ? { alphabet: chosen.alphabet } : {}),
  };
  const start = process.cpuUsage();
  const r = which === 'packed' ? packedExplore(run) : explore(run);
  const cpu = process.cpuUsage(start);
  console.log(
    JSON.stringify({
      states: r.distinctStates,
      transitions: r.statesExplored,
      complete: r.complete,
      violated: r.violations.size,
      cpu: (cpu.user + cpu.system) / 1e6,
      peakMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

if (process.argv[2] === CHILD) child(process.argv[3]!, process.argv[4]!);

/** Runs one explorer in a child process (this module, with the parent's loader flags). */
function explorerRun(which: 'packed' | 'explorer', label: string): Measured {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, CHILD, which, SCOPE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<Measured, 'label'> & {
    complete: boolean;
    violated: number;
  };
  if (!out.complete) throw new Error(`${label} did not finish the scope`);
  if (out.violated > 0) throw new Error(`${label} found the hold timer violated, which Spin's run does not`);
  return { label, ...out };
}

/** Whether a command is on PATH. */
const onPath = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Builds Spin's verifier for SCOPE in `dir` (`spin -a`, `gcc -O2 -DSAFETY`): the seconds it took. */
function spinBuild(dir: string): number {
  const chosen = exportScope(SCOPE)!;
  writeFileSync(join(dir, 'model.pml'), promelaModel(chosen.scope, chosen.alphabet, SCOPE));
  const start = performance.now();
  for (const [cmd, args] of [
    ['spin', ['-a', 'model.pml']],
    ['gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c']],
  ] as const) {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
  }
  return (performance.now() - start) / 1000;
}

/** One run of the verifier built in `dir`, under /usr/bin/time (CPU and maximum resident set of pan alone). */
function spinRun(dir: string): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', './pan', '-m2000000'], { cwd: dir, encoding: 'utf8' });
  const text = `${r.stdout}\n${r.stderr}`;
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  const time = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(text);
  if (!time || num(/errors: (\d+)/) !== 0) throw new Error(`pan failed:\n${text}`);
  return {
    label: 'Spin 6 (spin -a; gcc -O2 -DSAFETY; ./pan -m2000000)',
    states: num(/(\d+) states, stored/),
    // Spin's "transitions" are stored + matched: the initial state counts once; the explorers count steps.
    transitions: num(/(\d+) transitions \(= stored\+matched\)/) - 1,
    cpu: Number(time[1]) + Number(time[2]),
    peakMb: Number(time[3]) / 1024,
  };
}

/** The fastest of a checker's runs (all must agree on the counts), with its CPU times in run order. */
function fastest(runs: Measured[]): Measured & { all: number[] } {
  const first = runs[0]!;
  if (runs.some((m) => m.states !== first.states || m.transitions !== first.transitions))
    throw new Error(`${first.label}: runs of one checker counted differently`);
  const best = runs.reduce((a, b) => (b.cpu < a.cpu ? b : a));
  return { ...best, all: runs.map((m) => m.cpu) };
}

/** The median of some numbers. Pure. */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fixed = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The section: Spin, the packed explorer and the explorer on SCOPE, with ratios over Spin. */
export function spinSection(): Table {
  const columns = ['checker', 'distinct states', 'transitions', 'CPU s', 'peak MB', 'CPU / Spin', 'memory / Spin'];
  if (!onPath('spin') || !onPath('gcc') || !existsSync('/usr/bin/time'))
    return {
      columns,
      rows: [],
      notes: ['skipped: spin, gcc or /usr/bin/time is not installed (.ci/run installs spin)'],
    };
  const dir = mkdtempSync(join(tmpdir(), 'itl-spin-bench-'));
  try {
    const buildSeconds = spinBuild(dir);
    const spinRuns: Measured[] = [];
    const packedRuns: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      spinRuns.push(spinRun(dir));
      packedRuns.push(explorerRun('packed', 'itl-model packed explorer (properties/packed/)'));
    }
    const base = fastest(spinRuns);
    const packed = fastest(packedRuns);
    const runs = [base, packed, explorerRun('explorer', 'itl-model explorer (properties/explorer/)')];
    const rows = runs.map((m) => [
      m.label,
      m.states.toLocaleString('en-US'),
      m.transitions.toLocaleString('en-US'),
      fixed(m.cpu),
      fixed(m.peakMb, 0),
      m === base ? '1.00x' : `${(m.cpu / base.cpu).toFixed(2)}x`,
      m === base ? '1.00x' : `${(m.peakMb / base.peakMb).toFixed(2)}x`,
    ]);
    const same = runs.every((m) => m.states === base.states && m.transitions === base.transitions);
    const seconds = (m: { all: number[] }) => m.all.map((x) => fixed(x)).join(', ');
    return {
      columns,
      rows,
      notes: [
        `scope ${SCOPE}: ${exportScope(SCOPE)!.about} (SPIN_BENCH_SCOPE=NAME picks another of \`itl-model export --list\`)`,
        same
          ? `every checker counts ${base.states.toLocaleString('en-US')} distinct states and ${base.transitions.toLocaleString('en-US')} transitions`
          : `COUNTS DIFFER: ${runs.map((m) => `${m.label} ${m.states}/${m.transitions}`).join('; ')}`,
        "each checks the hold timer (the exported model's assertion: Spin on each regeneration, the explorers on each step that can change a phone or raise a flag) and finds it holds",
        `Spin and the packed explorer ran ${RUNS} times each, taking turns (SPIN_BENCH_RUNS=N); each row is its fastest run: Spin CPU s ${seconds(base)}; packed ${seconds(packed)}; the explorer ran once`,
        `Spin's verifier built in ${fixed(buildSeconds)} s (not counted); its peak includes Spin's default hash table (-w24, 128 MB) and the DFS stack`,
        `goal: packed within 1.5x of Spin: CPU ${(packed.cpu / base.cpu).toFixed(2)}x, memory ${(packed.peakMb / base.peakMb).toFixed(2)}x`,
        `the same turns otherwise: each turn's packed / Spin (run back to back) ${packed.all.map((x, i) => `${(x / base.all[i]!).toFixed(2)}x`).join(', ')}; medians Spin ${fixed(median(base.all))} s, packed ${fixed(median(packed.all))} s (${(median(packed.all) / median(base.all)).toFixed(2)}x)`,
        'peak MB of the explorers is the whole Node process (about 50 MB before any state)',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
