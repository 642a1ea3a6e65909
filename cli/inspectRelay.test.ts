import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { INSPECTOR_PAGE, RELAY_BUFFER, startInspectRelay, type InspectRelay } from './inspectRelay.ts';

let relay: InspectRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** What each client opened by `open` received, collected from the start so nothing sent on connection is missed. */
const inbox = new WeakMap<WebSocket, string[]>();

/** Opens a WebSocket with the given headers: the open socket, or the HTTP status it was refused with. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number | 'error'> {
  const ws = new WebSocket(url, { headers });
  const got: string[] = [];
  inbox.set(ws, got);
  ws.on('message', (d) => void got.push(d.toString()));
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode ?? 0)));
    ws.once('error', () => resolve('error'));
  });
}

/** GETs `/` from the relay with a given Host header: status and body. */
function page(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Closes a client and waits for the close. */
const close = (ws: WebSocket) => new Promise<void>((resolve) => ws.once('close', () => resolve()).close());

/** What a client received, once it has received `count` messages. */
async function receive(ws: WebSocket, count: number): Promise<string[]> {
  const got = inbox.get(ws)!;
  while (got.length < count) await new Promise((resolve) => ws.once('message', resolve));
  return got;
}

describe('inspectRelay', () => {
  it('should listen on 127.0.0.1 only when started', async () => {
    relay = await startInspectRelay();
    expect(relay.address.address).toBe('127.0.0.1');
    expect(relay.url).toBe(`ws://127.0.0.1:${relay.address.port}`);
    // Another interface of this machine, if it has one, is not answered.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (lan) {
      const reached = await new Promise<boolean>((resolve) =>
        connect(relay!.address.port, lan.address)
          .once('connect', function (this: Socket) {
            this.destroy();
            resolve(true);
          })
          .once('error', () => resolve(false)),
      );
      expect(reached).toBe(false);
    }
  });

  it('should refuse a WebSocket with 403 when its Origin is another site', async () => {
    relay = await startInspectRelay();
    const port = relay.address.port;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://localhost:${port}`, 'null']) {
      expect(await open(relay.url, { Origin: origin })).toBe(403);
    }
  });

  it('should accept a WebSocket when it sends no Origin or the Origin of the relay page', async () => {
    relay = await startInspectRelay();
    const port = relay.address.port;
    for (const headers of [
      {},
      { Origin: `http://127.0.0.1:${port}` },
      { Origin: `http://localhost:${port}` },
    ] as Record<string, string>[]) {
      const ws = await open(relay.url, headers);
      expect(ws).toBeInstanceOf(WebSocket);
      await close(ws as WebSocket);
    }
  });

  it('should refuse a request or a WebSocket with 421 when the Host header is not 127.0.0.1:PORT or localhost:PORT', async () => {
    relay = await startInspectRelay();
    const port = relay.address.port;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `127.0.0.1.evil.example:${port}`,
    ]) {
      expect((await page(port, host)).status).toBe(421);
      expect(await open(relay.url, { Host: host })).toBe(421);
    }
    // HTTP/1.0 may leave the Host out: refused too.
    const noHost = await new Promise<string>((resolve) => {
      let answer = '';
      connect(port, '127.0.0.1', function (this: Socket) {
        this.end('GET / HTTP/1.0\r\n\r\n');
      })
        .on('data', (d) => (answer += d))
        .on('close', () => resolve(answer));
    });
    expect(noHost).toMatch(/^HTTP\/1\.1 421 /);
    expect((await page(port, `localhost:${port}`)).status).toBe(200);
  });

  it('should serve a page that embeds the inspector and connects back to the host it was loaded from', async () => {
    relay = await startInspectRelay();
    const { status, body } = await page(relay.address.port, `localhost:${relay.address.port}`);
    expect(status).toBe(200);
    expect(body).toContain(`<iframe id="inspector" src="${INSPECTOR_PAGE}">`);
    expect(body).toContain("new WebSocket('ws://' + location.host)");
  });

  it(`should relay each message to the other clients and the last ${RELAY_BUFFER} to a client that connects later`, async () => {
    relay = await startInspectRelay();
    const sender = (await open(relay.url)) as WebSocket;
    const viewer = (await open(relay.url)) as WebSocket;
    const total = RELAY_BUFFER + 5;
    const live = receive(viewer, total);
    for (let i = 0; i < total; i++) sender.send(`m${i}`);
    expect(await live).toEqual(Array.from({ length: total }, (_, i) => `m${i}`));
    expect(inbox.get(sender)).toEqual([]);
    const late = (await open(relay.url)) as WebSocket;
    const buffered = receive(late, RELAY_BUFFER);
    expect(await buffered).toEqual(Array.from({ length: RELAY_BUFFER }, (_, i) => `m${i + 5}`));
    await Promise.all([close(sender), close(viewer), close(late)]);
  });

  it('should end connected clients when closed', async () => {
    relay = await startInspectRelay();
    const ws = (await open(relay.url)) as WebSocket;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await relay.close();
    relay = undefined;
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  }, 5000);
});
