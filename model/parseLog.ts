/**
 * Reads an event log (JSON Lines) into typed events, or refuses the whole log with a `LogError`
 * listing every problem found (up to `MAX_PROBLEMS`), each at its own line. Each line is decoded
 * (logJson.ts), its type and fields checked here, then the rules that span lines applied
 * (logRules.ts).
 */
import type { z } from 'zod';
import { EVENT_SCHEMAS } from './eventSchemas.ts';
import { isEventType, type LogEvent } from './events.ts';
import { issueReason, LogError, quote, type LogProblem } from './logError.ts';
import { decodeObject } from './logJson.ts';
import { ChunkLines, linesOfBytes, linesOfText, type LogLine } from './logLines.ts';
import { advance, fail, LineProblem, LogState, recoverFrom, startFrom, type LogStart } from './logRules.ts';

export type { LogStart } from './logRules.ts';

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
