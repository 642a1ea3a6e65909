import { produce, type Draft } from 'immer';
import type { CertKind } from '../certs/issueCertificate.ts';
import type {
  CertRegenerateEvent,
  ClusterDomainEvent,
  ClusterUpgradeEvent,
  NodeRenameEvent,
  PublisherRebuildEvent,
} from '../events.ts';
import { compareVersions, hasItlRecovery } from '../version.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import { fqdn, issueNodeCert } from './issueNodeCert.ts';
import { markNotBackedUp } from './backupEvents.ts';
import { refreshItls, startTftp } from './refreshItls.ts';
import type { Refusal } from './refusals.ts';
import { addSeconds, AUTO_RESET_SECONDS, secondsBetween, stepOf, type Step } from './step.ts';

/** Seconds a regeneration blocks the next one on the same node (SEED: five minutes). */
export const HOLD_SECONDS = 300;

function reissue(draft: Draft<ClusterState>, node: Draft<NodeState>, kind: CertKind, at: string): void {
  node.generations[kind] += 1;
  node.certs[kind] = issueNodeCert(draft, node, kind, node.generations[kind], at);
}

/** Phones that are powered on: the ones an automatic reset reaches. Pure. */
export function onlinePhones(state: ClusterState): string[] {
  return state.phones.filter((p) => p.online).map((p) => p.id);
}

/** After certificates changed: rebuild what changed and, if an ITL did, reset the phones (domain.md §4.1); they are back AUTO_RESET_SECONDS later (A14). */
function afterCertChange(next: ClusterState, changed: string[], notes: string[]): Step {
  if (changed.length === 0) return stepOf(next, { notes });
  notes.push(`ITL rebuilt on ${changed.join(', ')}; phones reset automatically (back in ${AUTO_RESET_SECONDS} s)`);
  return stepOf(next, { notes, restarts: onlinePhones(next) });
}

/** Why `set cert regen` is refused on this node now, if it is (hold timer A13, CAPF on the publisher only, no ITLRecovery before 10.0(1)). Pure. */
export function regenRefusal(
  state: Pick<ClusterState, 'version' | 'options'>,
  node: NodeState,
  event: Pick<CertRegenerateEvent, 'cert' | 'at'>,
): Refusal | undefined {
  if (event.cert === 'CAPF' && node.role !== 'publisher') return { kind: 'capfNotOnNode', node: node.id };
  if (event.cert === 'ITLRecovery' && !node.certs.ITLRecovery)
    return { kind: 'noItlRecovery', node: node.id, version: state.version };
  const last = node.lastRegen;
  if (state.options.holdTimer && last && secondsBetween(last.at, event.at) < HOLD_SECONDS) {
    return {
      kind: 'holdTimer',
      node: node.id,
      lastCert: last.cert,
      cert: event.cert,
      until: addSeconds(last.at, HOLD_SECONDS),
    };
  }
  return undefined;
}

/** The cluster facts a node needs to issue a certificate (its seed, domain and names). */
export type IssueEnv = Pick<ClusterState, 'seed' | 'domain' | 'subject'>;

/** A node after an accepted `set cert regen`: the new certificate and the hold timer started (A13). Pure. */
export function regenerateNode(env: IssueEnv, node: NodeState, cert: CertKind, at: string): NodeState {
  return produce(node, (draft) => {
    draft.generations[cert] += 1;
    draft.certs[cert] = issueNodeCert(env, draft, cert, draft.generations[cert], at);
    draft.lastRegen = { at, cert };
  });
}

/**
 * What an accepted regeneration does to the cluster (domain.md §4.3): ITLs whose inputs changed are
 * rebuilt and phones reset; a new publisher ITLRecovery (10.x) waits for a TFTP restart (A9) and
 * re-arms the not-backed-up alert. `state` already holds the regenerated node. Pure.
 */
export function afterRegeneration(state: ClusterState, event: CertRegenerateEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  let changed: string[] = [];
  const next = produce(state, (draft) => {
    if (event.cert === 'ITLRecovery' && node.role === 'publisher') markNotBackedUp(draft);
    else if (event.cert !== 'ITLRecovery') changed = refreshItls(draft, event.at);
  });
  return afterCertChange(next, changed, [`Successfully Regenerated Certificate for ${event.cert} on ${node.hostname}`]);
}

/** `set cert regen <cert>` on a node (domain.md §4): refused, or the node regenerated and its consequences. Pure. */
export function regenerateCert(state: ClusterState, event: CertRegenerateEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  const refusal = regenRefusal(state, node, event);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  const next = produce(
    state,
    (draft) => void (draft.nodes[state.nodes.indexOf(node)] = regenerateNode(state, node, event.cert, event.at)),
  );
  return afterRegeneration(next, event);
}

/** Regenerates CallManager, TVS and CAPF of some nodes at once (rename, domain change): no hold timer (A13), ITLRecovery kept. */
function renameCerts(draft: Draft<ClusterState>, nodes: Draft<NodeState>[], at: string): string[] {
  for (const node of nodes) {
    reissue(draft, node, 'CallManager', at);
    reissue(draft, node, 'TVS', at);
    if (node.certs.CAPF) reissue(draft, node, 'CAPF', at);
  }
  return refreshItls(draft, at);
}

/** `node.rename`: hostname change. Pure. */
export function renameNode(state: ClusterState, event: NodeRenameEvent): Step {
  let changed: string[] = [];
  const next = produce(state, (draft) => {
    const node = draft.nodes.find((n) => n.id === event.node)!;
    node.hostname = event.hostname;
    changed = renameCerts(draft, [node], event.at);
  });
  return afterCertChange(next, changed, [
    `${event.node} renamed to ${fqdn(event.hostname, state.domain)}: CallManager, TVS and CAPF regenerated at once`,
  ]);
}

/** `cluster.domain`: DNS domain change on every node. Pure. */
export function changeDomain(state: ClusterState, event: ClusterDomainEvent): Step {
  let changed: string[] = [];
  const next = produce(state, (draft) => {
    draft.domain = event.domain;
    changed = renameCerts(draft, draft.nodes, event.at);
  });
  return afterCertChange(next, changed, [
    `domain changed to ${event.domain}: every node's CallManager, TVS and CAPF regenerated at once`,
  ]);
}

/** `cluster.upgrade`: crossing 10.0(1) creates ITLRecovery; every service restarts; phones are not reset. Pure. */
export function upgradeCluster(state: ClusterState, event: ClusterUpgradeEvent): Step {
  const creates = !hasItlRecovery(state.version) && hasItlRecovery(event.version);
  const next = produce(state, (draft) => {
    draft.version = event.version;
    for (const node of creates ? draft.nodes : []) {
      node.recoveryFqdn = fqdn(node.hostname, draft.domain);
      node.certs.ITLRecovery = issueNodeCert(draft, node, 'ITLRecovery', node.generations.ITLRecovery, event.at);
    }
    for (const node of draft.nodes) startTftp(draft, node, event.at);
  });
  const notes = [
    `upgraded ${state.version} -> ${event.version}${compareVersions(state.version, event.version) === 0 ? ' (same version)' : ''}; every service restarted`,
  ];
  if (creates) notes.push("ITLRecovery key created on every node; the publisher's goes into every ITL");
  return stepOf(next, { notes });
}

/** `publisher.rebuild`: reinstalled without its keys, so new CallManager, TVS, CAPF and ITLRecovery; its services start. Pure. */
export function rebuildPublisher(state: ClusterState, event: PublisherRebuildEvent): Step {
  const next = produce(state, (draft) => {
    const publisher = publisherOf(draft) as Draft<NodeState>;
    publisher.recoveryFqdn = fqdn(publisher.hostname, draft.domain);
    for (const kind of ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const)
      if (publisher.certs[kind]) reissue(draft, publisher, kind, event.at);
    delete publisher.lastRegen;
    markNotBackedUp(draft);
    startTftp(draft, publisher, event.at);
    refreshItls(draft, event.at);
  });
  // Choice (domain.md is silent): a reinstall sends no automatic reset; phones fetch the new ITLs at their next reset.
  return stepOf(next, { notes: ['publisher rebuilt with new keys (CallManager, TVS, CAPF, ITLRecovery)'] });
}
