import { seedFromEnv } from '../properties/arbitraries.ts';
import { DEFAULT_BUDGET_BYTES } from '../properties/packed/packedExplore.ts';
import { runCheck, type CheckReport, type CheckSettings } from '../properties/checkAll.ts';
import { checkText, coverageRows } from './checkText.ts';
import type { Io } from './io.ts';
import { switchOptions, type SwitchFlags } from './modelSwitches.ts';

/** Options of `itl-model check` (strings as commander gives them), and the model switches. */
export interface CheckOptions extends SwitchFlags {
  json?: boolean;
  depth?: string;
  phones?: string;
  nodes?: string;
  runs?: string;
  product?: boolean;
  quick?: boolean;
  counterexamples?: string;
  memory?: string;
}

/** The default depth bound: deep enough that every scope of `check` empties its frontier first. */
const MAX_DEPTH = 60;

/**
 * `--quick`: a small scope in seconds (one phone whose TVS list holds only the publisher, to depth 8:
 * bounded, and says so), few random logs; the weaknesses keep their scope (they are small).
 */
const QUICK = { nodes: 2, phones: 1, depth: 8, runs: 3 };

function int(value: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new RangeError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** Options (and FC_SEED) to settings; a RangeError with one line for a bad one. `--runs` is at least 1: some properties are checked only on random logs. */
function settings(options: CheckOptions): Omit<CheckSettings, 'onProgress' | 'onPart'> {
  const base = options.quick ? QUICK : { nodes: 2, phones: 3, depth: MAX_DEPTH, runs: 20 };
  return {
    nodes: int(options.nodes, base.nodes, 2, 3, 'nodes'),
    phones: int(options.phones, base.phones, 1, 4, 'phones'),
    depth: int(options.depth, base.depth, 0, MAX_DEPTH, 'depth'),
    runs: int(options.runs, base.runs, 1, 10_000, 'runs'),
    counterexamples: int(options.counterexamples, 1, 1, 20, 'counterexamples'),
    seed: seedFromEnv(),
    product: options.product === true,
    weaknessScope: { nodes: 2, phones: 3, depth: 12 },
    budgetBytes: int(options.memory, DEFAULT_BUDGET_BYTES / 2 ** 20, 16, 65_536, 'memory') * 2 ** 20,
    options: switchOptions(options),
  };
}

/** The `--json` document: the counts, every verdict with its counterexamples (options and explanation included), and the coverage. Pure. */
export function checkJson(report: CheckReport) {
  const { main } = report;
  return {
    properties: report.verdicts.map((v) => ({
      name: v.name,
      holds: v.holds,
      expectedToHold: v.expectedToHold,
      forbids: v.property.forbids,
      checkedBy: v.checkedBy,
      ...(v.counterexamples[0]
        ? { counterexample: v.counterexamples[0].log, options: v.counterexamples[0].options }
        : {}),
      counterexamples: v.counterexamples,
    })),
    statesExplored: main.statesExplored,
    distinctStates: main.distinctStates,
    depth: main.depth,
    complete: main.complete,
    bounded: !main.complete,
    seconds: main.seconds,
    parts: main.parts,
    scopes: report.mains.map((m) => ({
      name: m.name,
      events: m.alphabet ? [...m.alphabet] : 'all',
      statesExplored: m.result.statesExplored,
      distinctStates: m.result.distinctStates,
      depth: m.result.depth,
      complete: m.result.complete,
      seconds: m.result.seconds,
      parts: m.result.parts,
    })),
    options: report.settings.options ?? {},
    seed: report.settings.seed,
    coverage: coverageRows(report).map(({ what, name, exhaustive, scopes, randomized }) => ({
      what,
      name,
      exhaustive,
      scopes,
      randomized,
    })),
  };
}

/**
 * `itl-model check`: exhaustive breadth-first exploration of the abstract model in the scope (per
 * phone configuration, or the whole product with --product), the properties with their own alphabet,
 * the known weaknesses each in its own scope, then randomized runs with real crypto. Exit 0 when
 * every property expected to hold holds and every expected failure was found, 1 otherwise (also when
 * a part stopped at the memory budget: "out of budget, explored N states"), 2 for bad options.
 */
export async function check(options: CheckOptions, io: Io): Promise<number> {
  let s: ReturnType<typeof settings>;
  try {
    s = settings(options);
  } catch (error) {
    io.err(`itl-model check: ${(error as Error).message}`);
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const onProgress = tty
    ? (part: string, d: number, distinct: number, explored: number) =>
        void process.stderr.write(`\r${part}: depth ${d}, ${distinct} distinct, ${explored} explored   `)
    : undefined;
  // Without a terminal: one plain line per finished part.
  const onPart = (
    what: string,
    p: {
      part: string;
      distinctStates: number;
      statesExplored: number;
      depth: number;
      complete: boolean;
      seconds: number;
      outOfBudget: boolean;
    },
  ) =>
    io.err(
      `${tty ? '\r' : ''}check: ${what}: ${p.part}: ${p.distinctStates} distinct, ${p.statesExplored} explored, depth ${p.depth}${p.outOfBudget ? ' (out of budget)' : p.complete ? '' : ' (bounded)'}, ${p.seconds.toFixed(1)} s`,
    );
  const report = await runCheck({ ...s, ...(onProgress ? { onProgress } : {}), onPart });
  const ok = report.verdicts.every((v) => v.holds === v.expectedToHold);
  if (options.json) io.out(JSON.stringify(checkJson(report)));
  else for (const line of checkText(report)) io.out(line);
  const stopped = [...report.mains, ...report.others].flatMap((r) =>
    r.result.parts.filter((p) => p.outOfBudget).map((p) => ({ ...p, part: `${r.name}: ${p.part}` })),
  );
  for (const p of stopped)
    io.err(
      `itl-model check: out of budget (--memory ${(s.budgetBytes ?? DEFAULT_BUDGET_BYTES) / 2 ** 20} MiB), explored ${p.distinctStates} states: ${p.part}`,
    );
  return ok && stopped.length === 0 ? 0 : 1;
}
