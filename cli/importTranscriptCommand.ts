import type { LogEvent } from '../model/events.ts';
import { LogError } from '../model/logError.ts';
import { invalidUtf8Line } from '../model/invalidUtf8.ts';
import { parseLogBytes, type ParsedLog } from '../model/parseLog.ts';
import { readTranscript } from '../model/plan/transcript.ts';
import { IoError, pathProblems, stdinTwice, type Io, type NamedPath } from './io.ts';
import { refuse, type Problem, writeOrRefuse } from './refusal.ts';
import { MAX_LOG_BYTES } from './replayCommand.ts';
import { displayName } from './showItl.ts';

/** Options of `itl-model import-transcript`. */
export interface ImportTranscriptOptions {
  /** The log the session continues: its cluster.install and phones name the nodes and phones. */
  from: string;
  /** When the session started (ISO 8601 with Z or an offset); default: the last event of --from. */
  start?: string;
  /** Write the log there instead of standard output. */
  out?: string;
}

/** The largest transcript read: a terminal session, not a log. */
export const MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024;

/** An ISO 8601 time with a date, a time and Z or an offset. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** One event as a log line: `type` and `at` first, like the examples. Pure. */
export function eventLine(event: LogEvent): string {
  const { type, at, ...rest } = event;
  return JSON.stringify({ type, at, ...rest });
}

async function readLog(file: string, io: Io): Promise<ParsedLog | Problem[]> {
  const name = displayName(file);
  try {
    return parseLogBytes(await io.readFile(file, MAX_LOG_BYTES), name);
  } catch (error) {
    if (error instanceof IoError) return [{ file: name, reason: error.reason }];
    if (error instanceof LogError) return [...error.problems];
    throw error;
  }
}

/**
 * `itl-model import-transcript FILE --from LOG`: reads an `admin:` session transcript (prompts,
 * outputs, `# on NODE`, model lines in comments) as the events its commands caused, timed from
 * `--start` (a minute per command plus its waits), and writes the log it continues with them
 * appended: a log `replay` accepts. Exit 0, or 2 with `FILE:LINE: reason` and nothing written.
 */
export async function importTranscript(file: string, options: ImportTranscriptOptions, io: Io): Promise<number> {
  if (options.start !== undefined && (!ISO_TIME.test(options.start) || Number.isNaN(Date.parse(options.start))))
    return refuse(io, false, [
      {
        file: '',
        reason: `--start: expected an ISO 8601 time like 2024-03-04T22:00:00Z, got ${JSON.stringify(options.start)}`,
      },
    ]);
  const inputs: NamedPath[] = [
    { name: 'the transcript', path: file, kind: 'input' },
    { name: '--from', path: options.from, kind: 'input' },
  ];
  const twice = stdinTwice(inputs);
  if (twice) return refuse(io, false, [{ file: '-', reason: twice }]);
  if (options.out) {
    const problems = await pathProblems([...inputs, { name: '--out', path: options.out, kind: 'file' }], io);
    if (problems.length > 0) return refuse(io, false, problems);
  }
  const log = await readLog(options.from, io);
  if (Array.isArray(log)) return refuse(io, false, log);
  const last = log.events[log.events.length - 1]!.at;
  const start = options.start ? new Date(Date.parse(options.start)).toISOString() : last;
  if (Date.parse(start) < Date.parse(last))
    return refuse(io, false, [
      {
        file: '',
        reason: `--start: ${options.start} is before the last event of ${displayName(options.from)} (${last})`,
      },
    ]);
  const name = displayName(file);
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file, MAX_TRANSCRIPT_BYTES);
  } catch (error) {
    if (error instanceof IoError) return refuse(io, false, [{ file: name, reason: error.reason }]);
    throw error;
  }
  const notText = invalidUtf8Line(bytes);
  if (notText) return refuse(io, false, [{ file: name, ...notText }]);
  const text = new TextDecoder('utf-8').decode(bytes);
  const install = log.events[0]!;
  const publisher = install.type === 'cluster.install' ? install.nodes.find((n) => n.role === 'publisher')!.name : '';
  let imported: LogEvent[];
  try {
    imported = readTranscript(text, name, log.events, start, { publisher }).events;
  } catch (error) {
    if (error instanceof LogError) return refuse(io, false, [...error.problems]);
    throw error;
  }
  const lines = [...log.events, ...imported].map(eventLine);
  if (options.out) {
    const refused = await writeOrRefuse(
      io,
      [{ kind: 'file', path: options.out, data: lines.join('\n') + '\n' }],
      false,
    );
    if (refused) return refused;
    io.err(`${imported.length} event(s) imported from ${name}; log written to ${options.out}`);
  } else for (const line of lines) io.out(line);
  return 0;
}
