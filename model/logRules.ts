/**
 * The rules of an event log that span lines (parseLog.ts reads each line; these check it against
 * the lines before it): the one install and its node table, the nodes and phones an event names,
 * DNS names that fit, time that does not go back, and what a refused line still establishes, so
 * that one mistake is reported once. A line is refused by throwing a `LineProblem` (`fail`), here and
 * in parseLog.ts's per-line checks alike; its reader catches it.
 */
import { timestampOf } from './eventSchemas.ts';
import { isEventType, type ClusterNode, type LogEvent } from './events.ts';
import { FastEvents } from './fastEvents.ts';
import { quote } from './logError.ts';
import { MAX_DNS_NAME, nameKey } from './names.ts';
import { compareInstants, parseTimestamp, type Instant } from './timestamps.ts';
import { compareVersions } from './version.ts';

/**
 * Where a continuation log starts (`replay --from DIR LOG`): the cluster it continues, as a cluster
 * folder gives it. Its events are read as if an install of these nodes and phones came before them.
 */
export interface LogStart {
  version: string;
  domain: string;
  nodes: ClusterNode[];
  phones: string[];
  /** Events may not go back before this time. */
  at: string;
}

/**
 * What earlier lines established, for checking the next one. Names are keyed case-insensitively
 * and the first spelling is kept. After a line with a problem the state is still advanced as far
 * as the line allows (its phone is known, its time taken), so one mistake reports once.
 */
export class LogState {
  nodes = new Map<string, ClusterNode>();
  hostnames = new Map<string, string>();
  phones = new Map<string, { name: string; line: number }>();
  version = '';
  domain = '';
  /** Line of the install; -1 when the first line was refused (its nodes are then unknown, and not checked). */
  installLine: number | undefined;
  /** The first line was refused as another event than cluster.install: a later install is the log's own. */
  installMissing = false;
  at = '';
  instant: Instant | undefined;
  line = 0;
  /** The field checks' fast path, and what it learned from this log's earlier lines. */
  readonly fast = new FastEvents();
  /** `requirements` of this log, by event type (made once per type). */
  readonly needs = new Map<string, ReturnType<typeof requirements>>();

  /** Whether the install's nodes are known (false once a refused first line stood for the install). */
  get nodesKnown(): boolean {
    return this.installLine !== -1;
  }
}

/** A continuation: the install is the folder's (line 0), its nodes and phones known, its time the start. */
export function startFrom(log: LogState, start: LogStart): void {
  log.installLine = 0;
  log.version = start.version;
  log.domain = start.domain;
  for (const node of start.nodes) {
    log.nodes.set(nameKey(node.name), node);
    log.hostnames.set(nameKey(node.name), node.name);
  }
  for (const phone of start.phones) log.phones.set(nameKey(phone), { name: phone, line: 0 });
  log.instant = parseTimestamp(start.at);
  log.at = start.at;
}

/** Thrown inside one line's checks to refuse it. */
export class LineProblem {
  constructor(readonly reason: string) {}
}

/** Refuses the line being read, for `reason` (parseLog.ts `readLine` catches it). */
export const fail = (reason: string): never => {
  throw new LineProblem(reason);
};

/** Applies the cross-event rules of one event; returns it with every name in its first spelling. */
export function advance(log: LogState, event: LogEvent): LogEvent {
  const instant = timestampOf(event.at) ?? fail(`${event.type}: field "at" is not a timestamp`);
  if (log.instant !== undefined && compareInstants(instant, log.instant) < 0) {
    fail(`${event.type}: field "at" goes back in time: ${event.at} is before the previous event's ${log.at}`);
  }
  const checked = checkEvent(log, event);
  log.at = event.at;
  log.instant = instant;
  return checked;
}

/** The per-type cross-event checks and state changes. */
function checkEvent(log: LogState, event: LogEvent): LogEvent {
  const need = log.needs.get(event.type) ?? requirements(log, event.type);
  log.needs.set(event.type, need);
  switch (event.type) {
    case 'cluster.install':
      return install(log, event);
    case 'cluster.upgrade':
      if (log.version !== '' && compareVersions(event.version, log.version) < 0) {
        fail(`cluster.upgrade: version ${event.version} is older than the installed ${log.version}`);
      }
      log.version = event.version;
      return event;
    case 'phone.add': {
      const key = nameKey(event.phone);
      const earlier = log.phones.get(key);
      if (earlier !== undefined)
        fail(`phone.add: phone ${quote(event.phone)} was already added on line ${earlier.line}`);
      log.phones.set(key, { name: event.phone, line: log.line });
      return { ...event, tftp: need.tftpNode(event.tftp), tvs: need.tvsList(event.tvs) };
    }
    case 'phone.tftp':
      return { ...event, phone: need.phone(event.phone), tftp: need.tftpNode(event.tftp) };
    case 'phone.reset':
    case 'phone.power':
    case 'phone.deleteItl':
    case 'phone.deleteCtl':
    case 'phone.factoryReset':
      return { ...event, phone: need.phone(event.phone) };
    case 'node.rename': {
      const node = need.node(event.node, 'node');
      need.fqdnFits(event.hostname, log.domain);
      log.hostnames.set(nameKey(node), event.hostname);
      return { ...event, node };
    }
    case 'cluster.domain':
      for (const hostname of log.hostnames.values()) need.fqdnFits(hostname, event.domain);
      log.domain = event.domain;
      return event;
    case 'cert.regenerate':
    case 'tftp.restart':
    case 'itl.reset':
    case 'itlrecovery.backup':
    case 'tftp.forge':
    case 'tftp.corrupt':
    case 'ctl.setCluster':
    case 'ctl.update':
    case 'ctl.reset':
    case 'service.restart':
      return { ...event, node: need.node(event.node, 'node') };
    case 'cluster.password':
    case 'publisher.rebuild':
    case 'devices.reset':
    case 'cluster.parameter':
    case 'cert.reuse':
      return event;
    default: {
      const unexpected: never = event;
      return fail(`unhandled event ${quote((unexpected as { type: string }).type)}`);
    }
  }
}

/** The node table of a fresh cluster: unique names (ignoring case), exactly one publisher, names that fit a certificate. */
function install(log: LogState, event: Extract<LogEvent, { type: 'cluster.install' }>): LogEvent {
  log.installLine = log.line;
  log.installMissing = false;
  log.version = event.version;
  log.domain = event.domain;
  for (const node of event.nodes) {
    if (log.nodes.has(nameKey(node.name))) fail(`cluster.install: duplicate node name ${quote(node.name)}`);
    log.nodes.set(nameKey(node.name), node);
    log.hostnames.set(nameKey(node.name), node.name);
  }
  const publishers = event.nodes.filter((n) => n.role === 'publisher').length;
  if (publishers !== 1) fail(`cluster.install: exactly one node must have role "publisher", found ${publishers}`);
  for (const node of event.nodes) requirements(log, event.type).fqdnFits(node.name, event.domain);
  return event;
}

/** Checks that the nodes and phones an event names exist and can play their part; each returns the name's first spelling. */
function requirements(log: LogState, type: string) {
  const node = (name: string, field: string): string => {
    if (!log.nodesKnown) return name;
    return (log.nodes.get(nameKey(name)) ?? fail(`${type}: unknown node ${quote(name)} in field "${field}"`)).name;
  };
  return {
    node,
    phone: (name: string): string =>
      (log.phones.get(nameKey(name)) ?? fail(`${type}: unknown phone ${quote(name)} (no earlier phone.add)`)).name,
    tftpNode: (name: string): string => {
      const found = node(name, 'tftp');
      if (log.nodesKnown && !log.nodes.get(nameKey(found))!.tftp)
        fail(`${type}: node ${quote(found)} in field "tftp" does not run TFTP`);
      return found;
    },
    tvsList: (names: string[]): string[] => {
      // A list holds at most MAX_TVS names: an array finds a repeat as fast as a set.
      const seen: string[] = [];
      return names.map((name) => {
        const found = node(name, 'tvs');
        const key = nameKey(found);
        if (seen.includes(key)) fail(`${type}: field "tvs" lists node ${quote(found)} twice`);
        seen.push(key);
        return found;
      });
    },
    fqdnFits: (hostname: string, domain: string): void => {
      const length = hostname.length + 1 + domain.length;
      if (domain !== '' && length > MAX_DNS_NAME)
        fail(
          `${type}: the name ${quote(hostname)} + "." + the domain is ${length} characters, more than a DNS name's ${MAX_DNS_NAME}`,
        );
    },
  };
}

/**
 * After a refused line, takes from it what keeps later lines from being refused for its sake:
 * a first line counts as the install (with unknown nodes) unless it is another event and the install
 * comes later, a `phone.add`'s phone becomes known, a valid `at` becomes the time.
 */
export function recoverFrom(input: Record<string, unknown> | undefined, log: LogState): void {
  if (log.installLine === undefined) {
    log.installLine = -1;
    // A first line that is a known event but not the install: the install, when it comes, is taken as the log's.
    log.installMissing = typeof input?.type === 'string' && isEventType(input.type) && input.type !== 'cluster.install';
  }
  if (input?.type === 'phone.add' && typeof input.phone === 'string' && !log.phones.has(nameKey(input.phone))) {
    log.phones.set(nameKey(input.phone), { name: input.phone, line: log.line });
  }
  const instant = typeof input?.at === 'string' ? parseTimestamp(input.at) : undefined;
  if (instant !== undefined && (log.instant === undefined || compareInstants(instant, log.instant) > 0)) {
    log.instant = instant;
    log.at = input!.at as string;
  }
}
