import { diagnoseAll } from '../machines/diagnose.ts';
import { replay, shownSteps } from '../machines/replay.ts';
import { servedCtl, servedItl } from '../model/cluster/buildItls.ts';
import type { ClusterState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { LogError } from '../model/logError.ts';
import { parseLogBytes, parseLogStream, type ParsedLog } from '../model/parseLog.ts';
import { linesOfChunks } from '../model/logLines.ts';
import { htmlReport } from './htmlReport.ts';
import { inspectReplay, inspectUrlProblem, type InspectOptions } from './inspectCommand.ts';
import { IoError, pathProblems, type Io, type NamedPath, type Output } from './io.ts';
import { refuse, type Problem, writeOrRefuse } from './refusal.ts';
import { replayJson } from './replayJson.ts';
import { replayText, tooLargeText } from './replayText.ts';
import { paint } from './colour.ts';
import { checkLog } from '../properties/logCheck.ts';
import { displayName } from './showItl.ts';
import { switchOptions, type SwitchFlags } from './modelSwitches.ts';

/** Options of `itl-model replay`. */
export interface ReplayCommandOptions extends InspectOptions, SwitchFlags {
  json?: boolean;
  out?: string;
  until?: string;
  html?: string;
  /** false with --no-check: skip checking the log against the property registry. */
  check?: boolean;
  /** `--from DIR`: continue the log from a cluster folder (cli/replayFrom.ts). */
  from?: string;
  /** `all`: the text report lists and diagnoses every phone (cli/replayText.ts PHONE_ROWS). */
  phones?: 'all';
}

/** The largest log read whole (checked before reading), by an Io that cannot stream and by other commands. */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;

/**
 * The most events `replay` reads (a log streamed line by line is bounded by what the model holds,
 * not by its size in bytes): more would not fit a replay's memory with their reports.
 */
export const MAX_LOG_EVENTS = 2_000_000;

/**
 * Above this many phone-events (phones x events) the log is not checked against the properties:
 * the check needs every context of the replay, and keeping them costs memory in phones x events
 * (a replay that keeps none costs phones + events: model/cluster/phoneTable.ts).
 */
export const CHECK_BUDGET = 150_000_000;

/** Phones x events of a log (its phones: its `phone.add` events). Pure. */
function phoneEvents(events: LogEvent[]): number {
  return events.filter((e) => e.type === 'phone.add').length * events.length;
}

/** Reads and parses a log (streamed line by line when the Io can), or returns every problem found (`FILE:LINE: reason`). */
async function readLog(file: string, io: Io): Promise<ParsedLog | Problem[]> {
  const name = displayName(file);
  try {
    if (io.readChunks)
      return await parseLogStream(linesOfChunks(io.readChunks(file)), name, { maxEvents: MAX_LOG_EVENTS });
    return parseLogBytes(await io.readFile(file, MAX_LOG_BYTES), name);
  } catch (error) {
    if (error instanceof IoError) return [{ file: name, reason: error.reason }];
    if (error instanceof LogError) return [...error.problems];
    throw error;
  }
}

/** The files `--out DIR` holds: what each TFTP node serves and what each phone has installed (paths relative to DIR). */
function outFiles(cluster: ClusterState): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const bytes = (sha1: string) => Buffer.from(cluster.itls[sha1]!.bytes, 'base64');
  for (const node of cluster.nodes) {
    const served = servedItl(node);
    if (served) files.set(`tftp/${node.id}/ITLFile.tlv`, bytes(served));
  }
  for (const phone of cluster.phones) if (phone.itl) files.set(`phones/${phone.id}/ITLFile.tlv`, bytes(phone.itl));
  // Mixed mode: the cluster's one CTL on every TFTP node (A22), and the CTL each phone holds.
  for (const node of cluster.nodes) {
    const ctl = servedCtl(cluster, node);
    if (node.tftp && ctl) files.set(`tftp/${node.id}/CTLFile.tlv`, bytes(ctl));
  }
  for (const phone of cluster.phones) if (phone.ctl) files.set(`phones/${phone.id}/CTLFile.tlv`, bytes(phone.ctl.file));
  return files;
}

/**
 * Everything wrong with the options and output paths, found before the log is read or anything is
 * printed: an output that names the log or another output (under any spelling) is refused, and
 * then not checked alone.
 */
async function optionProblems(file: string, options: ReplayCommandOptions, io: Io): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (options.until !== undefined && !/^[1-9][0-9]{0,8}$/.test(options.until))
    problems.push({
      file: '',
      reason: `--until: expected a positive whole number, got ${JSON.stringify(options.until)}`,
    });
  const url = typeof options.inspect === 'string' ? inspectUrlProblem(options.inspect) : undefined;
  if (url) problems.push({ file: '', reason: url });
  if (options.inspectWait && options.inspect !== true)
    problems.push({
      file: '',
      reason: '--inspect-wait keeps the local inspector relay open: it needs --inspect without a URL',
    });
  const paths: NamedPath[] = [{ name: 'the log', path: file, kind: 'input' }];
  if (options.out) paths.push({ name: '--out', path: options.out, kind: 'tree' });
  if (options.html) paths.push({ name: '--html', path: options.html, kind: 'file' });
  if (options.inspectLog) paths.push({ name: '--inspect-log', path: options.inspectLog, kind: 'file' });
  problems.push(...(await pathProblems(paths, io)));
  return problems;
}

/** `itl-model replay LOG`: replays the log and reports the timeline, the phones and a diagnosis of every locked phone. */
export async function replayCommand(file: string, options: ReplayCommandOptions, io: Io): Promise<number> {
  if (options.from !== undefined) return (await import('./replayFrom.ts')).replayFromFolder(file, options, io);
  const early = await optionProblems(file, options, io);
  if (early.length > 0) return refuse(io, options.json, early);
  const log = await readLog(file, io);
  if (Array.isArray(log)) return refuse(io, options.json, log);
  const until = options.until === undefined ? undefined : Number(options.until);
  if (until !== undefined && until > log.events.length)
    return refuse(io, options.json, [
      { file: '', reason: `--until ${until}: the log has ${log.events.length} event(s)` },
    ]);
  const modelOptions = switchOptions(options);
  const size = phoneEvents(log.events);
  const large = size > CHECK_BUDGET;
  const checking = options.check !== false && !large;
  if (options.check !== false && large)
    io.err(`itl-model: properties not checked: ${tooLargeText(size, CHECK_BUDGET)}`);
  const result = replay(log.events, {
    until,
    options: modelOptions,
    keepContexts: checking || !!(options.html || options.inspect || options.inspectLog),
  });
  const violated = checking ? checkLog(log.events, result, modelOptions) : undefined;
  // The reports show the world once automatic restarts under way at the end have ended (A14).
  const { reports, contexts } = shownSteps(result);
  const diagnoses = diagnoseAll(result.settled, reports[reports.length - 1]!.at);
  const outputs: Output[] = [];
  if (options.out) outputs.push({ kind: 'tree', dir: options.out, files: outFiles(result.settled.cluster!) });
  // The HTML gets one more column for the end of those restarts.
  if (options.html)
    outputs.push({
      kind: 'file',
      path: options.html,
      data: htmlReport(log.events, { ...result, reports, contexts }, diagnoses, `itl-model: ${displayName(file)}`),
    });
  const refused = await writeOrRefuse(io, outputs, options.json);
  if (refused) return refused;
  if (options.json)
    io.out(JSON.stringify(replayJson(log.events, result.settled, reports, diagnoses, violated), null, 2));
  else {
    const layout = {
      columns: io.terminal?.columns,
      phones: options.phones,
      contexts: result.contexts,
      unchecked:
        options.check !== false && large
          ? { kind: 'tooLarge' as const, phoneEvents: size, budget: CHECK_BUDGET }
          : { kind: 'option' as const },
    };
    for (const line of replayText(log.events, result.settled, reports, diagnoses, violated, layout))
      io.out(line, paint);
  }
  if (options.html) io.err(`HTML report written to ${options.html}`);
  if (options.inspect || options.inspectLog)
    return inspectReplay(log.events.slice(0, result.reports.length), modelOptions, options, io);
  return 0;
}
