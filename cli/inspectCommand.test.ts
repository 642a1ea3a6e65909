import { createInspectorServer } from '@statelyai/inspect/server';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { memoryIo } from './io.ts';
import { freePort, inspectFile } from './inspectCommand.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const seedText = readFileSync(new URL('../examples/seed-incident.jsonl', import.meta.url), 'utf8');
// A small log: install, one phone, the phone unplugged (events 1-3 of a seed-like incident).
const smallLog = seedText.split('\n').filter((l) => /cluster\.install|SEP001122334455/.test(l)).slice(0, 3).join('\n') + '\n';

/** Runs `inspectFile` in a child process (the real module graph, real sockets) and resolves with its exit code and output once it exits by itself. */
function child(log: string, options: object): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const code = `import { nodeIo, memoryIo } from './cli/io.ts'; import { inspectFile } from './cli/inspectCommand.ts';
    import { writeFileSync, mkdtempSync } from 'node:fs'; import { join } from 'node:path'; import { tmpdir } from 'node:os';
    const file = join(mkdtempSync(join(tmpdir(), 'itl-inspect-')), 'log.jsonl'); writeFileSync(file, ${JSON.stringify(log)});
    process.exitCode = await inspectFile(file, ${JSON.stringify(options)}, nodeIo);`;
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
    const port = await freePort();
    const relay = createInspectorServer({ port, autoOpen: false });
    try {
      let receiver: WebSocket | undefined;
      for (let i = 0; i < 20 && !receiver; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`);
        if (await new Promise<boolean>((r) => ws.once('open', () => r(true)).once('error', () => r(false)))) receiver = ws;
        else await new Promise((r) => setTimeout(r, 100));
      }
      const received: { type: string; name?: string; event?: { type: string }; snapshot?: { value?: unknown; context?: unknown } }[] = [];
      receiver!.on('message', (d) => void received.push(JSON.parse(d.toString())));
      const run = await child(smallLog, { inspect: `ws://127.0.0.1:${port}` });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      await new Promise<void>((r) => receiver!.once('close', r).close());
      expect(received.filter((e) => e.type === '@xstate.actor').map((e) => e.name)).toEqual(['cluster', 'node:test10pub', 'node:test10sub', 'phone:SEP001122334455']);
      const events = received.filter((e) => e.type === '@xstate.event').map((e) => e.event!.type);
      expect(events).toEqual(expect.arrayContaining(['cluster.install', 'phone.add', 'phone.power', 'CHANGED']));
      const phone = received.filter((e) => e.type === '@xstate.snapshot' && (e.snapshot?.context as { id?: string })?.id === 'SEP001122334455');
      expect(phone.map((e) => e.snapshot!.value)).toContain('trusted');
      expect(JSON.stringify(received)).not.toContain('Cisco-Sec-123');
    } finally {
      relay.stop();
    }
  });

  it('should start its own relay, print where to open it and exit by itself when no URL is given', async () => {
    const run = await child(smallLog, { inspect: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^inspector relay: ws:\/\/127\.0\.0\.1:\d+\nopen http:\/\/localhost:\d+ in a browser: it shows Stately's inspector \(https:\/\/stately\.ai\/inspect\)/);
    expect(run.stdout).toMatch(/inspector: sent \d+ inspection events \(3 log events\)/);
  });

  it('should exit 2 with one line when the relay at the URL does not answer', async () => {
    const io = memoryIo({ 'log.jsonl': smallLog });
    expect(await inspectFile('log.jsonl', { inspect: `ws://127.0.0.1:${await freePort()}` }, io)).toBe(2);
    expect(io.stderr).toEqual([expect.stringMatching(/^--inspect: cannot connect to the inspector relay at ws:\/\/127\.0\.0\.1:\d+$/)]);
  });

  it('should write every inspection event as JSON Lines with no key material or password when --inspect-log is given', async () => {
    const io = memoryIo({ 'log.jsonl': seedText.replace('Cisco-Sec-123', 'Very-Secret-Pa55') });
    await io.mkdir('out');
    expect(await inspectFile('log.jsonl', { inspectLog: 'out/inspect.jsonl' }, io)).toBe(0);
    const text = new TextDecoder().decode(io.files.get('out/inspect.jsonl'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; event?: { type: string } });
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
    const logEvents = lines.filter((l) => l.type === '@xstate.event' && l.event!.type.includes('.') && !l.event!.type.startsWith('xstate.')).map((l) => l.event!.type);
    expect(logEvents).toEqual(seedText.trim().split('\n').map((l) => JSON.parse(l).type));
    expect(text).not.toContain('Very-Secret-Pa55');
    // "p12" is fine in a file name (ITLRecovery.p12); key material would be a field, or a long base64 value.
    const snapshots = lines.filter((l) => 'snapshot' in l).map((l) => JSON.stringify((l as { snapshot: unknown }).snapshot));
    expect(snapshots.length).toBeGreaterThan(40);
    for (const snapshot of snapshots) {
      expect(snapshot).not.toMatch(/"(seed|secrets|p12|p12Password|privateKey|key|bytes|der)":/);
      expect(snapshot).not.toMatch(/[A-Za-z0-9+/]{120,}/);
    }
  });
});
