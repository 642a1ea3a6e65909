import { produce, type Draft } from 'immer';
import type { CertKind } from '../certs/issueCertificate.ts';
import type {
  CertRegenerateEvent,
  ClusterDomainEvent,
  ClusterUpgradeEvent,
  NodeRenameEvent,
  PublisherRebuildEvent,
} from '../events.ts';
import {
  capfOnEveryNode,
  hasItlRecovery,
  hasPhoneInteractionParameter,
  itlRecoveryRegenRebuildsAtOnce,
  itlRecoveryYears,
  singleItlRecovery,
  upgradeRegeneratesItlRecovery,
} from '../releases.ts';
import { markNotBackedUp } from './backupEvents.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import { regenRefusal } from './holdTimer.ts';
import { fqdn, issueNodeCert } from './issueNodeCert.ts';
import { nodeName, type Note } from './notes.ts';
import { itlRecoverySource } from './recoveryKey.ts';
import { loadTftp, refreshItls, startTftp } from './refreshItls.ts';
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
 * P1 (A24): whether a certificate change resets the phones: always before 14; from 14 when "Phone
 * Interaction on Certificate Update" is automatic (the default). Pure.
 */
export function certChangeResetsPhones(state: ClusterState): boolean {
  return (
    !hasPhoneInteractionParameter(state.version) || state.parameters.phoneInteractionOnCertificateUpdate === 'automatic'
  );
}

/**
 * After certificates changed: the ITLs whose inputs changed were rebuilt; if any was, every
 * powered-on phone resets (docs/rules.md §6), back AUTO_RESET_SECONDS later (A14) — from 14 only
 * when the parameter says so (P1). `signals`: for the signer machines (REBUILT, and LOADED when the
 * nodes took a new ITLRecovery at once). Pure.
 */
function afterCertChange(next: ClusterState, signals: SignerSignal[], notes: Note[]): Step {
  const rebuilt = signals.filter((s) => s.event.type === 'REBUILT');
  if (rebuilt.length === 0) return stepOf(next, { notes, signals });
  const nodes = rebuilt.map((s) => nodeName(next.nodes.find((n) => n.id === s.node)!));
  const resets = certChangeResetsPhones(next);
  return stepOf(next, {
    notes: [...notes, { kind: 'itlsRebuilt', nodes, seconds: resets ? AUTO_RESET_SECONDS : null }],
    restarts: resets ? onlinePhones(next) : [],
    signals,
  });
}

/** The cluster facts a node needs to issue a certificate (its seed, domain and names). */
export type IssueEnv = Pick<ClusterState, 'seed' | 'domain' | 'subject'>;

/** What a regeneration asks for besides the certificate: a key size, a validity (ITLRecovery, 14+). */
export type RegenRequest = Pick<CertRegenerateEvent, 'keyBits' | 'years'>;

/**
 * A node after an accepted `set cert regen`: the new certificate (with the key size asked for, and
 * for ITLRecovery the validity of its release, A30), and the hold timer started (A13). Pure.
 */
export function regenerateNode(
  env: IssueEnv & Pick<ClusterState, 'version'>,
  node: NodeState,
  cert: CertKind,
  at: string,
  request: RegenRequest = {},
): NodeState {
  return produce(node, (draft) => {
    draft.generations[cert] += 1;
    if (request.keyBits && request.keyBits !== (draft.certBits?.[cert] ?? draft.keyBits))
      draft.certBits = { ...draft.certBits, [cert]: request.keyBits };
    const years = cert === 'ITLRecovery' ? itlRecoveryYears(env.version, request.years) : undefined;
    draft.certs[cert] = issueNodeCert(env, draft, cert, draft.generations[cert], at, years);
    draft.lastRegen = { at, cert };
    draft.holdTimer = 'running';
  });
}

/**
 * An ITLRecovery changed: every TFTP node whose loaded one is no longer the one it would load waits
 * for its next TFTP start (A10, A23). Pure.
 */
function recoveryChanged(state: ClusterState, except: string[] = []): SignerSignal[] {
  return state.nodes
    .filter(
      (n) =>
        n.tftp &&
        !except.includes(n.id) &&
        n.tftp.loadedItlRecovery?.cert.sha1 !== itlRecoverySource(state, n)?.cert.sha1,
    )
    .map((n) => ({ node: n.id, event: { type: 'RECOVERY_CHANGED' } }));
}

/**
 * Whether a node's certificate is one the CTL holds, so mixed mode needs `utils ctl update CTLFile`
 * after it changes (H9): every node's CallManager; the publisher's CAPF and ITLRecovery (A21). Pure.
 */
function inCtl(cert: CertKind, node: NodeState): boolean {
  return cert === 'CallManager' || ((cert === 'CAPF' || cert === 'ITLRecovery') && node.role === 'publisher');
}

/**
 * What an accepted regeneration does to the cluster (docs/rules.md §6, §15): ITLs whose inputs
 * changed are rebuilt and phones reset (from 14 per P1). A new ITLRecovery — the publisher's, the
 * cluster's one from 12.5 (copied to every node), or in 12.0 with per-node signing a node's own —
 * waits on disk for each node's next TFTP restart up to 12.5 (A9, A10, A23), and from 14 is loaded,
 * signs the rebuilt ITLs and resets phones at once (A23); on the publisher it re-arms the
 * not-backed-up alert. In mixed mode a change of a certificate the CTL holds leaves it stale (H9).
 * `state` already holds the regenerated node. Pure.
 */
export function afterRegeneration(state: ClusterState, event: CertRegenerateEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  const regenerated: Note = { kind: 'regenerated', node: nodeName(node), cert: event.cert };
  const staled = produce(state, (draft) => {
    if (draft.ctl && inCtl(event.cert, node)) draft.ctlStale = true;
  });
  if (event.cert === 'ITLRecovery') {
    const copied = produce(staled, (draft) => {
      const fresh = draft.nodes.find((n) => n.id === event.node)!.certs.ITLRecovery!;
      if (singleItlRecovery(draft.version)) for (const n of draft.nodes) n.certs.ITLRecovery = fresh;
      if (node.role === 'publisher') markNotBackedUp(draft);
    });
    if (!itlRecoveryRegenRebuildsAtOnce(copied.version))
      return stepOf(copied, { notes: [regenerated], signals: recoveryChanged(copied) });
    let signals: SignerSignal[] = [];
    const next = produce(copied, (draft) => {
      signals = draft.nodes.flatMap((n): SignerSignal[] => {
        if (!n.tftp) return [];
        loadTftp(draft, n, event.at);
        return [
          { node: n.id, event: { type: 'LOADED' } },
          { node: n.id, event: { type: 'REBUILT' } },
        ];
      });
    });
    return afterCertChange(next, signals, [regenerated]);
  }
  let rebuilt: SignerSignal[] = [];
  const next = produce(staled, (draft) => void (rebuilt = refreshItls(draft, event.at)));
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
  nodes[index] = regenerateNode(state, node, event.cert, event.at, event);
  return afterRegeneration({ ...state, nodes }, event);
}

/** The certificates a rename or domain change regenerates on a node: CallManager, TVS, and CAPF where it has one (none on a 14+ subscriber). Pure. */
function renamedCerts(node: NodeState): CertKind[] {
  return node.certs.CAPF ? ['CallManager', 'TVS', 'CAPF'] : ['CallManager', 'TVS'];
}

/** Regenerates CallManager, TVS and CAPF of some nodes at once (rename, domain change): no hold timer (A13), ITLRecovery kept. */
function renameCerts(draft: Draft<ClusterState>, nodes: Draft<NodeState>[], at: string): SignerSignal[] {
  for (const node of nodes) for (const cert of renamedCerts(node)) reissue(draft, node, cert, at);
  if (draft.ctl) draft.ctlStale = true;
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
    { kind: 'renamed', node: nodeName(node), fqdn: fqdn(event.hostname, state.domain), certs: renamedCerts(node) },
  ]);
}

/** `cluster.domain`: DNS domain change on every node. Pure. */
export function changeDomain(state: ClusterState, event: ClusterDomainEvent): Step {
  let rebuilt: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.domain = event.domain;
    rebuilt = renameCerts(draft, draft.nodes, event.at);
  });
  const certs = next.nodes.map((node) => ({ node: nodeName(node), certs: renamedCerts(node) }));
  return afterCertChange(next, rebuilt, [{ kind: 'domainChanged', domain: event.domain, certs }]);
}

/**
 * `cluster.upgrade` (docs/rules.md §15): every service restarts, so every TFTP node writes its ITL
 * as the new release builds it (from 12.0 signed by ITLRecovery); phones are not reset. Crossing
 * 10.0(1) creates ITLRecovery on every node. Crossing 12.5 makes the publisher's the cluster's one
 * (A33) — and a refresh upgrade to 12.5(1), SU1 or SU2 regenerates it first (FN70613, A29). Crossing
 * 14 removes the subscribers' CAPF and brings "Phone Interaction on Certificate Update" (automatic). Pure.
 */
export function upgradeCluster(state: ClusterState, event: ClusterUpgradeEvent): Step {
  const creates = !hasItlRecovery(state.version) && hasItlRecovery(event.version);
  const fn70613 = upgradeRegeneratesItlRecovery(state.version, event.version, event.method ?? 'refresh');
  let signals: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.version = event.version;
    for (const node of creates ? draft.nodes : []) {
      node.recoveryFqdn = fqdn(node.hostname, draft.domain);
      node.certs.ITLRecovery = issueNodeCert(draft, node, 'ITLRecovery', node.generations.ITLRecovery, event.at);
    }
    const publisher = publisherOf(draft) as Draft<NodeState>;
    if (fn70613 && publisher.certs.ITLRecovery) {
      publisher.generations.ITLRecovery += 1;
      publisher.certs.ITLRecovery = issueNodeCert(
        draft,
        publisher,
        'ITLRecovery',
        publisher.generations.ITLRecovery,
        event.at,
        itlRecoveryYears(event.version),
      );
      markNotBackedUp(draft);
      if (draft.ctl) draft.ctlStale = true;
    }
    if (singleItlRecovery(event.version) && publisher.certs.ITLRecovery)
      for (const node of draft.nodes) node.certs.ITLRecovery = publisher.certs.ITLRecovery;
    if (!capfOnEveryNode(event.version)) for (const node of draft.nodes) if (node !== publisher) delete node.certs.CAPF;
    signals = draft.nodes.flatMap((node) => startTftp(draft, node, event.at));
  });
  return stepOf(next, {
    notes: [
      {
        kind: 'upgraded',
        from: state.version,
        to: event.version,
        createsRecovery: creates,
        regeneratesRecovery: fn70613,
      },
    ],
    signals,
  });
}

/**
 * `publisher.rebuild`: reinstalled without its keys, so new CallManager, TVS, CAPF and ITLRecovery;
 * its services start. From 12.5 the new ITLRecovery is the cluster's and is distributed to the
 * subscribers as they join the rebuilt publisher, so every TFTP node starts with it (a choice:
 * scenario r11 has the subscriber's phones meet the new ITLRecovery at the next reset); before, the
 * subscribers keep what they loaded until their next TFTP start (A10). Pure.
 */
export function rebuildPublisher(state: ClusterState, event: PublisherRebuildEvent): Step {
  let signals: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    const publisher = publisherOf(draft) as Draft<NodeState>;
    publisher.recoveryFqdn = fqdn(publisher.hostname, draft.domain);
    for (const kind of ['CallManager', 'TVS', 'CAPF', 'ITLRecovery'] as const)
      if (publisher.certs[kind]) reissue(draft, publisher, kind, event.at);
    delete publisher.lastRegen;
    publisher.holdTimer = 'idle';
    if (singleItlRecovery(draft.version) && publisher.certs.ITLRecovery)
      for (const node of draft.nodes) node.certs.ITLRecovery = publisher.certs.ITLRecovery;
    markNotBackedUp(draft);
    if (draft.ctl) draft.ctlStale = true;
    const starting = singleItlRecovery(draft.version) ? draft.nodes : [publisher];
    signals = [...starting.flatMap((n) => startTftp(draft, n, event.at)), ...refreshItls(draft, event.at)];
  });
  const publisher = publisherOf(state);
  const stale = publisher.certs.ITLRecovery ? recoveryChanged(next, [publisher.id]) : [];
  // Choice (the sources are silent): a reinstall sends no automatic reset; phones fetch the new ITLs at their next reset.
  return stepOf(next, { notes: [{ kind: 'publisherRebuilt' }], signals: [...signals, ...stale] });
}
