import { produce } from 'immer';
import { issueCertificate, type Identity } from '../certs/issueCertificate.ts';
import { keyFor } from '../crypto/keyStore.ts';
import type { ItlResetEvent, TftpCorruptEvent, TftpForgeEvent, TftpRestartEvent } from '../events.ts';
import { hasItlRecovery, resetRestartsTftp, singleItlRecovery } from '../releases.ts';
import { buildForgedItl, buildResetItl, genuineItl, localkeySigner, publisherOf } from './buildItls.ts';
import { nodeName } from './notes.ts';
import type { ClusterState } from './clusterState.ts';
import { fqdn } from './issueNodeCert.ts';
import { corruptedCopy } from './itlStore.ts';
import { openP12 } from './p12.ts';
import type { Refusal } from './refusals.ts';
import { loadTftp, startTftp } from './refreshItls.ts';
import { stepOf, type SignerSignal, type Step } from './step.ts';

/** `tftp.restart`: the Cisco Tftp service restarts on a node. Pure. */
export function restartTftp(state: ClusterState, event: TftpRestartEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  if (!node.tftp)
    return stepOf(state, { refusals: [{ kind: 'tftpNotActive', node: node.id, hostname: node.hostname }] });
  let signals: SignerSignal[] = [];
  const next = produce(
    state,
    (draft) =>
      void (signals = startTftp(
        draft,
        draft.nodes.find((n) => n.id === event.node)!,
        event.at,
      )),
  );
  return stepOf(next, { notes: [{ kind: 'tftpRestarted', node: nodeName(node) }], signals });
}

/**
 * The ITLRecovery key `utils itl reset` works with, or why the command fails (docs/rules.md §13; A7,
 * A8): the publisher's own (localkey), or the one in the p12 at the SFTP location (remotekey).
 */
function recoveryKey(state: ClusterState, event: ItlResetEvent): { identity: Identity } | { refusal: Refusal } {
  if (event.key === 'localkey') {
    // From 10.0(1) (checked before) the publisher always holds its ITLRecovery key and p12.
    const identity = publisherOf(state).certs.ITLRecovery;
    if (!identity) throw new Error('bug: a 10.x publisher without its ITLRecovery key');
    return { identity };
  }
  const location = `${event.user}@${event.host}:${event.path}`;
  const backup = state.backups.find((b) => b.location === location);
  if (!backup) return { refusal: { kind: 'remoteP12Missing', host: event.host, path: event.path } };
  const opened = openP12(backup.p12, state.secrets.p12Password);
  if (!opened.ok) return { refusal: { kind: 'p12WrongPassword', reason: opened.reason } };
  if (opened.modulusHex !== keyFor(backup.key).numbers.n.toString(16) || opened.certDer !== backup.cert.der)
    throw new Error('bug: backup metadata does not match its p12');
  return { identity: { key: backup.key, cert: backup.cert } };
}

/**
 * Why `utils itl reset` is refused or fails, if it is (docs/rules.md §8, §13): not the publisher,
 * before 10.0(1), no usable p12 (A7, A8), a 1024-bit ITLRecovery with 2048-bit server certificates.
 * The cluster machine decides the command with this guard. Pure.
 */
export function resetRefusal(state: ClusterState, event: ItlResetEvent): Refusal | undefined {
  const node = state.nodes.find((n) => n.id === event.node)!;
  if (node.role !== 'publisher') return { kind: 'notPublisher', node: node.id };
  if (!hasItlRecovery(state.version)) return { kind: 'resetBefore10', version: state.version };
  const key = recoveryKey(state, event);
  if ('refusal' in key) return key.refusal;
  if (recoveryKeyTooShort(state, key.identity)) return { kind: 'recoveryKeyTooShort', command: 'itl.reset' };
  return undefined;
}

/**
 * H1 (REGEN; A28): a 1024-bit ITLRecovery key while the publisher's CallManager certificate is
 * longer: `utils itl reset` (either key) and `utils ctl reset localkey` fail before writing anything.
 * The publisher's, not any node's: the seed's own cluster has a 2048-bit subscriber and a 1024-bit
 * ITLRecovery, and its reset worked [SEED] (docs/rules.md §18, H1). Pure.
 */
export function recoveryKeyTooShort(state: ClusterState, recovery: Identity): boolean {
  return recovery.key.bits === 1024 && publisherOf(state).certs.CallManager.key.bits > 1024;
}

/** `utils itl reset localkey|remotekey` (docs/rules.md §8): publisher only; the reset ITL goes to every TFTP node until its next restart. Pure. */
export function resetItl(state: ClusterState, event: ItlResetEvent): Step {
  const refusal = resetRefusal(state, event);
  if (refusal) return stepOf(state, { refusals: [refusal] });
  const key = recoveryKey(state, event) as { identity: Identity };
  const servers = state.nodes.filter((n) => n.tftp);
  const restarts = resetRestartsTftp(state.version);
  const next = produce(state, (draft) => {
    // SEED-ZH: with remotekey, the publisher's local key is replaced by the remote one (from 12.5 the
    // cluster's one key, so every node's copy).
    if (event.key === 'remotekey')
      for (const n of singleItlRecovery(draft.version) ? draft.nodes : [publisherOf(draft)])
        n.certs.ITLRecovery = key.identity;
    // Before 12.0 it signs with the ITLRecovery key; from 12.0 localkey signs with the publisher's CallManager key.
    const signer = event.key === 'remotekey' ? key.identity : localkeySigner(draft as ClusterState);
    const itl = buildResetItl(draft as ClusterState, signer, event.at);
    draft.itls[itl.sha1] = itl;
    // Before 12.0 (A10) the command restarts TFTP on every TFTP node, which loads the ITLRecovery now on the
    // publisher (the restored one after remotekey) into the normal ITL; Q5: the restarted service serves the
    // reset ITL. From 12.0 it only transfers the file, served until each node's next TFTP restart (CLI125).
    for (const n of draft.nodes) {
      if (!n.tftp) continue;
      if (restarts) loadTftp(draft, n, event.at);
      n.tftp.resetItl = itl.sha1;
    }
  });
  return stepOf(next, {
    notes: [{ kind: 'resetItlServed', mode: event.key, nodes: servers.map(nodeName) }],
    signals: servers.flatMap((n): SignerSignal[] => [
      { node: n.id, event: { type: 'RESET' } },
      ...(restarts ? [{ node: n.id, event: { type: 'LOADED' } } as const] : []),
    ]),
  });
}

/** `tftp.corrupt`: the genuine ITL the node serves reaches phones with a broken signature until the node writes a new file. Pure. */
export function corruptTftp(state: ClusterState, event: TftpCorruptEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  if (!node.tftp)
    return stepOf(state, { refusals: [{ kind: 'tftpNotActive', node: node.id, hostname: node.hostname }] });
  const copy = corruptedCopy(state.itls[genuineItl(node.tftp)]!);
  const next = produce(state, (draft) => {
    draft.itls[copy.sha1] = copy;
    draft.nodes.find((n) => n.id === event.node)!.tftp!.corruption = { itl: copy.sha1 };
  });
  return stepOf(next, {
    notes: [{ kind: 'corrupted', node: nodeName(node) }],
    signals: [{ node: node.id, event: { type: 'CORRUPT' } }],
  });
}

/** `tftp.forge`: an attacker's TFTP server impersonates a node (ASSUMPTION A12). Pure. */
export function forgeTftp(state: ClusterState, event: TftpForgeEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  if (!node.tftp)
    return stepOf(state, { refusals: [{ kind: 'tftpNotActive', node: node.id, hostname: node.hostname }] });
  const attacker = issueCertificate({
    kind: 'CallManager',
    fqdn: fqdn(node.hostname, state.domain),
    subject: { O: 'attacker' },
    bits: 2048,
    at: event.at,
    seed: `${state.seed}/attacker/${state.forgeries}`,
  });
  const next = produce(state, (draft) => {
    const itl = buildForgedItl(node, attacker, event.at);
    draft.itls[itl.sha1] = itl;
    draft.forgeries += 1;
    draft.nodes.find((n) => n.id === event.node)!.tftp!.forgery = { itl: itl.sha1, identity: attacker };
  });
  return stepOf(next, {
    notes: [{ kind: 'forged', node: nodeName(node) }],
    signals: [{ node: node.id, event: { type: 'FORGE' } }],
  });
}
