import type { NodeState } from './clusterState.ts';

/** What a node's TFTP service serves: nothing, its own ITL, the reset ITL, or (impersonated) an attacker's. */
export type TftpMode = 'inactive' | 'normal' | 'reset' | 'forged';

/** The TFTP mode of a node, as its signer machine's state says. Pure. */
export function tftpMode(node: NodeState): TftpMode {
  return node.tftp ? node.tftp.signer.serving : 'inactive';
}
