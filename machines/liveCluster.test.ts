import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectReplay } from '../cli/inspectCommand.ts';
import { memoryIo } from '../cli/memoryIo.ts';
import { DEFAULT_OPTIONS } from '../model/cluster/install.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import { logEventView, machineEventView, type MachineEvent } from './liveViews.ts';
import { replay } from './replay.ts';

/** One line of an `--inspect-log` file, as far as these tests read it. */
interface InspectionLine {
  type: string;
  sessionId: string;
  name?: string;
  event?: { type: string; phone?: string; candidate?: { sha1?: string } };
  snapshot?: { value?: unknown; context?: { rule?: string | null; ctl?: { rule: string } | null } };
}

/** Every string held under a `seed` field anywhere in a value (the model's key references and counters). Pure. */
function seedsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) seedsIn(v, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'seed' && typeof v === 'string') found.add(v);
      else seedsIn(v, found);
    }
  return found;
}

/**
 * Replays an example with the inspection log captured, and collects what must not be in it: every key
 * seed of every state the replay went through, and the log's security passwords.
 */
async function inspected(example: string) {
  const text = readFileSync(new URL(`../examples/${example}`, import.meta.url), 'utf8');
  const log = parseLog(text, example);
  const io = memoryIo();
  expect(await inspectReplay(log.events, DEFAULT_OPTIONS, { inspectLog: 'inspect.jsonl' }, io)).toBe(0);
  const raw = new TextDecoder().decode(io.files.get('inspect.jsonl')).trimEnd().split('\n');
  const contexts = replay(log.events, { options: DEFAULT_OPTIONS, keepContexts: true }).contexts!;
  const seeds = [...seedsIn(contexts)];
  const passwords = log.events.flatMap((e) => ('securityPassword' in e ? [e.securityPassword] : []));
  return { raw, lines: raw.map((l) => JSON.parse(l) as InspectionLine), seeds, passwords };
}

/**
 * What no inspection line may contain: a seed, a seed, bytes or DER field or a key object, a base64
 * blob longer than 64 characters, a PEM private key, a password. Each finding names its line. Pure.
 */
function secretsIn(raw: string[], seeds: string[], passwords: string[]): string[] {
  const found: string[] = [];
  raw.forEach((line, i) => {
    const at = `line ${i + 1}`;
    for (const seed of seeds) if (line.includes(seed)) found.push(`${at}: seed ${seed}`);
    for (const password of passwords) if (line.includes(password)) found.push(`${at}: password`);
    const field = /"(seed|bytes|der|privateKey|p12|secrets)":|"key":\{/.exec(line);
    if (field) found.push(`${at}: field ${field[0]}`);
    const blob = /[A-Za-z0-9+/=_-]{65,}/.exec(line);
    if (blob) found.push(`${at}: blob ${blob[0].slice(0, 20)}…`);
    if (line.includes('PRIVATE KEY')) found.push(`${at}: PRIVATE KEY`);
  });
  return found;
}

/** The events the phone machines received (BOOT, CTL, …), with the phone whose actor got them. */
function phoneEvents(lines: InspectionLine[], machine: 'phone' | 'ctl') {
  const actors = new Map(
    lines
      .filter((l) => l.type === '@xstate.actor' && l.name?.startsWith(`${machine}:`))
      .map((l) => [l.sessionId, l.name!]),
  );
  return lines
    .filter((l) => l.type === '@xstate.event' && actors.has(l.sessionId))
    .map((l) => ({ actor: actors.get(l.sessionId)!, event: l.event! }));
}

/** The rules the phone machines decided with (ITL and CTL), as their snapshots show them. */
function decisions(lines: InspectionLine[]) {
  const contexts = lines.filter((l) => l.type === '@xstate.snapshot').map((l) => l.snapshot?.context);
  return new Set(contexts.flatMap((c) => [c?.rule, c?.ctl?.rule]).filter((r) => typeof r === 'string'));
}

describe('the inspection log of a live replay', () => {
  it('should carry no key seed, ITL bytes, base64 blob, private key or password during the seed incident, yet show each boot and its decision', async () => {
    const { raw, lines, seeds, passwords } = await inspected('seed-incident.jsonl');
    expect(seeds.length).toBeGreaterThan(5);
    expect(seeds.some((s) => s.startsWith('ITLRecovery'))).toBe(true);
    expect(passwords).toEqual(['Cisco-Sec-123']);
    expect(secretsIn(raw, seeds, passwords).slice(0, 8)).toEqual([]);
    const boots = phoneEvents(lines, 'phone').filter((e) => e.event.type === 'BOOT');
    expect(boots.length).toBeGreaterThan(5);
    for (const boot of boots) {
      expect(`phone:${boot.event.phone}`).toBe(boot.actor);
      expect(boot.event.candidate?.sha1).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(boots.map((b) => b.event.phone)).toContain('SEP001122334455');
    const rules = decisions(lines);
    for (const rule of ['R0', 'R2', 'R3']) expect(rules).toContain(rule);
  });

  it('should carry no key seed, CTL or ITL bytes, base64 blob, private key or password in mixed mode, yet show each CTL step and its decision', async () => {
    const { raw, lines, seeds, passwords } = await inspected('r25-mixed-itlrecovery-regen-order.jsonl');
    expect(seeds.length).toBeGreaterThan(5);
    expect(passwords.length).toBeGreaterThan(0);
    expect(secretsIn(raw, seeds, passwords).slice(0, 8)).toEqual([]);
    const ctls = phoneEvents(lines, 'ctl').filter((e) => e.event.type === 'CTL');
    expect(ctls.length).toBeGreaterThan(2);
    for (const ctl of ctls) {
      expect(`ctl:${ctl.event.phone}`).toBe(ctl.actor);
      expect(ctl.event.candidate?.sha1).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(phoneEvents(lines, 'phone').filter((e) => e.event.type === 'BOOT').length).toBeGreaterThan(2);
    const rules = decisions(lines);
    for (const rule of ['C0', 'C1', 'R0']) expect(rules).toContain(rule);
  });
});

describe('the event views', () => {
  it('should show a log event by the fields named for its type, with the password as a mark and an unnamed field left out', () => {
    const event = {
      type: 'cluster.password',
      at: '2024-03-04T09:00:00Z',
      securityPassword: 'Very-Secret-Pa55',
      p12Password: 'Other-Secret',
    } as unknown as LogEvent;
    expect(logEventView(event)).toEqual({
      type: 'cluster.password',
      at: '2024-03-04T09:00:00Z',
      securityPassword: '(hidden)',
    });
  });

  it('should show a machine event of a type it does not name by its type only', () => {
    const event = { type: 'START', key: { seed: 'CallManager:x/pub/0', bits: 2048 } } as unknown as MachineEvent;
    expect(machineEventView(event)).toEqual({ type: 'START' });
    const regen = { type: 'REGENERATE', cert: 'TVS', env: { seed: 'abc' } } as unknown as MachineEvent;
    expect(machineEventView(regen)).toEqual({ type: 'REGENERATE', cert: 'TVS' });
  });
});
