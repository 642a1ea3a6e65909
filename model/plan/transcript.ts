/**
 * An `admin:` session transcript (what an administrator's terminal shows, like the seed's) read into
 * the log events its commands caused. A line `admin:COMMAND` is a command (the shared syntax of
 * model/plan/cliSyntax.ts); the lines after it, up to the next prompt, are its output and answers.
 * The output decides what the command was: a regeneration answered `no` did not happen; a
 * `remotekey` path wrapped onto the next line is read there; `file get tftp ITLRecovery.p12` takes
 * its SFTP host, user and directory from the prompts it answered. Read-only commands (`show itl`)
 * cause nothing. A comment line `# on NODE` says which node's CLI the following commands are typed on
 * (default: the publisher); a comment that reads as a model line is one (`# wait 10m`, `# reset all`,
 * `# phone SEP001122334455 off`: what happened outside the CLI); any other comment is only a comment.
 * Each command takes COMMAND_SECONDS. Pure.
 */
import type { LogEvent } from '../events.ts';
import { LogError, type LogProblem } from '../logError.ts';
import { MAX_PROBLEMS, parseLogLines } from '../parseLog.ts';
import { readCommand, type CommandContext, type CommandEvent } from './cliSyntax.ts';
import { after, COMMAND_SECONDS, PAST_LAST_AT } from './plan.ts';

/** A command of the transcript with its output lines. */
interface Typed {
  line: number;
  command: string;
  output: string[];
  node: string;
  at: string;
}

const PROMPT = /^admin:(.*)$/;

/** The answer typed after a prompt line of the output (`User ID: joemar2` → `joemar2`). */
function answer(output: string[], prompt: RegExp): string | undefined {
  for (const line of output) {
    const m = prompt.exec(line);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

/** Completes a command from its output, or says it did not happen (null). */
function fromOutput(typed: Typed, event: CommandEvent | undefined): CommandEvent | null | string {
  const lower = typed.command.trim().toLowerCase();
  if (/\(yes\|no\)\?\s*no\s*$/i.test(typed.output.join('\n')) || /\[y\/n\]\?\s*n\s*$/im.test(typed.output.join('\n')))
    return null;
  const remote = /^utils itl reset remotekey (\S+) (\S+)$/i.exec(typed.command.trim());
  if (remote) {
    const path = typed.output.find((l) => l.trim().startsWith('/'))?.trim();
    if (!path) return 'utils itl reset remotekey: no file path on the command or the line after it';
    return { type: 'itl.reset', node: typed.node, key: 'remotekey', host: remote[1]!, user: remote[2]!, path };
  }
  if (lower === 'file get tftp itlrecovery.p12') {
    const host = answer(typed.output, /^SFTP server IP:\s*(.*)$/i);
    const user = answer(typed.output, /^User ID:\s*(.*)$/i);
    const dir = answer(typed.output, /^Download directory:\s*(.*)$/i);
    if (!host || !user || !dir)
      return 'file get tftp ITLRecovery.p12: the transcript lacks the SFTP server, user or directory';
    if (!/Transfer completed\./.test(typed.output.join('\n'))) return null;
    return {
      type: 'itlrecovery.backup',
      node: typed.node,
      host,
      user,
      path: `${dir.replace(/\/?$/, '/')}ITLRecovery.p12`,
    };
  }
  return event ?? null;
}

/**
 * Reads a transcript into the events its commands caused, continuing `before` (which gives the
 * cluster's nodes and phones), the first command `COMMAND_SECONDS` after `start`. Throws LogError
 * listing every problem as `FILE:LINE: reason`. Pure.
 */
export function readTranscript(
  text: string,
  file: string,
  before: LogEvent[],
  start: string,
  context: CommandContext,
): { events: LogEvent[]; lines: number[] } {
  const problems: LogProblem[] = [];
  const typed: Typed[] = [];
  let node = context.publisher;
  let at = start;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const on = /^#\s*on\s+(\S+)\s*$/i.exec(raw.trim());
    const note = /^#\s*(.*)$/.exec(raw.trim());
    const prompt = PROMPT.exec(raw);
    if (on) node = on[1]!;
    else if (note) {
      // A comment holds a model line (what happened outside the CLI: `# wait 10m`, `# reset all`,
      // `# phone SEP001122334455 off`), or is only a comment.
      const read = readCommand(note[1]!, { publisher: node });
      if (read.kind === 'wait' || read.kind === 'event') {
        const next = after(at, read.kind === 'wait' ? read.seconds : COMMAND_SECONDS);
        if (next === undefined) problems.push({ file, line, reason: PAST_LAST_AT });
        else {
          at = next;
          if (read.kind === 'event') typed.push({ line, command: note[1]!, output: [], node, at });
        }
      }
    } else if (prompt) {
      const next = after(at, COMMAND_SECONDS);
      if (next === undefined) problems.push({ file, line, reason: PAST_LAST_AT });
      else typed.push({ line, command: prompt[1]!, output: [], node, at: (at = next) });
    } else typed[typed.length - 1]?.output.push(raw);
  });
  const rows: Array<{ line: number; text: string }> = [];
  for (const t of typed) {
    // The command as typed on `node`: the shared syntax, with the node made explicit.
    const read = readCommand(t.command, { publisher: t.node });
    const remoteShort = /^utils itl reset remotekey \S+ \S+$/i.test(t.command.trim());
    const fileGet = /^file get tftp itlrecovery\.p12$/i.test(t.command.trim());
    if (read.kind === 'error' && !remoteShort && !fileGet) {
      problems.push({ file, line: t.line, reason: read.reason });
      continue;
    }
    if (read.kind === 'none' || read.kind === 'wait') continue;
    const event = fromOutput(t, read.kind === 'event' ? read.event : undefined);
    if (typeof event === 'string') problems.push({ file, line: t.line, reason: event });
    else if (event) rows.push({ line: t.line, text: JSON.stringify({ ...event, at: t.at }) });
  }
  problems.sort((a, b) => a.line - b.line);
  if (problems.length) throw new LogError(problems.slice(0, MAX_PROBLEMS));
  const earlier = before.map((event) => ({ line: 0, text: JSON.stringify(event) }));
  const parsed = parseLogLines([...earlier, ...rows], file);
  return { events: parsed.events.slice(before.length), lines: parsed.lines.slice(before.length) };
}
