import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import type { AnyEventObject } from 'xstate';
import { WebSocket } from 'ws';
import { runLive } from '../machines/liveCluster.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { INSPECTOR_PAGE, startInspectRelay, type InspectRelay } from './inspectRelay.ts';
import { IoError, type Io } from './io.ts';

export { INSPECTOR_PAGE };

/** Options of `replay --inspect [URL]`, `--inspect-wait`, `--inspect-log FILE`. */
export interface InspectOptions {
  /** `true` starts a local relay; a string is the `ws://` address of a running relay. */
  inspect?: string | boolean;
  inspectWait?: boolean;
  inspectLog?: string;
}

/** How `inspectReplay` waits: for Ctrl-C with `--inspect-wait`, and at most this long for a relay's handshake (tests shorten both). */
export interface InspectWaits {
  wait?: () => Promise<void>;
  handshakeTimeoutMs?: number;
}

/** How long a relay may take to answer the WebSocket handshake before we give up, so a silent server cannot hang the command. */
export const HANDSHAKE_TIMEOUT_MS = 5000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Says what is wrong with an `--inspect URL` as the one line to print (`--inspect: …`), or undefined when it is
 * usable, so the replay command can refuse it before printing anything. Pure.
 */
export function inspectUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--inspect: expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    return `--inspect: expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`;
  if (!parsed.hostname) return `--inspect: expected a host in the URL, got ${JSON.stringify(url)}`;
  // Not echoed: the URL holds a password.
  if (parsed.username || parsed.password) return '--inspect: the URL must not contain a user name or password';
  if (parsed.hash) return `--inspect: the URL must not contain a fragment (#...), got ${JSON.stringify(url)}`;
  return undefined;
}

/**
 * Makes the events of one `--inspect-log` file reproducible, so two runs of the same log write the same bytes.
 * Inspection events carry the wall clock (`createdAt`) and xstate session ids from a process-wide counter
 * (`x:18`…), which differ between runs. The file gets `createdAt` = the event's position in the file ("0", "1",
 * …: an order, not a time; the log's own times are in the events), and session ids renumbered `x:0`, `x:1`, …
 * in order of first appearance, the same wherever they occur (`sessionId`, `rootId`, `parentId`, `sourceId`).
 * One normaliser per file; what goes to a relay keeps the real values.
 */
export function reproducibleEvents(): (event: StatelyInspectionEvent) => StatelyInspectionEvent {
  const sessions = new Map<string, string>();
  let position = 0;
  const session = (id: unknown) => {
    if (typeof id !== 'string') return id;
    if (!sessions.has(id)) sessions.set(id, `x:${sessions.size}`);
    return sessions.get(id)!;
  };
  return (event) => {
    const copy: Record<string, unknown> = { ...event, id: String(position), createdAt: String(position++) };
    for (const key of ['sessionId', 'rootId', 'parentId', 'sourceId']) if (key in copy) copy[key] = session(copy[key]);
    return copy as unknown as StatelyInspectionEvent;
  };
}

/** Opens a WebSocket to a relay: the socket, or why not (`timeout` when the handshake got no answer in time). */
async function connect(url: string, handshakeTimeoutMs: number): Promise<WebSocket | 'timeout' | 'unreachable'> {
  const ws = new WebSocket(url, { handshakeTimeout: handshakeTimeoutMs });
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', (error) => resolve(/handshake has timed out/.test(error.message) ? 'timeout' : 'unreachable'));
  });
}

/**
 * Sends what is buffered, then closes and waits for the close, so no handle is left behind (a relay that
 * went away ends it too). Resolves true when the connection was still open when this run came to close
 * it, false when the relay (or the network) had closed it first: then some inspection events may not
 * have reached it.
 */
async function closeSocket(ws: WebSocket): Promise<boolean> {
  while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 0) await pause(5);
  const stillOpen = ws.readyState === WebSocket.OPEN;
  if (ws.readyState !== WebSocket.CLOSED) await new Promise<void>((resolve) => ws.once('close', resolve).close());
  return stillOpen;
}

/** Waits for Ctrl-C (what `--inspect-wait` does), then lets the default handler back. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

/**
 * Plays a replay through live actors (machines/liveCluster.ts) into Stately's inspector and/or a JSON
 * Lines file: with `inspect: true` through a local relay it starts (cli/inspectRelay.ts, no browser opened),
 * with a URL through that relay. Resolves when everything is sent and closed (after Ctrl-C with `inspectWait`).
 */
export async function inspectReplay(
  events: LogEvent[],
  model: Partial<ModelOptions>,
  options: InspectOptions,
  io: Io,
  waits: InspectWaits = {},
): Promise<number> {
  const { wait = untilInterrupted, handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS } = waits;
  const problem = typeof options.inspect === 'string' ? inspectUrlProblem(options.inspect) : undefined;
  if (problem) {
    io.err(problem);
    return 2;
  }
  let relay: InspectRelay | undefined;
  let url = typeof options.inspect === 'string' ? options.inspect : undefined;
  if (options.inspect === true) {
    relay = await startInspectRelay();
    url = relay.url;
    io.out(`inspector relay: ${url}`);
    io.out(`open ${relay.page} in a browser: it shows Stately's inspector (${INSPECTOR_PAGE}) fed by this relay`);
  }
  const ws = url ? await connect(url, handshakeTimeoutMs) : undefined;
  if (url && !(ws instanceof WebSocket)) {
    await relay?.close();
    io.err(
      `--inspect: cannot connect to the inspector relay at ${url}${ws === 'timeout' ? ` (no answer within ${handshakeTimeoutMs / 1000} s)` : ''}`,
    );
    return 2;
  }
  const socket = ws instanceof WebSocket ? ws : undefined;
  socket?.on('error', () => undefined); // a relay that goes away mid-send: the socket closes and closeSocket returns
  const lines: string[] = [];
  const reproducible = reproducibleEvents();
  let sent = 0;
  const inspector = createInspector({
    send: (event: StatelyInspectionEvent) => {
      if (options.inspectLog) lines.push(JSON.stringify(reproducible(event)));
      socket?.send(JSON.stringify(event));
      sent++;
    },
  });
  runLive(events, model, {
    actor: (id, snapshot, definition) => inspector.actor(id, snapshot, { definition }),
    event: (id, event, source) => inspector.event(id, event as AnyEventObject, { source }),
    snapshot: (id, snapshot, event) => inspector.snapshot(id, snapshot, { event: event as AnyEventObject }),
  });
  // Stately's inspector converts each inspection event on a 0 ms timer: let them all run.
  await pause(20);
  if (options.inspectLog) {
    try {
      await io.writeFile(options.inspectLog, lines.map((l) => `${l}\n`).join(''));
    } catch (error) {
      if (!(error instanceof IoError)) throw error;
      if (socket) await closeSocket(socket);
      await relay?.close();
      io.err(`${error.path}: ${error.reason} (--inspect-log)`);
      return 2;
    }
  }
  if (socket && !(await closeSocket(socket))) {
    await relay?.close();
    io.err(
      `--inspect: the inspector relay at ${url} closed the connection before this run did: it may have missed some of the ${sent} inspection events (${events.length} log events)`,
    );
    return 2;
  }
  if (socket) io.out(`inspector: sent ${sent} inspection events (${events.length} log events) to ${url}`);
  if (relay && options.inspectWait) {
    io.out('inspector relay kept open (--inspect-wait): press Ctrl-C to stop');
    await wait();
  }
  await relay?.close();
  return 0;
}
