/**
 * Enterprise parameters, service restarts and certificate reuse (docs/rules.md §17): the events
 * that change what phones are offered without a certificate regeneration of their own. Pure.
 */
import { produce, type Draft } from 'immer';
import { issueCertificate } from '../certs/issueCertificate.ts';
import type { CertReuseEvent, ClusterParameterEvent, ServiceRestartEvent } from '../events.ts';
import { hasCertificateReuse, hasPhoneInteractionParameter, rollbackParameterResetsPhones } from '../releases.ts';
import { publisherOf } from './buildItls.ts';
import { certChangeResetsPhones, onlinePhones } from './certEvents.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import { fqdn } from './issueNodeCert.ts';
import { nodeName } from './notes.ts';
import { refreshItls, writeRollbackItl } from './refreshItls.ts';
import { AUTO_RESET_SECONDS, stepOf, type SignerSignal, type Step } from './step.ts';

/**
 * `cluster.parameter`. "Prepare Cluster for Rollback to pre-8.0" (P2, A25): while True every TFTP
 * node serves the empty rollback ITL; each change resets every phone from 10.5 (SG125). "Phone
 * Interaction on Certificate Update" (P1, A24): from 14 only; below 14 nothing changes and the
 * model says so (an expected failure is data). Pure.
 */
export function changeParameter(state: ClusterState, event: ClusterParameterEvent): Step {
  if (event.name === 'phoneInteractionOnCertificateUpdate') {
    if (!hasPhoneInteractionParameter(state.version))
      return stepOf(state, {
        refusals: [{ kind: 'notInRelease', feature: 'phoneInteractionOnCertificateUpdate', version: state.version }],
      });
    const next = produce(state, (draft) => void (draft.parameters.phoneInteractionOnCertificateUpdate = event.value));
    return stepOf(next, { notes: [{ kind: 'parameterChanged', name: event.name, value: event.value, resets: false }] });
  }
  const changed = state.parameters.prepareRollbackPre80 !== event.value;
  let signals: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.parameters.prepareRollbackPre80 = event.value;
    if (!changed) return;
    if (event.value) draft.rollbackSince = event.at;
    else delete draft.rollbackSince;
    signals = draft.nodes.flatMap((n): SignerSignal[] => {
      if (!n.tftp) return [];
      if (event.value) writeRollbackItl(draft, n, event.at);
      return [{ node: n.id, event: { type: event.value ? 'ROLLBACK_ON' : 'ROLLBACK_OFF' } }];
    });
  });
  const resets = changed && rollbackParameterResetsPhones(state.version);
  return stepOf(next, {
    notes: [{ kind: 'parameterChanged', name: event.name, value: event.value ? 'True' : 'False', resets }],
    restarts: resets ? onlinePhones(next) : [],
    signals,
  });
}

/** `service.restart`: CallManager, CTIManager, TVS or CAPF restarts; no trust-list effect (A22). Pure. */
export function restartService(state: ClusterState, event: ServiceRestartEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  return stepOf(state, { notes: [{ kind: 'serviceRestarted', node: nodeName(node), service: event.service }] });
}

/**
 * `cert.reuse` (14+, REUSE; A38): every node's CallManager becomes one multi-SAN certificate at once
 * (no hold timer, like a domain change); ITLs are rebuilt and phones reset per P1; in mixed mode the
 * CTL is stale until `utils ctl update CTLFile`. CallManager-ECDSA is not modelled (A35). Pure.
 */
export function reuseCertificate(state: ClusterState, event: CertReuseEvent): Step {
  if (!hasCertificateReuse(state.version))
    return stepOf(state, { refusals: [{ kind: 'notInRelease', feature: 'certificateReuse', version: state.version }] });
  if (event.from === 'tomcat-ECDSA') return stepOf(state, { notes: [{ kind: 'notModelled', what: 'ecdsa' }] });
  const publisher = publisherOf(state);
  const shared = issueCertificate({
    kind: 'CallManager',
    fqdn: fqdn(publisher.hostname, state.domain),
    subject: state.subject,
    bits: publisher.certBits?.CallManager ?? publisher.keyBits,
    at: event.at,
    seed: `${state.seed}/tomcat/${state.reuses}`,
  });
  let rebuilt: SignerSignal[] = [];
  const next = produce(state, (draft) => {
    draft.reuses += 1;
    for (const node of draft.nodes as Draft<NodeState>[]) node.certs.CallManager = shared;
    if (draft.ctl) draft.ctlStale = true;
    rebuilt = refreshItls(draft, event.at);
  });
  const resets = rebuilt.length > 0 && certChangeResetsPhones(next);
  return stepOf(next, {
    notes: [
      { kind: 'certificatesReused', nodes: next.nodes.map(nodeName) },
      ...(rebuilt.length
        ? [
            {
              kind: 'itlsRebuilt' as const,
              nodes: rebuilt.map((s) => nodeName(next.nodes.find((n) => n.id === s.node)!)),
              seconds: resets ? AUTO_RESET_SECONDS : null,
            },
          ]
        : []),
    ],
    restarts: resets ? onlinePhones(next) : [],
    signals: rebuilt,
  });
}
