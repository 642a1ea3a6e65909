import { replay } from '../machines/replay.ts';
import type { LogEvent } from '../model/events.ts';
import { ms, rate, type Table } from './timing.ts';

const NODES = ['n1', 'n2', 'n3', 'n4'];

/** A big incident: 4 TFTP nodes, `phones` phones spread over them, `resets` cluster-wide events (every tenth a CallManager regeneration). */
export function bigLog(phones: number, resets: number): LogEvent[] {
  const start = Date.parse('2024-01-01T00:00:00Z');
  let second = 0;
  const at = () => new Date(start + second++ * 1000).toISOString();
  const events: LogEvent[] = [
    {
      type: 'cluster.install',
      at: at(),
      version: '10.5(2)',
      domain: 'big.lab',
      securityPassword: 'bench',
      keyBits: 1024,
      nodes: NODES.map((name, i) => ({ name, role: i === 0 ? 'publisher' : 'subscriber', tftp: true, keyBits: 1024 })),
    },
  ];
  for (let i = 0; i < phones; i++) {
    const tftp = NODES[i % NODES.length]!;
    events.push({
      type: 'phone.add',
      at: at(),
      phone: `SEP${i.toString(16).padStart(12, '0')}`,
      tftp,
      tvs: [tftp, NODES[(i + 1) % NODES.length]!],
      firmware: '10.3(1)',
    });
  }
  for (let r = 0; r < resets; r++) {
    events.push(
      r % 10 === 5
        ? { type: 'cert.regenerate', at: at(), node: NODES[r % NODES.length]!, cert: 'CallManager' }
        : { type: 'devices.reset', at: at() },
    );
  }
  return events;
}

/** Replays 10,000 phones on four TFTP nodes through 100 cluster-wide events (about a million boots). */
export function replaySection(): Table {
  const rows: string[][] = [];
  for (const [phones, resets] of [
    [1_000, 100],
    [10_000, 100],
  ] as const) {
    const events = bigLog(phones, resets);
    const start = performance.now();
    const result = replay(events);
    const elapsed = performance.now() - start;
    const boots = result.reports.reduce((sum, r) => sum + r.booted.length, 0);
    rows.push([
      `${phones.toLocaleString('en-US')} phones x ${resets} events`,
      rate(boots),
      ms(elapsed),
      rate((boots / elapsed) * 1000),
    ]);
  }
  return {
    columns: ['replay', 'phone boots', 'time', 'boots/s'],
    rows,
    notes: [
      'each phone boot runs the phone machine (R0-R4 guards, real RSA verification cached per file and key); 4 TFTP nodes, every tenth event a CallManager regeneration',
    ],
  };
}
