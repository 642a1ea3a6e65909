import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../cli/packageInfo.ts';
import { ms, ratio, type Table } from './timing.ts';

/** Wall time of one run of a Node program, in ms. */
function once(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Start-up of the built CLI against TypeScript's own `tsc --version` (both plain Node programs,
 * run alternately so that machine load hits both alike): the goal is `itl-model --help` under 2x.
 */
export function startupSection(): Table {
  const programs: [string, string[]][] = [
    ['itl-model --help', [join(PACKAGE_ROOT, 'bin', 'itl-model.mjs'), '--help']],
    ['itl-model --version', [join(PACKAGE_ROOT, 'bin', 'itl-model.mjs'), '--version']],
    ['tsc --version', [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--version']],
    ['node -e 0', ['-e', '0']],
  ];
  const times = programs.map(() => [] as number[]);
  for (const [, args] of programs) once(args);
  for (let round = 0; round < 21; round++) programs.forEach(([, args], i) => times[i]!.push(once(args)));
  const tsc = median(times[2]!);
  return {
    columns: ['program (21 runs each, interleaved)', 'median wall time', 'vs tsc --version'],
    rows: programs.map(([name], i) => [name, ms(median(times[i]!)), ratio(median(times[i]!), tsc)]),
    notes: ['goal: itl-model --help under 2x tsc --version; commands load their modules only when they run'],
  };
}
