import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { parseLog } from '../model/parseLog.ts';
import { memoryIo } from './memoryIo.ts';
import { inspectReplay, inspectUrlProblem } from './inspectCommand.ts';
import { inspectFile } from '../test-support/inspectFile.ts';
import { startInspectRelay } from './inspectRelay.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const seedText = readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8');
// A small log: install, one phone, the phone unplugged (events 1-3 of a seed-like incident).
const smallLog =
  seedText
    .split('\n')
    .filter((l) => /cluster\.install|SEP001122334455/.test(l))
    .slice(0, 3)
    .join('\n') + '\n';

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `inspectFile` in a child process (the real module graph, real sockets) and resolves with its exit code and output once it exits by itself. */
function child(
  log: string,
  options: object,
  waits: object = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const code = `import { nodeIo } from './cli/nodeIo.ts'; import { inspectFile } from './test-support/inspectFile.ts';
    import { writeFileSync, mkdtempSync } from 'node:fs'; import { join } from 'node:path'; import { tmpdir } from 'node:os';
    const file = join(mkdtempSync(join(tmpdir(), 'itl-inspect-')), 'log.jsonl'); writeFileSync(file, ${JSON.stringify(log)});
    process.exitCode = await inspectFile(file, ${JSON.stringify(options)}, nodeIo, ${JSON.stringify(waits)});`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => proc.on('exit', (c) => (clearTimeout(killer), resolve({ code: c, stdout, stderr }))));
}

describe('inspectCommand', () => {
  it('should deliver actor registrations, snapshots and events to a receiver on a real relay and exit by itself when given its URL', async () => {
    const relay = await startInspectRelay();
    try {
      const receiver = new WebSocket(relay.url);
      await new Promise((r) => receiver.once('open', r));
      const received: {
        type: string;
        name?: string;
        event?: { type: string };
        snapshot?: { value?: unknown; context?: unknown };
      }[] = [];
      receiver.on('message', (d) => void received.push(JSON.parse(d.toString())));
      const run = await child(smallLog, { inspect: relay.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      await new Promise<void>((r) => receiver.once('close', r).close());
      // The real machines: the cluster, each node and its TFTP signer from the install, the phone from its first boot.
      expect(received.filter((e) => e.type === '@xstate.actor').map((e) => e.name)).toEqual([
        'cluster',
        'node:test10pub',
        'signer:test10pub',
        'node:test10sub',
        'signer:test10sub',
        'phone:SEP001122334455',
      ]);
      const events = received.filter((e) => e.type === '@xstate.event').map((e) => e.event!.type);
      expect(events).toEqual(expect.arrayContaining(['cluster.install', 'phone.add', 'phone.power', 'BOOT']));
      const phone = received.filter(
        (e) => e.type === '@xstate.snapshot' && (e.snapshot?.context as { id?: string })?.id === 'SEP001122334455',
      );
      expect(phone.map((e) => e.snapshot!.value)).toContain('trusted');
      expect(JSON.stringify(received)).not.toContain('Cisco-Sec-123');
    } finally {
      await relay.close();
    }
  });

  it('should start its own relay, print where to open it and exit by itself when no URL is given', async () => {
    const run = await child(smallLog, { inspect: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^inspector relay: ws:\/\/127\.0\.0\.1:\d+\nopen http:\/\/127\.0\.0\.1:\d+ in a browser: it shows Stately's inspector \(https:\/\/stately\.ai\/inspect\)/,
    );
    expect(run.stdout).toMatch(/inspector: sent \d+ inspection events \(3 log events\)/);
  });

  it('should exit 2 with one line when the relay at the URL does not answer', async () => {
    const io = memoryIo({ 'log.jsonl': smallLog });
    expect(await inspectFile('log.jsonl', { inspect: `ws://127.0.0.1:${await freePort()}` }, io)).toBe(2);
    expect(io.stderr).toEqual([
      expect.stringMatching(/^--inspect: cannot connect to the inspector relay at ws:\/\/127\.0\.0\.1:\d+$/),
    ]);
  });

  it('should write every inspection event as JSON Lines with no key material or password when --inspect-log is given', async () => {
    const io = memoryIo({ 'log.jsonl': seedText.replace('Cisco-Sec-123', 'Very-Secret-Pa55') });
    await io.mkdir('out');
    expect(await inspectFile('log.jsonl', { inspectLog: 'out/inspect.jsonl' }, io)).toBe(0);
    const text = new TextDecoder().decode(io.files.get('out/inspect.jsonl'));
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; event?: { type: string } });
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
    const logEvents = lines
      .filter((l) => l.type === '@xstate.event' && l.event!.type.includes('.') && !l.event!.type.startsWith('xstate.'))
      .map((l) => l.event!.type);
    expect(logEvents).toEqual(
      seedText
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    );
    expect(text).not.toContain('Very-Secret-Pa55');
    // "p12" is fine in a file name (ITLRecovery.p12); key material would be a field, or a long base64 value.
    const snapshots = lines
      .filter((l) => 'snapshot' in l)
      .map((l) => JSON.stringify((l as { snapshot: unknown }).snapshot));
    expect(snapshots.length).toBeGreaterThan(40);
    for (const snapshot of snapshots) {
      expect(snapshot).not.toMatch(/"(seed|secrets|p12|p12Password|privateKey|key|bytes|der)":/);
      expect(snapshot).not.toMatch(/[A-Za-z0-9+/]{120,}/);
    }
  });
});

describe('inspectUrlProblem', () => {
  it('should accept a ws:// or wss:// URL with a host', () => {
    for (const url of ['ws://127.0.0.1:8080', 'wss://relay.example/path?x=1', 'ws://[::1]:9000'])
      expect(inspectUrlProblem(url)).toBeUndefined();
  });

  it('should name --inspect and the expected scheme when the URL is not ws:// or wss://', () => {
    expect(inspectUrlProblem('http://x')).toBe('--inspect: expected a ws:// or wss:// URL, got "http://x"');
    expect(inspectUrlProblem('localhost:8080')).toBe('--inspect: expected a ws:// or wss:// URL, got "localhost:8080"');
    expect(inspectUrlProblem('not a url')).toBe('--inspect: expected a ws:// or wss:// URL, got "not a url"');
    expect(inspectUrlProblem('')).toBe('--inspect: expected a ws:// or wss:// URL, got ""');
  });

  it('should refuse without echoing the password when the URL has credentials', () => {
    expect(inspectUrlProblem('ws://user:s3cret@127.0.0.1:8080')).toBe(
      '--inspect: the URL must not contain a user name or password',
    );
    expect(inspectUrlProblem('ws://user@127.0.0.1:8080')).toBe(
      '--inspect: the URL must not contain a user name or password',
    );
  });

  it('should refuse when the URL has a fragment', () => {
    expect(inspectUrlProblem('ws://127.0.0.1:8080/#x')).toMatch(/^--inspect: the URL must not contain a fragment/);
  });
});

describe('inspectReplay', () => {
  it('should exit 2 with one stderr line and print nothing when the --inspect URL is not a ws:// URL', async () => {
    const io = memoryIo({ 'log.jsonl': smallLog });
    await io.mkdir('out');
    expect(await inspectFile('log.jsonl', { inspect: 'http://x', inspectLog: 'out/inspect.jsonl' }, io)).toBe(2);
    expect(io.stderr).toEqual(['--inspect: expected a ws:// or wss:// URL, got "http://x"']);
    expect(io.stdout).toEqual([]);
    expect(io.files.has('out/inspect.jsonl')).toBe(false);
  });

  it('should exit 2 by itself with one line within the handshake timeout when the server accepts TCP but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `ws://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const started = Date.now();
      const run = await child(smallLog, { inspect: url }, { handshakeTimeoutMs: 300 });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`--inspect: cannot connect to the inspector relay at ${url} (no answer within 0.3 s)\n`);
      expect(sockets.size).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('should exit 2 with one line, not "sent N events", when the relay closes the connection before the run does', async () => {
    // A relay that closes every connection as soon as it is open: the close frame follows the handshake.
    const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    relay.on('connection', (ws) => ws.close());
    await new Promise((r) => relay.once('listening', r));
    try {
      const url = `ws://127.0.0.1:${(relay.address() as { port: number }).port}`;
      const run = await child(smallLog, { inspect: url });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(
          `^--inspect: the inspector relay at ${url} closed the connection before this run did: it may have missed some of the \\d+ inspection events \\(3 log events\\)\n$`,
        ),
      );
    } finally {
      await new Promise((r) => relay.close(r));
    }
  });

  it('should write byte-identical --inspect-log files when the same log is inspected twice at different times', async () => {
    const log = parseLog(seedText, 'seed-incident.jsonl');
    const run = async (now: number) => {
      const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
      try {
        const io = memoryIo();
        expect(await inspectReplay(log.events, { holdTimer: true }, { inspectLog: 'inspect.jsonl' }, io)).toBe(0);
        return io.files.get('inspect.jsonl')!;
      } finally {
        clock.mockRestore();
      }
    };
    const first = await run(1_700_000_000_000);
    const second = await run(1_800_000_000_000);
    expect(first.length).toBeGreaterThan(1000);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const lines = new TextDecoder()
      .decode(first)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { createdAt: string; sessionId: string });
    expect(lines.map((l) => l.createdAt)).toEqual(lines.map((_, i) => String(i)));
    expect(lines[0]!.sessionId).toBe('x:0');
  });
});

describe('the inspector on the seed incident', () => {
  it('should show the node and signer machines changing state: the hold timer runs and ends, the reset ITL comes and goes', async () => {
    const io = memoryIo({ 'log.jsonl': seedText });
    expect(await inspectFile('log.jsonl', { inspectLog: 'inspect.jsonl' }, io)).toBe(0);
    const lines = new TextDecoder()
      .decode(io.files.get('inspect.jsonl'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; sessionId: string; name?: string; snapshot?: { value?: unknown } });
    const session = (name: string) => lines.find((l) => l.type === '@xstate.actor' && l.name === name)!.sessionId;
    const values = (name: string) =>
      lines
        .filter((l) => l.type === '@xstate.snapshot' && l.sessionId === session(name))
        .map((l) => JSON.stringify(l.snapshot!.value));
    // Each distinct state in order (consecutive repeats dropped).
    const path = (name: string) => values(name).filter((v, i, all) => v !== all[i - 1]);
    expect(path('node:test10pub')).toEqual(['"idle"', '"running"', '"idle"', '"running"', '"idle"']);
    expect(path('signer:test10sub').map((v) => JSON.parse(v).serving)).toEqual(['normal', 'reset', 'normal']);
    expect(path('phone:SEP001122334455')).toEqual(['"trusted"', '"locked"', '"trusted"']);
  });
});

describe('the inspector in mixed mode', () => {
  it("should show a phone's CTL machine taking the first CTL (C0) and rejecting one signed by an unknown ITLRecovery (C3)", async () => {
    const at = (m: number) => `2024-03-04T09:${String(m).padStart(2, '0')}:00Z`;
    const log = [
      {
        type: 'cluster.install',
        at: at(0),
        version: '12.5(1)SU3',
        domain: 'example.lab',
        securityPassword: 'Example-Sec-1',
        keyBits: 1024,
        nodes: [{ name: 'pub', role: 'publisher', tftp: true }],
      },
      { type: 'phone.add', at: at(1), phone: 'SEP00000000000A', tftp: 'pub' },
      { type: 'ctl.setCluster', at: at(2), node: 'pub', mode: 'mixed' },
      { type: 'devices.reset', at: at(3) },
      { type: 'cert.regenerate', at: at(4), node: 'pub', cert: 'ITLRecovery' },
      { type: 'ctl.update', at: at(5), node: 'pub' },
      { type: 'devices.reset', at: at(6) },
    ];
    const io = memoryIo({ 'log.jsonl': log.map((l) => JSON.stringify(l)).join('\n') });
    expect(await inspectFile('log.jsonl', { inspectLog: 'inspect.jsonl' }, io)).toBe(0);
    const lines = new TextDecoder()
      .decode(io.files.get('inspect.jsonl'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; sessionId: string; name?: string; snapshot?: { value?: unknown } });
    const session = lines.find((l) => l.type === '@xstate.actor' && l.name === 'ctl:SEP00000000000A')!.sessionId;
    // The actor appears with the state it is in (`none`), then each snapshot after a transition.
    const values = lines
      .filter((l) => (l.type === '@xstate.actor' || l.type === '@xstate.snapshot') && l.sessionId === session)
      .map((l) => l.snapshot!.value)
      .filter((v, i, all) => v !== all[i - 1]);
    expect(values).toEqual(['none', 'installed', 'rejected']);
  });
});
