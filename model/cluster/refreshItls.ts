import type { Draft } from 'immer';
import { buildNodeItl, itlInputs, publisherOf } from './buildItls.ts';
import type { ClusterState, NodeState } from './clusterState.ts';

/**
 * The Cisco Tftp service starts on a node (`tftp.restart`, an upgrade, a rebuilt publisher): it loads
 * the publisher's current ITLRecovery and builds its normal ITL (`loadTftp`), and drops a reset ITL
 * (Q5) and an attacker's impersonation (A12). Mutates the draft.
 */
export function startTftp(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  if (!node.tftp) return;
  delete node.tftp.forgery;
  loadTftp(draft, node, at);
}

/**
 * What every start of the Cisco Tftp service does, the restarts inside `utils itl reset` included
 * (A10): load the publisher's current ITLRecovery and build the normal ITL with it. An attacker's
 * impersonation is not ended by the reset's own restarts (A12). Mutates the draft.
 */
export function loadTftp(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  if (!node.tftp) return;
  const recovery = publisherOf(draft).certs.ITLRecovery?.cert;
  if (recovery) node.tftp.loadedItlRecovery = recovery;
  else delete node.tftp.loadedItlRecovery;
  rebuild(draft, node, at);
}

function rebuild(draft: Draft<ClusterState>, node: Draft<NodeState>, at: string): void {
  const tftp = node.tftp!;
  const itl = buildNodeItl(draft as ClusterState, node as NodeState, at);
  draft.itls[itl.sha1] = itl;
  tftp.normalItl = itl.sha1;
  tftp.inputs = itlInputs(draft as ClusterState, node as NodeState);
  tftp.mode = 'normal';
  delete tftp.resetItl;
  // A new file is written: a corrupted copy of the old one is gone.
  delete tftp.corruption;
}

/**
 * Rebuilds every TFTP node's ITL whose inputs changed after a certificate change (domain.md §2.3);
 * a rebuild also ends a reset ITL (Q5). Returns the ids of the nodes whose ITL changed. Mutates the draft.
 */
export function refreshItls(draft: Draft<ClusterState>, at: string): string[] {
  const changed: string[] = [];
  for (const node of draft.nodes) {
    if (!node.tftp || node.tftp.inputs === itlInputs(draft as ClusterState, node as NodeState)) continue;
    rebuild(draft, node, at);
    changed.push(node.id);
  }
  return changed;
}
