/**
 * `replay --from DIR LOG`: an event log continued from a cluster folder imported as the model's
 * starting state (model/folder/importCluster.ts). The log has no `cluster.install`: its nodes and
 * phones are the folder's, and its first event may not come before the folder's newest file. The
 * imported keys are stand-ins, so the continuation verifies symbolically (IMPORTED_CRYPTO).
 */
import { diagnoseAll } from '../machines/diagnose.ts';
import { replayFrom, shownSteps } from '../machines/replay.ts';
import type { ClusterState } from '../model/cluster/clusterState.ts';
import { FolderError } from '../model/folder/folderError.ts';
import { IMPORTED_CRYPTO } from '../model/folder/importCluster.ts';
import { modelOptions } from '../model/cluster/install.ts';
import { LogError } from '../model/logError.ts';
import { parseContinuationBytes, type LogStart, type ParsedLog } from '../model/parseLog.ts';
import { loadClusterState, refuseFolder } from './folderImport.ts';
import { IoError, type Io } from './io.ts';
import { switchOptions } from './modelSwitches.ts';
import { refuse, type Problem } from './refusal.ts';
import { MAX_LOG_BYTES, type ReplayCommandOptions } from './replayCommand.ts';
import { replayJson } from './replayJson.ts';
import { replayText } from './replayText.ts';
import { paint } from './colour.ts';
import { displayName } from './showItl.ts';

/** The options `--from` cannot be combined with: they need the log from its install. */
const NOT_WITH_FROM = ['out', 'html', 'inspect', 'inspectLog'] as const;

/** What a continuation log may name: the imported cluster's nodes and phones, from its time. Pure. */
export function logStartOf(state: ClusterState, at: string): LogStart {
  return {
    version: state.version,
    domain: state.domain,
    nodes: state.nodes.map((n) => ({ name: n.id, role: n.role, tftp: n.tftp !== undefined, keyBits: n.keyBits })),
    phones: state.phones.map((p) => p.id),
    at,
  };
}

async function readContinuation(file: string, start: LogStart, io: Io): Promise<ParsedLog | Problem[]> {
  const name = displayName(file);
  try {
    return parseContinuationBytes(await io.readFile(file, MAX_LOG_BYTES), name, start);
  } catch (error) {
    if (error instanceof IoError) return [{ file: name, reason: error.reason }];
    if (error instanceof LogError) return [...error.problems];
    throw error;
  }
}

/** `replay --from DIR LOG`: the continuation's timeline, phones and diagnoses. 0 replayed; 2 bad folder, log or options. */
export async function replayFromFolder(file: string, options: ReplayCommandOptions, io: Io): Promise<number> {
  const dir = options.from!;
  const clash = NOT_WITH_FROM.filter((o) => options[o] !== undefined && options[o] !== false);
  if (clash.length > 0)
    return refuse(io, options.json, [
      { file: '', reason: `--from cannot be combined with --${clash[0]!.replace('inspectLog', 'inspect-log')}` },
    ]);
  let loaded;
  try {
    loaded = await loadClusterState(dir, io);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    return refuseFolder(io, options.json, dir, error);
  }
  const log = await readContinuation(file, logStartOf(loaded.state, loaded.at), io);
  if (Array.isArray(log)) return refuse(io, options.json, log);
  const count = options.until === undefined ? log.events.length : Math.min(log.events.length, Number(options.until));
  const switches = modelOptions(switchOptions(options));
  const context = {
    cluster: { ...loaded.state, options: switches },
    events: 0,
    last: null,
    options: switches,
    crypto: IMPORTED_CRYPTO,
  };
  const events = log.events.slice(0, count);
  const result = replayFrom(context, events);
  const { reports } = shownSteps(result);
  const at = reports[reports.length - 1]?.at ?? loaded.at;
  const diagnoses = diagnoseAll(result.settled, at);
  if (options.json) io.out(JSON.stringify(replayJson(events, result.settled, reports, diagnoses), null, 2));
  else
    for (const line of replayText(events, result.settled, reports, diagnoses, undefined, {
      columns: io.terminal?.columns,
      phones: options.phones,
    }))
      io.out(line, paint);
  return 0;
}
