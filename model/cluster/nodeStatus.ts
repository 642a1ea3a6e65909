import type { ModelOptions, NodeState } from './clusterState.ts';
import { HOLD_SECONDS } from './certEvents.ts';
import { secondsBetween } from './step.ts';

/** What a node's TFTP service serves: nothing, its own ITL, the reset ITL, or (impersonated) an attacker's. Pure. */
export type TftpMode = 'inactive' | 'normal' | 'reset' | 'forged';

/** The TFTP mode of a node. Pure. */
export function tftpMode(node: NodeState): TftpMode {
  if (!node.tftp) return 'inactive';
  if (node.tftp.forgery) return 'forged';
  return node.tftp.mode;
}

/** Whether the 5-minute hold timer of a node is over at a given time (or was never started, or is switched off). Pure. */
export function holdExpired(node: NodeState, at: string, options: ModelOptions): boolean {
  return !options.holdTimer || !node.lastRegen || secondsBetween(node.lastRegen.at, at) >= HOLD_SECONDS;
}
