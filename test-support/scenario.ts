import type { ClusterState, NodeState, PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import { parseLog } from '../model/parseLog.ts';
import type { ClusterContext, EventReport } from '../machines/clusterMachine.ts';
import { replay, type ReplayOptions } from '../machines/replay.ts';
import { refusalText } from '../cli/refusalText.ts';

/** Event lines without `at`: the helper stamps them a minute apart (or `+N` minutes with `after`). */
export type Line = Record<string, unknown> & { type: string; after?: number };

/** The result of a scenario: the final context, each event's report, and phone lookups. */
export interface Outcome {
  final: ClusterContext;
  reports: EventReport[];
  events: LogEvent[];
  phone(id: string): PhoneState;
  /** What the CUCM CLI printed for refused commands (rendered as the CLI renders them). */
  messages: string[];
}

/** A two-node 10.x cluster (both TFTP), as in README.md's Examples; publisher `pub`, subscriber `sub`. */
export function install(overrides: Record<string, unknown> = {}): Line {
  return {
    type: 'cluster.install',
    version: '10.5(2)',
    domain: 'example.lab',
    securityPassword: 'Secret-One',
    keyBits: 1024,
    nodes: [
      { name: 'pub', role: 'publisher', tftp: true },
      { name: 'sub', role: 'subscriber', tftp: true },
    ],
    ...overrides,
  };
}

/** Stamps lines with times and parses them as a log (so scenarios obey the same rules as files). */
export function logOf(lines: Line[]): LogEvent[] {
  let minute = 0;
  const text = lines
    .map(({ after, ...line }) => {
      minute += after ?? 1;
      return JSON.stringify({ ...line, at: new Date(Date.UTC(2024, 2, 4, 9, minute)).toISOString() });
    })
    .join('\n');
  return parseLog(text, 'scenario.jsonl').events;
}

/** given/when: replays the lines; then: assertions on the outcome. Pure. */
export function run(lines: Line[], options: ReplayOptions = {}): Outcome {
  const events = logOf(lines);
  const result = replay(events, options);
  return {
    final: result.final,
    reports: result.reports,
    events,
    phone: (id) => result.settled.cluster!.phones.find((p) => p.id === id)!,
    messages: result.reports.flatMap((r) => r.refusals.map(refusalText)),
  };
}

/** Phone A of the scenarios: on the publisher's TFTP, with TVS list pub then sub. */
export const PHONE_A: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] };

/** Three nodes: the publisher and `sub` run TFTP, the subscriber `bare` does not. */
export function threeNodes(bare: string): Array<Record<string, unknown>> {
  return [
    { name: 'pub', role: 'publisher', tftp: true },
    { name: 'sub', role: 'subscriber', tftp: true },
    { name: bare, role: 'subscriber', tftp: false },
  ];
}

/** The cluster after the lines (replayed by the machines). */
export function clusterAfter(lines: Line[], options: ReplayOptions = {}): ClusterState {
  return run(lines, options).final.cluster!;
}

/** A node of a cluster state, by id. */
export function nodeOf(state: ClusterState, id: string): NodeState {
  return state.nodes.find((n) => n.id === id)!;
}
