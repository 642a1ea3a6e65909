import { join } from 'node:path';
import { diagnoseAll } from '../machines/diagnose.ts';
import { replay, shownSteps } from '../machines/replay.ts';
import type { ClusterState } from '../model/cluster/clusterState.ts';
import { LogError } from '../model/logError.ts';
import { parseLog } from '../model/parseLog.ts';
import { servedItl } from '../model/cluster/buildItls.ts';
import { writeHtmlReport } from './htmlReport.ts';
import { inspectReplay, type InspectOptions } from './inspectCommand.ts';
import type { Io } from './io.ts';
import { replayJson } from './replayJson.ts';
import { replayText } from './replayText.ts';

/** Options of `itl-model replay`. */
export interface ReplayCommandOptions extends InspectOptions {
  json?: boolean;
  out?: string;
  until?: string;
  html?: string;
  /** false with --no-hold-timer (a what-if model option). */
  holdTimer?: boolean;
}

/** Reads and parses a log, or says why not on one line (`FILE:LINE: reason`). */
async function readLog(file: string, io: Io) {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await io.readFile(file));
  } catch (error) {
    const reason = error instanceof TypeError ? 'not UTF-8 text' : error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'cannot read';
    io.err(`${file}:1: cannot read the log (${reason})`);
    return undefined;
  }
  try {
    return parseLog(text, file);
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    io.err(error.message);
    return undefined;
  }
}

/** Writes what each TFTP node serves and what each phone holds (contract.md §2.1 `--out`). */
async function writeFiles(dir: string, cluster: ClusterState, io: Io): Promise<void> {
  for (const node of cluster.nodes) {
    const served = servedItl(node);
    if (!served) continue;
    await io.mkdir(join(dir, 'tftp', node.id));
    await io.writeFile(join(dir, 'tftp', node.id, 'ITLFile.tlv'), Buffer.from(cluster.itls[served]!.bytes, 'base64'));
  }
  for (const phone of cluster.phones) {
    if (!phone.itl) continue;
    await io.mkdir(join(dir, 'phones', phone.id));
    await io.writeFile(join(dir, 'phones', phone.id, 'ITLFile.tlv'), Buffer.from(cluster.itls[phone.itl]!.bytes, 'base64'));
  }
}

/** Parses `--until N`: a positive whole number. */
function parseUntil(value: string | undefined): number | undefined | 'bad' {
  if (value === undefined) return undefined;
  return /^[1-9][0-9]*$/.test(value) ? Number(value) : 'bad';
}

/** `itl-model replay LOG`: replays the log and reports the timeline, the phones and a diagnosis of every locked phone. */
export async function replayCommand(file: string, options: ReplayCommandOptions, io: Io): Promise<number> {
  const until = parseUntil(options.until);
  if (until === 'bad') {
    io.err(`--until: expected a positive whole number, got "${options.until}"`);
    return 2;
  }
  const log = await readLog(file, io);
  if (!log) return 2;
  const modelOptions = { holdTimer: options.holdTimer !== false };
  const result = replay(log.events, { until, options: modelOptions, keepContexts: !!(options.html || options.inspect || options.inspectLog) });
  // The reports show the world once automatic restarts under way at the end have ended (A14).
  const { reports, contexts } = shownSteps(result);
  const diagnoses = diagnoseAll(result.settled, reports[reports.length - 1]!.at);
  if (options.json) io.out(JSON.stringify(replayJson(log.events, result.settled, reports, diagnoses), null, 2));
  else for (const line of replayText(log.events, result.settled, reports, diagnoses)) io.out(line);
  if (options.out) await writeFiles(options.out, result.settled.cluster!, io);
  // The HTML gets one more column for the end of those restarts.
  if (options.html) await writeHtmlReport(options.html, log.events, { ...result, reports, contexts }, diagnoses, file, io);
  if (options.inspect || options.inspectLog) return inspectReplay(log.events, result, options, io);
  return 0;
}
