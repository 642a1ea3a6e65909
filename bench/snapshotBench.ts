import { createHash } from 'node:crypto';
import { readClusterFolder } from '../cli/folderIo.ts';
import { memoryIo } from '../cli/memoryIo.ts';
import type { LogEvent } from '../model/events.ts';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { fleet, FLEET_CLASSES } from '../model/folder/fleet.ts';
import { importCluster } from '../model/folder/importCluster.ts';
import { preflight } from '../model/folder/preflight.ts';
import { snapshot } from '../model/folder/snapshot.ts';
import { replayModel } from '../model/replay/fold.ts';
import { ms, rate, type Table } from './timing.ts';

const PHONES = 10_000;
const NODES = ['n1', 'n2', 'n3', 'n4'];
const ROUNDS = 5;

/** A 12.5 cluster of 4 TFTP nodes whose CallManager certificates were each regenerated once: served files and history/. */
function clusterLog(): LogEvent[] {
  const start = Date.parse('2024-01-01T00:00:00Z');
  let minute = 0;
  const at = () => new Date(start + minute++ * 600_000).toISOString();
  return [
    {
      type: 'cluster.install',
      at: at(),
      version: '12.5(1)SU3',
      domain: 'bench.lab',
      securityPassword: 'bench',
      keyBits: 1024,
      nodes: NODES.map((name, i) => ({ name, role: i === 0 ? 'publisher' : 'subscriber', tftp: true, keyBits: 1024 })),
    },
    ...NODES.map((node): LogEvent => ({ type: 'cert.regenerate', at: at(), node, cert: 'CallManager' })),
  ];
}

/**
 * The folder: the replay's files, and a phones.csv of PHONES phones spread over the nodes, holding the
 * file their node serves (70%), another node's (10%), a history file (10%), an unknown hash (5%) or
 * none (5%).
 */
function benchFolder(): Map<string, Uint8Array> {
  const files = folderOfState(replayModel(clusterLog()).settled.cluster!, { history: true });
  const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
  const served = NODES.map((n) => sha1(files.get(`tftp/${n}/ITLFile.tlv`)!));
  const history = [...files.keys()].filter((p) => p.startsWith('history/')).map((p) => sha1(files.get(p)!));
  const rows = ['Device Name,TFTP,TVS,Status,ITL Hash,Model'];
  for (let i = 0; i < PHONES; i++) {
    const node = i % NODES.length;
    const kind = i % 20;
    const hash =
      kind < 14
        ? served[node]!
        : kind < 16
          ? served[(node + 1) % NODES.length]!
          : kind < 18
            ? history[i % history.length]!
            : kind === 18
              ? sha1(new Uint8Array([i & 0xff, i >> 8]))
              : '';
    const tvs = `${NODES[node]};${NODES[(node + 1) % NODES.length]}`;
    rows.push(
      `SEP${i.toString(16).toUpperCase().padStart(12, '0')},${NODES[node]},${tvs},${i % 7 ? 'Registered' : 'Unregistered'},${hash},Cisco 8845`,
    );
  }
  files.set('phones.csv', new TextEncoder().encode(`${rows.join('\r\n')}\r\n`));
  return files;
}

/** `snapshot` of a folder in memory (memoryIo): the walk and parsing, then the analysis, 10,000 phones. */
export async function snapshotSection(): Promise<Table> {
  const files = benchFolder();
  const io = memoryIo(Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])));
  let read = 0;
  let analyse = 0;
  let imported = 0;
  let classed = 0;
  let checked = 0;
  let issues = 0;
  let classes = '';
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const contents = await readClusterFolder('c', io);
    const t1 = performance.now();
    if (Array.isArray(contents)) throw new Error(`bug: the bench folder is refused: ${contents[0]?.reason}`);
    const snap = snapshot(contents);
    issues = snap.issues.length;
    const t2 = performance.now();
    const cluster = importCluster(contents, snap);
    const t3 = performance.now();
    const result = fleet(cluster);
    const t4 = performance.now();
    preflight(cluster);
    const t5 = performance.now();
    classes = FLEET_CLASSES.filter((c) => result.totals[c] > 0)
      .map((c) => `${c} ${result.totals[c]}`)
      .join(', ');
    read += t1 - t0;
    analyse += t2 - t1;
    imported += t3 - t2;
    classed += t4 - t3;
    checked += t5 - t4;
  }
  const perRun = (read + analyse) / ROUNDS;
  const fleetRun = (read + analyse + imported + classed) / ROUNDS;
  const csvBytes = files.get('phones.csv')!.length;
  return {
    columns: [
      `snapshot, ${PHONES.toLocaleString('en-US')} phones, 4 TFTP nodes (mean of ${ROUNDS})`,
      'time',
      'phones/s',
    ],
    rows: [
      [
        'read the folder (walk, cluster.json, phones.csv, decode ITLs)',
        ms(read / ROUNDS),
        rate((PHONES * 1000 * ROUNDS) / read),
      ],
      [
        'snapshot (verify files, node identities, place every phone)',
        ms(analyse / ROUNDS),
        rate((PHONES * 1000 * ROUNDS) / analyse),
      ],
      ['both', ms(perRun), rate((PHONES * 1000) / perRun)],
      [
        'import (the model state: stand-in identities, stored files, phones)',
        ms(imported / ROUNDS),
        rate((PHONES * 1000 * ROUNDS) / imported),
      ],
      [
        'fleet (every phone classed by the trust rules)',
        ms(classed / ROUNDS),
        rate((PHONES * 1000 * ROUNDS) / classed),
      ],
      ['preflight (H1-H13 on the import, F1-F6)', ms(checked / ROUNDS), rate((PHONES * 1000 * ROUNDS) / checked)],
      ['read + snapshot + import + fleet', ms(fleetRun), rate((PHONES * 1000) / fleetRun)],
    ],
    notes: [
      `fleet classes: ${classes}`,
      `folder: ${files.size} files, phones.csv ${(csvBytes / 1024).toFixed(0)} KiB; ${issues} inconsistencies found per run (the unknown hashes)`,
      `peak RSS of the bench process so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (process.resourceUsage().maxRSS)`,
    ],
  };
}
