import { diagnose, type Diagnosis } from '../machines/diagnose.ts';
import { replay, replayFrom } from '../machines/replay.ts';
import { modelOptions } from '../model/cluster/install.ts';
import { FolderError } from '../model/folder/folderError.ts';
import { IMPORTED_CRYPTO } from '../model/folder/importCluster.ts';
import { LogError } from '../model/logError.ts';
import { invalidUtf8Line } from '../model/invalidUtf8.ts';
import { parseLogBytes } from '../model/parseLog.ts';
import type { LogEvent } from '../model/events.ts';
import { methodOfProcedure } from '../model/plan/mop.ts';
import { namingEvents } from '../model/plan/namesOf.ts';
import { readPlan } from '../model/plan/plan.ts';
import { runPlan, type PlanAnalysis } from '../model/plan/runPlan.ts';
import { DEFAULT_BUDGET, saferOrder } from '../model/plan/saferOrder.ts';
import type { ClusterContext } from '../model/replay/evolve.ts';
import { publisherOf } from '../model/cluster/buildItls.ts';
import { needsVisit } from './adviceText.ts';
import { paint } from './colour.ts';
import { loadClusterState, refuseFolder } from './folderImport.ts';
import { IoError, isFolder, pathProblems, type Io, type Output } from './io.ts';
import { switchOptions, type SwitchFlags } from './modelSwitches.ts';
import { planHtml, planMop } from './planMop.ts';
import { planJson } from './planJson.ts';
import { planText, type PlanReport } from './planText.ts';
import { refuse, type Problem, writeOrRefuse } from './refusal.ts';
import { MAX_LOG_BYTES } from './replayCommand.ts';
import { displayName } from './showItl.ts';

/** Options of `itl-model plan`. */
export interface PlanCommandOptions extends SwitchFlags {
  json?: boolean;
  mop?: string;
  html?: string;
  /** The safer-order search's budget of candidates (a whole number as text). */
  candidates?: string;
}

/** The largest plan `plan` reads: a plan is typed by hand. */
export const MAX_PLAN_BYTES = 1024 * 1024;

/** The plan's analysis: the cluster machine's fold and the diagnosis of machines/. */
export const MACHINE_ANALYSIS: PlanAnalysis<Diagnosis> = { replayFrom, diagnose, visit: needsVisit };

/** Where a plan starts: the world, the events that name its nodes and phones, its time, and what it is. */
interface Start {
  context: ClusterContext;
  before: LogEvent[];
  at: string;
  source: { kind: 'log' | 'folder'; path: string; events: number };
}

/** Reads the start: a cluster folder when SOURCE is a folder, else an event log (its end). */
async function readStart(
  source: string,
  options: PlanCommandOptions,
  io: Io,
): Promise<Start | Problem[] | FolderError> {
  const switches = switchOptions(options);
  if (await isFolder(source, io)) {
    try {
      const imported = await loadClusterState(source, io);
      const context: ClusterContext = {
        cluster: imported.state,
        events: 0,
        last: null,
        options: modelOptions(switches),
        crypto: IMPORTED_CRYPTO,
      };
      return {
        context,
        before: namingEvents(imported.state, imported.at),
        at: imported.at,
        source: { kind: 'folder', path: source, events: 0 },
      };
    } catch (error) {
      if (error instanceof FolderError) return error;
      if (error instanceof IoError) return [{ file: error.path, reason: error.reason }];
      throw error;
    }
  }
  const name = displayName(source);
  try {
    const log = parseLogBytes(await io.readFile(source, MAX_LOG_BYTES), name);
    const result = replay(log.events, { options: switches });
    return {
      context: result.final,
      before: log.events,
      at: log.events[log.events.length - 1]!.at,
      source: { kind: 'log', path: source, events: log.events.length },
    };
  } catch (error) {
    if (error instanceof IoError) return [{ file: name, reason: error.reason }];
    if (error instanceof LogError) return [...error.problems];
    throw error;
  }
}

/**
 * Everything wrong with the options and output paths, found before anything is read: an output that
 * names the log, the plan or the other output (under any spelling) is refused, and then not checked alone.
 */
async function optionProblems(
  source: string,
  planFile: string,
  options: PlanCommandOptions,
  io: Io,
): Promise<Problem[]> {
  const outputs = (
    [
      ['--mop', options.mop],
      ['--html', options.html],
    ] as const
  ).flatMap(([name, path]) => (path ? [{ name, path, kind: 'file' as const }] : []));
  return pathProblems(
    [
      { name: (await isFolder(source, io)) ? 'the cluster folder' : 'the log', path: source, kind: 'input' },
      { name: 'the plan', path: planFile, kind: 'input' },
      ...outputs,
    ],
    io,
  );
}

/**
 * `itl-model plan (DIR | LOG) PLAN`: runs the plan from the imported cluster or the end of the log;
 * prints per step the phones that lock, recover or are put at risk, the end state, the point of no
 * return and a safer order; writes the method of procedure (--mop, --html). Exit 0 once it ran.
 */
export async function planCommand(
  source: string,
  planFile: string,
  options: PlanCommandOptions,
  io: Io,
): Promise<number> {
  const early = await optionProblems(source, planFile, options, io);
  if (early.length) return refuse(io, options.json, early);
  const start = await readStart(source, options, io);
  if (start instanceof FolderError) return refuseFolder(io, options.json, source, start);
  if (Array.isArray(start)) return refuse(io, options.json, start);
  const planName = displayName(planFile);
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(planFile, MAX_PLAN_BYTES);
  } catch (error) {
    if (error instanceof IoError) return refuse(io, options.json, [{ file: planName, reason: error.reason }]);
    throw error;
  }
  const notText = invalidUtf8Line(bytes);
  if (notText) return refuse(io, options.json, [{ file: planName, ...notText }]);
  const text = new TextDecoder('utf-8').decode(bytes);
  const publisher = publisherOf(start.context.cluster!).id;
  let plan;
  try {
    plan = readPlan(text, planName, start.before, start.at, { publisher });
  } catch (error) {
    if (error instanceof LogError) return refuse(io, options.json, [...error.problems]);
    throw error;
  }
  const sourceLines = text.split(/\r?\n/);
  const typed = plan.lines.map((line) => sourceLines[line - 1]!.replace(/#.*$/, '').trim().replace(/\s+/g, ' '));
  const run = runPlan(MACHINE_ANALYSIS, start.context, plan.events, plan.lines, { startAt: start.at });
  const budget = {
    ...DEFAULT_BUDGET,
    ...(options.candidates ? { maxCandidates: Number(options.candidates) } : {}),
    now: Date.now,
  };
  const safer = saferOrder(MACHINE_ANALYSIS, start.context, plan.events, typed, plan.lines, start.at, budget);
  const report: PlanReport = {
    source: start.source,
    plan: planName,
    typed,
    run,
    safer,
    mop: methodOfProcedure(run),
  };
  const outputs: Output[] = [];
  if (options.mop) outputs.push({ kind: 'file', path: options.mop, data: planMop(report).join('\n') + '\n' });
  if (options.html) outputs.push({ kind: 'file', path: options.html, data: planHtml(report) });
  const refused = await writeOrRefuse(io, outputs, options.json);
  if (refused) return refused;
  if (options.json) io.out(JSON.stringify(planJson(report), null, 2));
  else for (const line of planText(report, io.terminal?.columns)) io.out(line, paint);
  if (options.mop) io.err(`Method of procedure written to ${options.mop}`);
  if (options.html) io.err(`HTML written to ${options.html}`);
  return 0;
}
