/**
 * The decisions a replay delegates. The fold (model/replay/evolve.ts) sequences what an event does;
 * who decides a phone's boot, a `set cert regen`, a node's hold timer and what a TFTP node serves is
 * an engine: the model's own functions here (`modelEngine`), or the XState machines
 * (machines/machineEngine.ts), whose guards call the same rules. A property keeps the two equal.
 */
import type { CertRegenerateEvent } from '../events.ts';
import { regenerateCert } from '../cluster/certEvents.ts';
import type { ClusterState, ModelOptions, NodeState } from '../cluster/clusterState.ts';
import { tickHold } from '../cluster/holdTimer.ts';
import { signerStep, type SignerEvent, type SignerState } from '../cluster/signer.ts';
import type { Step } from '../cluster/step.ts';
import { phoneStep, type PhoneEvent } from '../trust/phoneStep.ts';
import type { PhoneState } from '../cluster/clusterState.ts';

/** Who decides. */
export interface Engine {
  /** A phone boots, is erased, or is reached by an automatic reset. */
  phone(phone: PhoneState, event: PhoneEvent): PhoneState;
  /** Time passes to `at` for a node's hold timer. */
  tick(node: NodeState, at: string, options: ModelOptions): NodeState;
  /** `set cert regen` on a node (after `tick`): refused, or the node regenerated and the consequences. */
  regenerate(state: ClusterState, event: CertRegenerateEvent): Step;
  /** A TFTP node's signer takes an event. */
  signer(node: NodeState, event: SignerEvent): SignerState;
  /**
   * An observer sees every phone's transition (the inspector's feed): each phone is then decided
   * by itself, not once per shape of phone (model/replay/phoneShape.ts).
   */
  readonly observed?: boolean;
}

/** The model deciding by itself, with no machine: the rules of model/trust and model/cluster called directly. */
export const modelEngine: Engine = {
  phone: phoneStep,
  tick: tickHold,
  regenerate: regenerateCert,
  signer: (node, event) => signerStep(node.tftp!.signer, event),
};
