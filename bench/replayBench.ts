import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diagnoseAll } from '../machines/diagnose.ts';
import { replay, shownSteps } from '../machines/replay.ts';
import { replayJson } from '../cli/replayJson.ts';
import { linesOfChunks } from '../model/logLines.ts';
import { parseLogStream } from '../model/parseLog.ts';
import type { LogEvent } from '../model/events.ts';
import { replayModel } from '../model/replay/fold.ts';
import { ms, rate, ratio, throughput, type Table } from './timing.ts';

const NODES = ['n1', 'n2', 'n3', 'n4'];

/** The release and mode of a big incident's cluster. */
export interface BigCluster {
  version: string;
  /** Mixed mode: `utils ctl set-cluster mixed-mode` and a TFTP restart on every node before the phones come. */
  mixed: boolean;
}

/**
 * A big incident: 4 TFTP nodes, `phones` phones spread over them, `resets` cluster-wide events (every
 * tenth a CallManager regeneration). 10.5(2) non-secure unless `cluster` says otherwise.
 */
export function bigLog(
  phones: number,
  resets: number,
  cluster: BigCluster = { version: '10.5(2)', mixed: false },
): LogEvent[] {
  const start = Date.parse('2024-01-01T00:00:00Z');
  let second = 0;
  const at = () => new Date(start + second++ * 1000).toISOString();
  const events: LogEvent[] = [
    {
      type: 'cluster.install',
      at: at(),
      version: cluster.version,
      domain: 'big.lab',
      securityPassword: 'bench',
      keyBits: 1024,
      nodes: NODES.map((name, i) => ({ name, role: i === 0 ? 'publisher' : 'subscriber', tftp: true, keyBits: 1024 })),
    },
  ];
  if (cluster.mixed) {
    events.push({ type: 'ctl.setCluster', at: at(), node: NODES[0]!, mode: 'mixed' });
    for (const node of NODES) events.push({ type: 'tftp.restart', at: at(), node });
  }
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

/** Replays 10,000 phones on four TFTP nodes through 100 cluster-wide events (about a million boots), 10.x and 12.5 mixed mode. */
export function replaySection(): Table {
  const rows: string[][] = [];
  const tenX = { version: '10.5(2)', mixed: false };
  const mixed125 = { version: '12.5(1)SU3', mixed: true };
  const timeOf: Record<string, number> = {};
  for (const [label, phones, resets, cluster] of [
    ['10.5(2)', 1_000, 100, tenX],
    ['10.5(2)', 10_000, 100, tenX],
    ['12.5(1)SU3 mixed', 10_000, 100, mixed125],
  ] as const) {
    const events = bigLog(phones, resets, cluster);
    const start = performance.now();
    const result = replay(events);
    const elapsed = performance.now() - start;
    const boots = result.reports.reduce((sum, r) => sum + r.booted.length, 0);
    timeOf[`${label}/${phones}`] = elapsed;
    rows.push([
      `${label}: ${phones.toLocaleString('en-US')} phones x ${resets} events`,
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
      `12.5 mixed mode (each boot a CTL step, then the ITL by I1) / 10.x, same run: ${ratio(timeOf['12.5(1)SU3 mixed/10000']!, timeOf['10.5(2)/10000']!)} (goal: at most 1.5x)`,
    ],
  };
}

/** A replay to compare: its name and how it replays a log. */
interface Contender {
  name: string;
  replay: (events: LogEvent[]) => { reports: Array<{ booted: unknown[] }> };
}

/**
 * Builds the code of a git commit into .tmp/baseline-<commit>/dist (its own sources, this checkout's
 * node_modules) and returns its machine replay. Only for benchmarking one version against another.
 */
async function baselineReplay(ref: string): Promise<Contender> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = join(root, '.tmp', `baseline-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, 'dist', 'machines', 'replay.js'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C '${dir}'`], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: dir,
      },
    );
  }
  const module = (await import(pathToFileURL(join(dir, 'dist', 'machines', 'replay.js')).href)) as {
    replay: Contender['replay'];
  };
  return { name: `machines at ${ref} (${commit.slice(0, 7)})`, replay: module.replay };
}

/**
 * The same log through each replay, interleaved round by round (the machines are shared and noisy,
 * so ratios of one run are what counts); the best round of each. The machine layer must stay at
 * least as fast as the code before it (issue 13): run `npm run bench -- engine --baseline REF`.
 */
export async function engineSection(baseline: string | undefined): Promise<Table> {
  const contenders: Contender[] = [
    { name: 'machines (replay: the cluster, node, signer and phone machines decide)', replay },
    { name: 'model fold (replayModel: the rules called directly, no XState)', replay: replayModel },
  ];
  if (baseline) contenders.push(await baselineReplay(baseline));
  const events = bigLog(5_000, 50);
  const best = contenders.map(() => Infinity);
  let boots = 0;
  for (let round = 0; round < 3; round++) {
    contenders.forEach((c, i) => {
      const start = performance.now();
      const result = c.replay(events);
      best[i] = Math.min(best[i]!, performance.now() - start);
      boots = result.reports.reduce((sum, r) => sum + r.booted.length, 0);
    });
  }
  return {
    columns: ['replay of 5,000 phones x 50 events', 'best of 3', 'boots/s', 'time / machines'],
    rows: contenders.map((c, i) => [c.name, ms(best[i]!), rate((boots / best[i]!) * 1000), ratio(best[i]!, best[0]!)]),
    notes: [
      `${rate(boots)} phone boots per replay; rounds interleaved, the best of each kept`,
      ...(baseline ? [] : ['add --baseline REF (a git commit) to measure the code of that commit in the same run']),
    ],
  };
}

/** The phone counts of the scale section (100 cluster-wide events each). */
const SCALE_PHONES = [10_000, 50_000, 100_000] as const;

/** A log's bytes as the CLI meets them, handed over in 1 MB chunks (the reader's stream). */
async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 1024 * 1024) yield bytes.subarray(at, at + 1024 * 1024);
}

/** Native RSA-2048 signature checks per second (node:crypto, SHA-256, PKCS#1 v1.5), measured now. */
function nativeVerifyRate(): number {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = new Uint8Array(1024).fill(7);
  const signature = sign('sha256', data, privateKey);
  return throughput(() => verify('sha256', data, publicKey, signature), { minMs: 1000 }).perSecond;
}

/**
 * `replay --json` at scale, in process: 10k, 50k and 100k phones x 100 cluster-wide events. Each
 * point streams the log's bytes through the line reader and the parser, replays it with the
 * machines (no contexts kept, as the CLI does above its check budget), and renders the JSON report.
 * Linear means the time per phone stays flat; boots are compared with the native RSA-2048 verify
 * rate measured in the same run (memoised verification: a boot must be far cheaper than a check).
 */
export async function scaleSection(): Promise<Table> {
  const verifyRate = nativeVerifyRate();
  const rows: string[][] = [];
  const perPhone: number[] = [];
  const bootRates: number[] = [];
  for (const phones of SCALE_PHONES) {
    const text =
      bigLog(phones, 100)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    const t0 = performance.now();
    const log = await parseLogStream(linesOfChunks(chunksOf(bytes)), 'bench.jsonl');
    const t1 = performance.now();
    const result = replay(log.events);
    const t2 = performance.now();
    const { reports } = shownSteps(result);
    const diagnoses = diagnoseAll(result.settled, reports[reports.length - 1]!.at);
    const json = JSON.stringify(replayJson(log.events, result.settled, reports, diagnoses), null, 2);
    const t3 = performance.now();
    const boots = reports.reduce((sum, r) => sum + r.booted.length + (r.ended?.booted.length ?? 0), 0);
    const total = t3 - t0;
    perPhone.push(total / phones);
    bootRates.push((boots / (t2 - t1)) * 1000);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    rows.push([
      `${phones.toLocaleString('en-US')} phones x 100 events`,
      rate(log.events.length),
      rate((log.events.length / (t1 - t0)) * 1000),
      rate(boots),
      rate((boots / (t2 - t1)) * 1000),
      ms(t3 - t2),
      ms(total),
      `${((total / phones) * 1000).toFixed(0)} µs`,
      `${rssMb.toFixed(0)} MB`,
      `${(json.length / 1024 / 1024).toFixed(1)} MB`,
    ]);
  }
  const last = bootRates[bootRates.length - 1]!;
  return {
    columns: [
      'replay --json (in process)',
      'lines',
      'parse lines/s',
      'boots',
      'boots/s',
      'JSON',
      'total',
      'per phone',
      'peak RSS',
      'JSON size',
    ],
    rows,
    notes: [
      `time per phone, 100k / 10k: ${ratio(perPhone[2]!, perPhone[0]!)} (goal: at most 1.5x, linear)`,
      `native RSA-2048 verify (node:crypto) in this run: ${rate(verifyRate)}/s; boots/s at 100k / verify rate: ${ratio(last, verifyRate)} (goal: at least 5x)`,
      'peak RSS is the process high-water mark so far (goal at 100k: under 2 GB); parse: the log bytes streamed in 1 MB chunks through linesOfChunks and parseLogStream',
      'not included: the property check (the CLI skips it above CHECK_BUDGET phone-events, cli/replayCommand.ts), the text and HTML reports',
    ],
  };
}
