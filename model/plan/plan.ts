/**
 * A plan: the commands an administrator will type, one per line in CUCM's CLI syntax
 * (model/plan/cliSyntax.ts), `#` comments, `wait` lines (docs/plan-format.md). It is read into the
 * log events it causes, after the events it continues from, with their times: a command takes a
 * minute to type and confirm (a choice: the hold timer then refuses two regenerations typed one
 * after the other, as CUCM does), a `wait` adds its duration. Every event is then checked by the log
 * parser's own rules (known nodes and phones, fields), at its plan line. Pure.
 */
import type { LogEvent } from '../events.ts';
import { LogError, quote, type LogProblem } from '../logError.ts';
import { nameKey } from '../names.ts';
import { parseLogLines, MAX_PROBLEMS } from '../parseLog.ts';
import { LAST_AT } from '../timestamps.ts';
import { readCommand, type CommandContext } from './cliSyntax.ts';

/** Seconds one command takes, typing and confirming (see the module comment). */
export const COMMAND_SECONDS = 60;

/** A plan read into events: each with the plan line it came from. */
export interface Plan {
  events: LogEvent[];
  lines: number[];
}

/** The text of a line without its `#` comment. */
function withoutComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

/**
 * The cluster's node names (by nameKey) from the install among `before`, or undefined when it has
 * none (then, as for the log parser, no node is unknown). Pure.
 */
function nodeKeys(before: LogEvent[]): Set<string> | undefined {
  const install = before.find((e) => e.type === 'cluster.install');
  return install && new Set(install.nodes.map((n) => nameKey(n.name)));
}

/**
 * An ISO time `seconds` after another, in UTC; undefined past LAST_AT (the last time an ITL's
 * TIMESTAMP holds, so the last a log may give: waits add up to any time otherwise). Pure.
 */
export function after(at: string, seconds: number): string | undefined {
  const ms = Date.parse(at) + seconds * 1000;
  return ms <= LAST_MS ? new Date(ms).toISOString() : undefined;
}

/** LAST_AT in milliseconds (parsed once, not on every line). */
const LAST_MS = Date.parse(LAST_AT);

/** Why a line cannot be taken: it would take the clock past LAST_AT. */
export const PAST_LAST_AT = `the clock would pass ${LAST_AT}, the last time an ITL's TIMESTAMP can hold`;

/**
 * Reads a plan's text into the events it causes, continuing `before` (the events of the log or of
 * the imported cluster it starts from: they give the nodes, phones and the last time), starting
 * `COMMAND_SECONDS` after `start`. Throws LogError listing every problem as `FILE:LINE: reason`. Pure.
 */
export function readPlan(text: string, file: string, before: LogEvent[], start: string, context: CommandContext): Plan {
  const problems: LogProblem[] = [];
  const rows: Array<{ line: number; text: string }> = [];
  let at = start;
  const nodes = nodeKeys(before);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const read = readCommand(withoutComment(raw), context);
    if (read.kind === 'error') problems.push({ file, line, reason: read.reason });
    // A read-only command causes no event for the log parser to check: its `on NODE` is checked here.
    else if (read.kind === 'none' && read.node && nodes && !nodes.has(nameKey(read.node.name)))
      problems.push({ file, line, reason: `${read.node.command.slice(0, 80)}: unknown node ${quote(read.node.name)}` });
    else if (read.kind === 'wait' || read.kind === 'event') {
      const next = after(at, read.kind === 'wait' ? read.seconds : COMMAND_SECONDS);
      if (next === undefined) problems.push({ file, line, reason: PAST_LAST_AT });
      else {
        at = next;
        if (read.kind === 'event') rows.push({ line, text: JSON.stringify({ ...read.event, at }) });
      }
    }
  });
  if (problems.length) throw new LogError(problems.slice(0, MAX_PROBLEMS));
  // The log parser checks each event against the ones before it; the earlier events are known good.
  const earlier = before.map((event) => ({ line: 0, text: JSON.stringify(event) }));
  const parsed = parseLogLines([...earlier, ...rows], file);
  return { events: parsed.events.slice(before.length), lines: parsed.lines.slice(before.length) };
}
