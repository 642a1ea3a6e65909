/**
 * Reads an event log (JSON Lines) into typed events, or refuses the whole log with a `LogError`
 * listing every problem found (up to `MAX_PROBLEMS`), each at its own line.
 */
import type { z } from 'zod';
import { EVENT_SCHEMAS, timestampOf } from './eventSchemas.ts';
import { isEventType, type ClusterNode, type LogEvent } from './events.ts';
import { FastEvents } from './fastEvents.ts';
import { issueReason, LogError, quote, type LogProblem } from './logError.ts';
import { decodeObject } from './logJson.ts';
import { ChunkLines, linesOfBytes, linesOfText, type LogLine } from './logLines.ts';
import { MAX_DNS_NAME, nameKey } from './names.ts';
import { compareInstants, parseTimestamp, type Instant } from './timestamps.ts';
import { compareVersions } from './version.ts';

/** The events of a log and, at the same index, the 1-based line each came from. */
export type ParsedLog = { events: LogEvent[]; lines: number[] };

/** How many problems a refusal lists before it stops reading. */
export const MAX_PROBLEMS = 20;

/** Parses a JSON Lines event log from its text; throws LogError (and nothing else) for any log that cannot be replayed. Pure. */
export function parseLog(text: string, file: string): ParsedLog {
  return parseLogLines(linesOfText(text), file);
}

/** Parses a JSON Lines event log from its bytes (UTF-8 checked line by line); throws LogError for any log that cannot be replayed. Pure. */
export function parseLogBytes(bytes: Uint8Array, file: string): ParsedLog {
  return parseLogLines(linesOfBytes(bytes), file);
}

/**
 * Where a continuation log starts (`replay --from DIR LOG`): the cluster it continues, as a cluster
 * folder gives it. Its events are read as if an install of these nodes and phones came before them.
 */
export interface LogStart {
  version: string;
  domain: string;
  nodes: ClusterNode[];
  phones: string[];
  /** Events may not go back before this time. */
  at: string;
}

/** Parses a continuation log's bytes: no install, the cluster is `start`'s; throws LogError. Pure. */
export function parseContinuationBytes(bytes: Uint8Array, file: string, start: LogStart): ParsedLog {
  return parseLogLines(linesOfBytes(bytes), file, start);
}

/** Parses a log's lines; collects every problem (up to MAX_PROBLEMS) and throws them as one LogError. Pure. */
export function parseLogLines(source: Iterable<LogLine>, file: string, start?: LogStart): ParsedLog {
  const reader = logReader(file, start);
  for (const row of source) if (!reader.take(row)) break;
  return reader.end();
}

/**
 * Parses a log's lines as a stream gives them (cli: the file read in chunks, model/logLines.ts
 * `linesOfChunks`): what is held is the events, never the text. `maxEvents`: a log with more events
 * is refused at the line of the first one too many (what a replay can hold). Throws LogError.
 */
export async function parseLogStream(
  source: AsyncIterable<LogLine>,
  file: string,
  opts: { start?: LogStart; maxEvents?: number } = {},
): Promise<ParsedLog> {
  const reader = logReader(file, opts.start, opts.maxEvents);
  for await (const batch of batchesOf(source)) if (!batch.every((row) => reader.take(row))) break;
  return reader.end();
}

/** A stream's lines in lists: a chunk's lines at once when the stream can give them so, else one by one. */
async function* batchesOf(source: AsyncIterable<LogLine>): AsyncGenerator<readonly LogLine[]> {
  if (source instanceof ChunkLines) yield* source.batches();
  else for await (const row of source) yield [row];
}

/** A log read line by line: `take` each line (false: stop reading), then `end`. */
function logReader(file: string, start?: LogStart, maxEvents = Infinity) {
  const events: LogEvent[] = [];
  const lines: number[] = [];
  const problems: LogProblem[] = [];
  const log = new LogState();
  if (start) startFrom(log, start);
  const stop = (line: number, reason: string) => {
    problems.push({ file, line, reason });
    return false;
  };
  return {
    take(row: LogLine): boolean {
      log.line = row.line;
      // A line that is not text is refused as a whole, and the log goes on as after any refused line.
      const read = 'problem' in row ? (recoverFrom(undefined, log), row.problem) : readLine(row.text, log);
      let problem: string | undefined;
      if (typeof read === 'string') problem = read;
      else {
        events.push(read);
        lines.push(row.line);
      }
      if (events.length > maxEvents)
        return stop(row.line, `more than ${maxEvents.toLocaleString('en-US')} events (the most a replay holds)`);
      if (problem === undefined) return true;
      problems.push({ file, line: row.line, reason: problem });
      if (problems.length === MAX_PROBLEMS) return stop(row.line, `stopped after ${MAX_PROBLEMS} problems`);
      return true;
    },
    end(): ParsedLog {
      if (log.installLine === undefined && problems.length === 0)
        problems.push({ file, line: 1, reason: 'empty log: the first event must be cluster.install' });
      if (problems.length > 0) throw new LogError(problems);
      return { events, lines };
    },
  };
}

/**
 * What earlier lines established, for checking the next one. Names are keyed case-insensitively
 * and the first spelling is kept. After a line with a problem the state is still advanced as far
 * as the line allows (its phone is known, its time taken), so one mistake reports once.
 */
class LogState {
  nodes = new Map<string, ClusterNode>();
  hostnames = new Map<string, string>();
  phones = new Map<string, { name: string; line: number }>();
  version = '';
  domain = '';
  /** Line of the install; -1 when the first line was refused (its nodes are then unknown, and not checked). */
  installLine: number | undefined;
  /** The first line was refused as another event than cluster.install: a later install is the log's own. */
  installMissing = false;
  at = '';
  instant: Instant | undefined;
  line = 0;
  /** The field checks' fast path, and what it learned from this log's earlier lines. */
  readonly fast = new FastEvents();
  /** `requirements` of this log, by event type (made once per type). */
  readonly needs = new Map<string, ReturnType<typeof requirements>>();

  get nodesKnown(): boolean {
    return this.installLine !== -1;
  }
}

/** A continuation: the install is the folder's (line 0), its nodes and phones known, its time the start. */
function startFrom(log: LogState, start: LogStart): void {
  log.installLine = 0;
  log.version = start.version;
  log.domain = start.domain;
  for (const node of start.nodes) {
    log.nodes.set(nameKey(node.name), node);
    log.hostnames.set(nameKey(node.name), node.name);
  }
  for (const phone of start.phones) log.phones.set(nameKey(phone), { name: phone, line: 0 });
  log.instant = parseTimestamp(start.at);
  log.at = start.at;
}

/** Thrown inside one line's checks to refuse it. */
class LineProblem {
  constructor(readonly reason: string) {}
}

const fail = (reason: string): never => {
  throw new LineProblem(reason);
};

/** Reads one line: its event, or why it is refused. */
function readLine(row: string, log: LogState): LogEvent | string {
  const input = decodeObject(row);
  if (typeof input === 'string') {
    recoverFrom(undefined, log);
    return input;
  }
  try {
    return advance(log, readEvent(input, log));
  } catch (error) {
    if (!(error instanceof LineProblem)) throw error;
    recoverFrom(input, log);
    return error.reason;
  }
}

/** Checks one object's type and fields (per-line rules): by the fast path when it is sure (fastEvents.ts), else by the schema, which gives every reason. */
function readEvent(input: Record<string, unknown>, log: LogState): LogEvent {
  if (!Object.hasOwn(input, 'type')) fail('field "type" is missing');
  const type = input.type;
  if (typeof type !== 'string') fail('field "type" must be a string');
  if (!isEventType(type as string)) fail(`unknown event type ${quote(type)}`);
  const known = type as LogEvent['type'];
  if (log.installLine === undefined && known !== 'cluster.install')
    fail(`the first event must be cluster.install, not ${known}`);
  if (log.installLine !== undefined && known === 'cluster.install' && !log.installMissing) {
    fail(
      log.installLine === -1
        ? 'cluster.install: the cluster was already installed on an earlier line'
        : log.installLine === 0
          ? 'cluster.install: the cluster is the folder this log continues'
          : `cluster.install: the cluster was already installed on line ${log.installLine}`,
    );
  }
  const fast = log.fast.read(input, known);
  if (fast !== undefined) return fast;
  const schema: z.ZodType<LogEvent> = EVENT_SCHEMAS[known];
  const result = schema.safeParse(input);
  if (!result.success) fail(`${known}: ${issueReason(result.error.issues[0], input)}`);
  log.fast.learn(input, known);
  return result.data!;
}

/** Applies the cross-event rules of one event; returns it with every name in its first spelling. */
function advance(log: LogState, event: LogEvent): LogEvent {
  const instant = timestampOf(event.at) ?? fail(`${event.type}: field "at" is not a timestamp`);
  if (log.instant !== undefined && compareInstants(instant, log.instant) < 0) {
    fail(`${event.type}: field "at" goes back in time: ${event.at} is before the previous event's ${log.at}`);
  }
  const checked = checkEvent(log, event);
  log.at = event.at;
  log.instant = instant;
  return checked;
}

/** The per-type cross-event checks and state changes. */
function checkEvent(log: LogState, event: LogEvent): LogEvent {
  const need = log.needs.get(event.type) ?? requirements(log, event.type);
  log.needs.set(event.type, need);
  switch (event.type) {
    case 'cluster.install':
      return install(log, event);
    case 'cluster.upgrade':
      if (log.version !== '' && compareVersions(event.version, log.version) < 0) {
        fail(`cluster.upgrade: version ${event.version} is older than the installed ${log.version}`);
      }
      log.version = event.version;
      return event;
    case 'phone.add': {
      const key = nameKey(event.phone);
      const earlier = log.phones.get(key);
      if (earlier !== undefined)
        fail(`phone.add: phone ${quote(event.phone)} was already added on line ${earlier.line}`);
      log.phones.set(key, { name: event.phone, line: log.line });
      return { ...event, tftp: need.tftpNode(event.tftp), tvs: need.tvsList(event.tvs) };
    }
    case 'phone.tftp':
      return { ...event, phone: need.phone(event.phone), tftp: need.tftpNode(event.tftp) };
    case 'phone.reset':
    case 'phone.power':
    case 'phone.deleteItl':
    case 'phone.deleteCtl':
    case 'phone.factoryReset':
      return { ...event, phone: need.phone(event.phone) };
    case 'node.rename': {
      const node = need.node(event.node, 'node');
      need.fqdnFits(event.hostname, log.domain);
      log.hostnames.set(nameKey(node), event.hostname);
      return { ...event, node };
    }
    case 'cluster.domain':
      for (const hostname of log.hostnames.values()) need.fqdnFits(hostname, event.domain);
      log.domain = event.domain;
      return event;
    case 'cert.regenerate':
    case 'tftp.restart':
    case 'itl.reset':
    case 'itlrecovery.backup':
    case 'tftp.forge':
    case 'tftp.corrupt':
    case 'ctl.setCluster':
    case 'ctl.update':
    case 'ctl.reset':
    case 'service.restart':
      return { ...event, node: need.node(event.node, 'node') };
    case 'cluster.password':
    case 'publisher.rebuild':
    case 'devices.reset':
    case 'cluster.parameter':
    case 'cert.reuse':
      return event;
    default: {
      const unexpected: never = event;
      return fail(`unhandled event ${quote((unexpected as { type: string }).type)}`);
    }
  }
}

/** The node table of a fresh cluster: unique names (ignoring case), exactly one publisher, names that fit a certificate. */
function install(log: LogState, event: Extract<LogEvent, { type: 'cluster.install' }>): LogEvent {
  log.installLine = log.line;
  log.installMissing = false;
  log.version = event.version;
  log.domain = event.domain;
  for (const node of event.nodes) {
    if (log.nodes.has(nameKey(node.name))) fail(`cluster.install: duplicate node name ${quote(node.name)}`);
    log.nodes.set(nameKey(node.name), node);
    log.hostnames.set(nameKey(node.name), node.name);
  }
  const publishers = event.nodes.filter((n) => n.role === 'publisher').length;
  if (publishers !== 1) fail(`cluster.install: exactly one node must have role "publisher", found ${publishers}`);
  for (const node of event.nodes) requirements(log, event.type).fqdnFits(node.name, event.domain);
  return event;
}

/** Checks that the nodes and phones an event names exist and can play their part; each returns the name's first spelling. */
function requirements(log: LogState, type: string) {
  const node = (name: string, field: string): string => {
    if (!log.nodesKnown) return name;
    return (log.nodes.get(nameKey(name)) ?? fail(`${type}: unknown node ${quote(name)} in field "${field}"`)).name;
  };
  return {
    node,
    phone: (name: string): string =>
      (log.phones.get(nameKey(name)) ?? fail(`${type}: unknown phone ${quote(name)} (no earlier phone.add)`)).name,
    tftpNode: (name: string): string => {
      const found = node(name, 'tftp');
      if (log.nodesKnown && !log.nodes.get(nameKey(found))!.tftp)
        fail(`${type}: node ${quote(found)} in field "tftp" does not run TFTP`);
      return found;
    },
    tvsList: (names: string[]): string[] => {
      // A list holds at most MAX_TVS names: an array finds a repeat as fast as a set.
      const seen: string[] = [];
      return names.map((name) => {
        const found = node(name, 'tvs');
        const key = nameKey(found);
        if (seen.includes(key)) fail(`${type}: field "tvs" lists node ${quote(found)} twice`);
        seen.push(key);
        return found;
      });
    },
    fqdnFits: (hostname: string, domain: string): void => {
      const length = hostname.length + 1 + domain.length;
      if (domain !== '' && length > MAX_DNS_NAME)
        fail(
          `${type}: the name ${quote(hostname)} + "." + the domain is ${length} characters, more than a DNS name's ${MAX_DNS_NAME}`,
        );
    },
  };
}

/**
 * After a refused line, takes from it what keeps later lines from being refused for its sake:
 * a first line counts as the install (with unknown nodes) unless it is another event and the install
 * comes later, a `phone.add`'s phone becomes known, a valid `at` becomes the time.
 */
function recoverFrom(input: Record<string, unknown> | undefined, log: LogState): void {
  if (log.installLine === undefined) {
    log.installLine = -1;
    // A first line that is a known event but not the install: the install, when it comes, is taken as the log's.
    log.installMissing = typeof input?.type === 'string' && isEventType(input.type) && input.type !== 'cluster.install';
  }
  if (input?.type === 'phone.add' && typeof input.phone === 'string' && !log.phones.has(nameKey(input.phone))) {
    log.phones.set(nameKey(input.phone), { name: input.phone, line: log.line });
  }
  const instant = typeof input?.at === 'string' ? parseTimestamp(input.at) : undefined;
  if (instant !== undefined && (log.instant === undefined || compareInstants(instant, log.instant) > 0)) {
    log.instant = instant;
    log.at = input!.at as string;
  }
}
