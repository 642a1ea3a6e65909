import type { Draft } from 'immer';
import { buildNodeItl, buildRollbackItl, certInputs, certPart, itlInputs } from './buildItls.ts';
import { itlRecoverySource } from './recoveryKey.ts';
import type { ClusterState, NodeState } from './clusterState.ts';
import type { SignerSignal } from './step.ts';

/**
 * The Cisco Tftp service starts on a node (`tftp.restart`, an upgrade, a rebuilt publisher): it
 * loads the publisher's current ITLRecovery and writes its normal ITL (`loadTftp`); an attacker's
 * impersonation ends (A12). Returns the signal for the node's signer machine. Mutates the draft.
 */
export function startTftp(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): SignerSignal[] {
  if (!node.tftp) return [];
  delete node.tftp.forgery;
  loadTftp(draft, node, at);
  return [{ node: node.id, event: { type: 'START' } }];
}

/**
 * What every start of the Cisco Tftp service does, the restarts inside `utils itl reset` included
 * (A10): load the publisher's current ITLRecovery and write the normal ITL with it. Mutates the draft.
 */
export function loadTftp(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  if (!node.tftp) return;
  const recovery = itlRecoverySource(draft as ClusterState, node as NodeState);
  if (recovery) node.tftp.loadedItlRecovery = recovery;
  else delete node.tftp.loadedItlRecovery;
  rebuild(draft, node, at);
}

/**
 * Writes the node's normal ITL. When what it is built from has not changed, the file stays the same
 * bytes, TIMESTAMP and SHA-1 included (CUCM logs "Tftp Itl hash not changed", docs/rules.md §6): the
 * hashes phones report stay comparable. A reset ITL or a broken copy of the old file is gone.
 */
function rebuild(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  const tftp = node.tftp!;
  const inputs = itlInputs(draft as ClusterState, node as NodeState);
  if (tftp.normalItl === '' || tftp.inputs !== inputs) {
    const itl = buildNodeItl(draft as ClusterState, node as NodeState, at);
    draft.itls[itl.sha1] = itl;
    tftp.normalItl = itl.sha1;
    tftp.inputs = inputs;
    if (draft.parameters.prepareRollbackPre80) writeRollbackItl(draft, node, at);
  }
  delete tftp.resetItl;
  delete tftp.corruption;
}

/** A25: the node writes its empty rollback ITL (the rollback parameter is True). Mutates the draft. */
export function writeRollbackItl(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  if (!node.tftp) return;
  const itl = buildRollbackItl(draft as ClusterState, node as NodeState, at);
  draft.itls[itl.sha1] = itl;
  node.tftp.rollbackItl = itl.sha1;
}

/**
 * Rebuilds every TFTP node's ITL whose certificate inputs changed after a certificate change
 * (docs/rules.md §6), in the current security mode (A22); returns the signals for their signer
 * machines (a rebuild ends a reset ITL, Q5). A security mode changed by `utils ctl set-cluster` alone
 * rebuilds nothing: a node takes it at its next write, so a change that rebuilds no ITL (CAPF of a
 * subscriber) resets no phone. Mutates the draft.
 */
export function refreshItls(draft: Draft<ClusterState>, at: string): SignerSignal[] {
  const changed: SignerSignal[] = [];
  for (const node of draft.nodes) {
    if (!node.tftp || certPart(node.tftp.inputs) === certInputs(draft as ClusterState, node as NodeState)) continue;
    rebuild(draft, node, at);
    changed.push({ node: node.id, event: { type: 'REBUILT' } });
  }
  return changed;
}
