/**
 * The events that name an imported cluster's nodes and phones: what a plan run from a cluster folder
 * is checked against (the log parser knows nodes and phones from the events before a line). They are
 * never replayed; the imported state is the start. Pure.
 */
import type { ClusterState } from '../cluster/clusterState.ts';
import type { LogEvent } from '../events.ts';

/** A `cluster.install` and a `phone.add` per phone, at `at`, naming what the state holds. Pure. */
export function namingEvents(state: ClusterState, at: string): LogEvent[] {
  const install = {
    type: 'cluster.install',
    at,
    version: state.version,
    domain: state.domain,
    // Never used: the events only name things for the parser's checks.
    securityPassword: 'unused-for-checking',
    nodes: state.nodes.map((n) => ({ name: n.id, role: n.role, tftp: !!n.tftp })),
  } as LogEvent;
  const phones = state.phones.map(
    (p) => ({ type: 'phone.add', at, phone: p.id, tftp: p.tftp, tvs: p.tvs }) as LogEvent,
  );
  return [install, ...phones];
}
