/**
 * Reads an event log (contract.md §1) into typed events, or refuses the whole
 * log with a `LogError` naming the first offending line.
 */
import type { z } from 'zod';
import { compareInstants, EVENT_SCHEMAS, parseTimestamp, type Instant } from './eventSchemas.ts';
import { isEventType, type ClusterNode, type LogEvent } from './events.ts';
import { issueReason, LogError, quote } from './logError.ts';
import { compareVersions } from './version.ts';

/** The events of a log and, at the same index, the 1-based line each came from. */
export type ParsedLog = { events: LogEvent[]; lines: number[] };

/** What earlier events established, for checking the next one. */
type LogState = {
  nodes: Map<string, ClusterNode>;
  phones: Map<string, number>;
  version: string;
  installLine: number;
  at: string;
  instant: Instant;
};

/** Refuses the log at the current line. */
type Fail = (reason: string) => never;

/** Parses a JSON Lines event log; throws LogError (and nothing else) for any log that cannot be replayed. Pure. */
export function parseLog(text: string, file: string): ParsedLog {
  const events: LogEvent[] = [];
  const lines: number[] = [];
  let state: LogState | undefined;
  // A UTF-8 byte order mark is not part of the first line's JSON.
  const rows = text.replace(/^\uFEFF/, '').split('\n');
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const line = index + 1;
    const fail: Fail = (reason) => {
      throw new LogError(file, line, reason);
    };
    const event = readEvent(row, state, fail);
    state = advance(state, event, line, fail);
    events.push(event);
    lines.push(line);
  });
  if (state === undefined) throw new LogError(file, 1, 'empty log: the first event must be cluster.install');
  return { events, lines };
}

/** Decodes one line into an event of a known type with well-formed fields. */
function readEvent(row: string, state: LogState | undefined, fail: Fail): LogEvent {
  const value = decodeJson(row, fail);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an event must be a JSON object');
  const input = value as Record<string, unknown>;
  if (!Object.hasOwn(input, 'type')) fail('field "type" is missing');
  const type = input.type;
  if (typeof type !== 'string') fail('field "type" must be a string');
  if (!isEventType(type)) fail(`unknown event type ${quote(type)}`);
  if (state === undefined && type !== 'cluster.install') fail(`the first event must be cluster.install, not ${type}`);
  if (state !== undefined && type === 'cluster.install') {
    fail(`cluster.install: the cluster was already installed on line ${state.installLine}`);
  }
  const schema: z.ZodType<LogEvent> = EVENT_SCHEMAS[type];
  const result = schema.safeParse(input);
  if (!result.success) fail(`${type}: ${issueReason(result.error.issues[0], input)}`);
  return result.data;
}

function decodeJson(row: string, fail: Fail): unknown {
  try {
    return JSON.parse(row);
  } catch (error) {
    return fail(jsonReason(error instanceof Error ? error.message : ''));
  }
}

/** V8's JSON complaint without the excerpt of the line it quotes, which may hold the security password. */
function jsonReason(message: string): string {
  const what = (message.split(/,? "| in JSON| after JSON| at position/)[0] ?? '').trim();
  const position = /at position (\d+)/.exec(message);
  const where = position === null ? '' : ` at column ${Number(position[1]) + 1}`;
  // Only plain printable text is kept, so the reason stays one clean line.
  const printable = /^[\x20-\x7e]{1,80}$/.test(what);
  return printable ? `invalid JSON: ${what.charAt(0).toLowerCase()}${what.slice(1)}${where}` : `invalid JSON${where}`;
}

/** Applies the cross-event rules of one event and returns the state after it. */
function advance(state: LogState | undefined, event: LogEvent, line: number, fail: Fail): LogState {
  const instant = parseTimestamp(event.at) ?? fail(`${event.type}: field "at" is not a timestamp`);
  if (state === undefined) {
    if (event.type !== 'cluster.install') return fail('the first event must be cluster.install');
    return { ...install(event.nodes, fail), phones: new Map(), version: event.version, installLine: line, at: event.at, instant };
  }
  if (compareInstants(instant, state.instant) < 0) {
    fail(`${event.type}: field "at" goes back in time: ${event.at} is before the previous event's ${state.at}`);
  }
  const next: LogState = { ...state, at: event.at, instant };
  const need = requirements(next, event.type, fail);
  switch (event.type) {
    case 'cluster.install':
      return fail('cluster.install: the cluster was already installed');
    case 'cluster.upgrade':
      if (compareVersions(event.version, state.version) < 0) {
        fail(`cluster.upgrade: version ${event.version} is older than the installed ${state.version}`);
      }
      return { ...next, version: event.version };
    case 'phone.add': {
      const earlier = state.phones.get(event.phone);
      if (earlier !== undefined) fail(`phone.add: phone ${quote(event.phone)} was already added on line ${earlier}`);
      need.tftpNode(event.tftp);
      need.tvsList(event.tvs);
      return { ...next, phones: new Map(state.phones).set(event.phone, line) };
    }
    case 'phone.tftp':
      need.phone(event.phone);
      need.tftpNode(event.tftp);
      return next;
    case 'phone.reset':
    case 'phone.power':
    case 'phone.deleteItl':
      need.phone(event.phone);
      return next;
    case 'cert.regenerate':
    case 'node.rename':
    case 'tftp.restart':
    case 'itl.reset':
    case 'itlrecovery.backup':
    case 'tftp.forge':
      need.node(event.node, 'node');
      return next;
    case 'cluster.domain':
    case 'cluster.password':
    case 'publisher.rebuild':
    case 'devices.reset':
      return next;
    default: {
      const unexpected: never = event;
      return fail(`unhandled event ${quote((unexpected as { type: string }).type)}`);
    }
  }
}

/** The node table of a fresh cluster: unique names and exactly one publisher. */
function install(nodes: ClusterNode[], fail: Fail): Pick<LogState, 'nodes'> {
  const table = new Map<string, ClusterNode>();
  for (const node of nodes) {
    if (table.has(node.name)) fail(`cluster.install: duplicate node name ${quote(node.name)}`);
    table.set(node.name, node);
  }
  const publishers = nodes.filter((n) => n.role === 'publisher').length;
  if (publishers !== 1) fail(`cluster.install: exactly one node must have role "publisher", found ${publishers}`);
  return { nodes: table };
}

/** Checks that the nodes and phones an event names exist and can play their part. */
function requirements(state: LogState, type: string, fail: Fail) {
  const node = (name: string, field: string): ClusterNode =>
    state.nodes.get(name) ?? fail(`${type}: unknown node ${quote(name)} in field "${field}"`);
  return {
    node,
    phone: (name: string): void => {
      if (!state.phones.has(name)) fail(`${type}: unknown phone ${quote(name)} (no earlier phone.add)`);
    },
    tftpNode: (name: string): void => {
      if (!node(name, 'tftp').tftp) fail(`${type}: node ${quote(name)} in field "tftp" does not run TFTP`);
    },
    tvsList: (names: string[]): void => {
      const seen = new Set<string>();
      for (const name of names) {
        node(name, 'tvs');
        if (seen.has(name)) fail(`${type}: field "tvs" lists node ${quote(name)} twice`);
        seen.add(name);
      }
    },
  };
}
