import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/** Stately's inspector page, which the relay's page embeds. */
export const INSPECTOR_PAGE = 'https://stately.ai/inspect';

/** How many messages the relay keeps for a viewer that connects late, so memory stays bounded. */
export const RELAY_BUFFER = 200;

/** A running relay; `close` ends every connection so the process can exit by itself. */
export interface InspectRelay {
  /** Where the server really listens (always 127.0.0.1). */
  address: AddressInfo;
  /** `ws://127.0.0.1:PORT`, for our own client. */
  url: string;
  /** `http://127.0.0.1:PORT`, the page to open in a browser (the address the relay listens on, never another). */
  page: string;
  close(): Promise<void>;
}

/** The page a browser opens: it embeds Stately's inspector and posts it what arrives on a WebSocket to the host the page came from. */
function bridgePage(): string {
  return `<!DOCTYPE html>
<html>
<head>
  <title>Stately Inspector (itl-model relay)</title>
  <style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }</style>
</head>
<body>
  <iframe id="inspector" src="${INSPECTOR_PAGE}"></iframe>
  <script>
    const iframe = document.getElementById('inspector');
    const buffer = [];
    let connected = false;
    window.addEventListener('message', (e) => {
      if (e.source !== iframe.contentWindow || !e.data || e.data.type !== '@statelyai.connected') return;
      connected = true;
      for (const event of buffer.splice(0)) iframe.contentWindow.postMessage(event, '*');
    });
    const ws = new WebSocket('ws://' + location.host);
    ws.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (connected) iframe.contentWindow.postMessage(data, '*');
      else buffer.push(data);
    };
  </script>
</body>
</html>
`;
}

/** Answers an upgrade request with an HTTP error and drops the socket, so no WebSocket is opened. */
function refuseUpgrade(socket: Duplex, status: 403 | 421): void {
  const reason = status === 403 ? 'Forbidden' : 'Misdirected Request';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Starts a relay between our replay and Stately's inspector in a browser, reachable from this machine only:
 * it listens on 127.0.0.1, answers only requests whose Host is `127.0.0.1:PORT` or `localhost:PORT` (421
 * otherwise, against DNS rebinding), and refuses a WebSocket whose Origin is present and is not that page's
 * own (403), so another web page or another machine cannot read the inspection events. Each message from one
 * client goes to the others; the last {@link RELAY_BUFFER} are replayed to a client that connects later.
 */
export async function startInspectRelay(port = 0): Promise<InspectRelay> {
  const buffer: string[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const hosts = new Set([`127.0.0.1:${address.port}`, `localhost:${address.port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  const hostOk = (req: IncomingMessage) => hosts.has((req.headers.host ?? '').toLowerCase());

  server.on('request', (req, res) => {
    if (!hostOk(req)) return void res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(bridgePage());
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hostOk(req)) return refuseUpgrade(socket, 421);
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return refuseUpgrade(socket, 403);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate());
    for (const message of buffer) ws.send(message);
    ws.on('message', (data) => {
      const message = data.toString();
      buffer.push(message);
      if (buffer.length > RELAY_BUFFER) buffer.shift();
      for (const client of wss.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(message);
    });
  });

  return {
    address,
    url: `ws://127.0.0.1:${address.port}`,
    page: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
