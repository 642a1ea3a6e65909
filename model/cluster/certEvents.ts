import { produce, type Draft } from 'immer';
import type { CertKind } from '../certs/issueCertificate.ts';
import type {
  CertRegenerateEvent,
  ClusterDomainEvent,
  ClusterUpgradeEvent,
  NodeRenameEvent,
  PublisherRebuildEvent,
} from '../events.ts';
import { hasItlRecovery } from '../version.ts';
import { markNotBackedUp } from './backupEvents.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import { regenRefusal } from './holdTimer.ts';
import { fqdn, issueNodeCert } from './issueNodeCert.ts';
import { nodeName, type Note } from './notes.ts';
import { refreshItls, startTftp } from './refreshItls.ts';
import { AUTO_RESET_SECONDS, stepOf, type SignerSignal, type Step } from './step.ts';

function reissue(draft: Draft<ClusterState>, node: Draft<NodeState>, kind: CertKind, at: string): void {
  node.generations[kind] += 1;
  node.certs[kind] = issueNodeCert(draft, node, kind, node.generations[kind], at);
}

/** Phones that are powered on: the ones an automatic reset reaches. Pure. */
export function onlinePhones(state: ClusterState): string[] {
  return state.phones.filter((p) => p.online).map((p) => p.id);
}

/**
 * After certificates changed: the ITLs whose inputs changed were rebuilt; if any was, every
 * powered-on phone resets (docs/rules.md §6), back AUTO_RESET_SECONDS later (A14). Pure.
 */
function afterCertChange(next: ClusterState, rebuilt: SignerSignal[], notes: Note[]): Step {
  if (rebuilt.length === 0) return stepOf(next, { notes });
  const nodes = rebuilt.map((s) => nodeName(next.nodes.find((n) => n.id === s.node)!));
  return stepOf(next, {
    notes: [...notes, { kind: 'itlsRebuilt', nodes, seconds: AUTO_RESET_SECONDS }],
    restarts: onlinePhones(next),
    signals: rebuilt,
  });
}

/** The cluster facts a node needs to issue a certificate (its seed, domain and names). */
export type IssueEnv = Pick<ClusterState, 'seed' | 'domain' | 'subject'>;

/** A node after an accepted `set cert regen`: the new certificate, and the hold timer started (A13). Pure. */
export function regenerateNode(env: IssueEnv, node: NodeState, cert: CertKind, at: string): NodeState {
  return produce(node, (draft) => {
    draft.generations[cert] += 1;
    draft.certs[cert] = issueNodeCert(env, draft, cert, draft.generations[cert], at);
    draft.lastRegen = { at, cert };
    draft.holdTimer = 'running';
  });
}

/** The publisher's ITLRecovery changed: every TFTP node that has not loaded it waits for its next TFTP start (A10). Pure. */
function recoveryChanged(state: ClusterState, except: string[] = []): SignerSignal[] {
  return state.nodes
    .filter((n) => n.tftp && !except.includes(n.id))
    .map((n) => ({ node: n.id, event: { type: 'RECOVERY_CHANGED' } }));
}

/**
 * What an accepted regeneration does to the cluster (docs/rules.md §6): ITLs whose inputs changed
 * are rebuilt and phones reset; a new publisher ITLRecovery (10.x) waits for a TFTP restart (A9, A10)
 * and re-arms the not-backed-up alert. `state` already holds the regenerated node. Pure.
 */
export function afterRegeneration(state: ClusterState, event: CertRegenerateEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  const regenerated: Note = { kind: 'regenerated', node: nodeName(node), cert: event.cert };
  if (event.cert === 'ITLRecovery') {
    if (node.role !== 'publisher') return stepOf(state, { notes: [regenerated] });
    return stepOf(produce(state, markNotBackedUp), { notes: [regenerated], signals: recoveryChanged(state) });
  }
  let rebuilt: SignerSignal[] = [];
  const next = produce(state, (draft) => void (rebuilt = refreshItls(draft, event.at)));
  return afterCertChange(next, rebuilt, [regenerated]);
}

/**
 * `set cert regen <cert>` as the model decides it (the node machine decides the same in
 * machines/nodeMachine.ts), once time has passed for the hold timers (`tickHold`): refused, or the
 * node regenerated and its consequences follow. Pure.
 */
export function regenerateCert(state: ClusterState, event: CertRegenerateEvent): Step {
  const index = state.nodes.findIndex((n) => n.id === event.node);
  const node = state.nodes[index]!;
  const refusal = regenRefusal(state, node, event.cert);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  const nodes = state.nodes.slice();
  nodes[index] = regenerateNode(state, node, event.cert, event.at);
  return afterRegeneration({ ...state, nodes }, event);
}

/** Regenerates CallManager, TVS and CAPF of some nodes at once (rename, domain change): no hold timer (A13), ITLRecovery kept. */
function renameCerts(draft: Draft<ClusterState>, nodes: Draft<NodeState>[], at: string): SignerSignal[] {
  for (const node of nodes) {
    reissue(draft, node, 'CallManager', at);
    reissue(draft, node, 'TVS', at);
    if (node.certs.CAPF) reissue(draft, node, 'CAPF', at);
  }
  return refreshItls(draft, at);
}

/** `node.rename`: hostname change. Pure. */
export function renameNode(state: ClusterState, event: NodeRenameEvent): Step {
  let rebuilt: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    const node = draft.nodes.find((n) => n.id === event.node)!;
    node.hostname = event.hostname;
    rebuilt = renameCerts(draft, [node], event.at);
  });
  const node = next.nodes.find((n) => n.id === event.node)!;
  return afterCertChange(next, rebuilt, [
    { kind: 'renamed', node: nodeName(node), fqdn: fqdn(event.hostname, state.domain) },
  ]);
}

/** `cluster.domain`: DNS domain change on every node. Pure. */
export function changeDomain(state: ClusterState, event: ClusterDomainEvent): Step {
  let rebuilt: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.domain = event.domain;
    rebuilt = renameCerts(draft, draft.nodes, event.at);
  });
  return afterCertChange(next, rebuilt, [{ kind: 'domainChanged', domain: event.domain }]);
}

/** `cluster.upgrade`: crossing 10.0(1) creates ITLRecovery; every service restarts; phones are not reset. Pure. */
export function upgradeCluster(state: ClusterState, event: ClusterUpgradeEvent): Step {
  const creates = !hasItlRecovery(state.version) && hasItlRecovery(event.version);
  let signals: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.version = event.version;
    for (const node of creates ? draft.nodes : []) {
      node.recoveryFqdn = fqdn(node.hostname, draft.domain);
      node.certs.ITLRecovery = issueNodeCert(draft, node, 'ITLRecovery', node.generations.ITLRecovery, event.at);
    }
    signals = draft.nodes.flatMap((node) => startTftp(draft, node, event.at));
  });
  return stepOf(next, {
    notes: [{ kind: 'upgraded', from: state.version, to: event.version, createsRecovery: creates }],
    signals,
  });
}

/** `publisher.rebuild`: reinstalled without its keys, so new CallManager, TVS, CAPF and ITLRecovery; its services start. Pure. */
export function rebuildPublisher(state: ClusterState, event: PublisherRebuildEvent): Step {
  let signals: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    const publisher = publisherOf(draft) as Draft<NodeState>;
    publisher.recoveryFqdn = fqdn(publisher.hostname, draft.domain);
    for (const kind of ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const)
      if (publisher.certs[kind]) reissue(draft, publisher, kind, event.at);
    delete publisher.lastRegen;
    publisher.holdTimer = 'idle';
    markNotBackedUp(draft);
    signals = [...startTftp(draft, publisher, event.at), ...refreshItls(draft, event.at)];
  });
  const publisher = publisherOf(state);
  const stale = publisher.certs.ITLRecovery ? recoveryChanged(next, [publisher.id]) : [];
  // Choice (the sources are silent): a reinstall sends no automatic reset; phones fetch the new ITLs at their next reset.
  return stepOf(next, { notes: [{ kind: 'publisherRebuilt' }], signals: [...signals, ...stale] });
}
