import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import { createServer } from 'node:net';
import { WebSocket } from 'ws';
import { runLive } from '../machines/liveCluster.ts';
import { replay, type Replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import type { Io } from './io.ts';

/** Options of `replay --inspect [URL]`, `--inspect-wait`, `--inspect-log FILE`. */
export interface InspectOptions {
  /** `true` starts a local relay; a string is the `ws://` address of a running relay. */
  inspect?: string | boolean;
  inspectWait?: boolean;
  inspectLog?: string;
}

/** Stately's inspector page, which the relay's page embeds. */
export const INSPECTOR_PAGE = 'https://stately.ai/inspect';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (the relay takes a port, not a listening socket, and puts it in its page). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Opens a WebSocket, retrying a few times while a just-started relay comes up; undefined when it never answers. */
async function connect(url: string, tries: number): Promise<WebSocket | undefined> {
  for (let i = 0; i < tries; i++) {
    const ws = new WebSocket(url);
    const open = await new Promise<boolean>((resolve) => ws.once('open', () => resolve(true)).once('error', () => resolve(false)));
    if (open) return ws;
    await pause(100);
  }
  return undefined;
}

/** Sends what is buffered, then closes and waits for the close, so no handle is left behind. */
async function closeSocket(ws: WebSocket): Promise<void> {
  while (ws.bufferedAmount > 0) await pause(5);
  await new Promise<void>((resolve) => ws.once('close', resolve).close());
}

/** Waits for Ctrl-C (what `--inspect-wait` does), then lets the default handler back. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

/**
 * Plays a replay through live actors (machines/liveCluster.ts) into Stately's inspector and/or a JSON
 * Lines file: with `inspect: true` through a local relay it starts (no browser opened), with a URL
 * through that relay. Resolves when everything is sent and closed (after Ctrl-C with `inspectWait`).
 */
export async function inspectReplay(events: LogEvent[], result: Replay, options: InspectOptions, io: Io, wait: () => Promise<void> = untilInterrupted): Promise<number> {
  let server: { stop(): void } | undefined;
  let url = typeof options.inspect === 'string' ? options.inspect : undefined;
  if (options.inspect === true) {
    const port = await freePort();
    server = createInspectorServer({ port, autoOpen: false, url: INSPECTOR_PAGE });
    url = `ws://127.0.0.1:${port}`;
    io.out(`inspector relay: ${url}`);
    io.out(`open http://localhost:${port} in a browser: it shows Stately's inspector (${INSPECTOR_PAGE}) fed by this relay`);
  }
  const ws = url ? await connect(url, server ? 20 : 1) : undefined;
  if (url && !ws) {
    server?.stop();
    io.err(`--inspect: cannot connect to the inspector relay at ${url}`);
    return 2;
  }
  const lines: string[] = [];
  let sent = 0;
  const inspector = createInspector({
    send: (event: StatelyInspectionEvent) => {
      const json = JSON.stringify(event);
      if (options.inspectLog) lines.push(json);
      ws?.send(json);
      sent++;
    },
  });
  runLive(events, result, inspector.inspect);
  // Stately's inspector converts each inspection event on a 0 ms timer: let them all run.
  await pause(20);
  if (options.inspectLog) await io.writeFile(options.inspectLog, lines.map((l) => `${l}\n`).join(''));
  if (ws) io.out(`inspector: sent ${sent} inspection events (${events.length} log events) to ${url}`);
  if (ws) await closeSocket(ws);
  if (server && options.inspectWait) {
    io.out('inspector relay kept open (--inspect-wait): press Ctrl-C to stop');
    await wait();
  }
  server?.stop();
  return 0;
}

/** `replay LOG --inspect…` on its own: reads and replays the log with every context kept, then inspects it (for tests and scripts). */
export async function inspectFile(file: string, options: InspectOptions, io: Io): Promise<number> {
  const log = parseLog(new TextDecoder().decode(await io.readFile(file)), file);
  return inspectReplay(log.events, replay(log.events, { keepContexts: true }), options, io);
}
