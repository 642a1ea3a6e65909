import { transition } from 'xstate';
import { afterRegeneration } from '../model/cluster/certEvents.ts';
import type { NodeState, PhoneState } from '../model/cluster/clusterState.ts';
import type { SignerState } from '../model/cluster/signer.ts';
import { stepOf } from '../model/cluster/step.ts';
import type { Engine } from '../model/replay/engine.ts';
import { tidyPhone } from '../model/trust/phoneStep.ts';
import { inertScope } from './inertScope.ts';
import { nodeMachine, type RefuseParams } from './nodeMachine.ts';
import { phoneCtlMachine, type PhoneCtlValue } from './phoneCtlMachine.ts';
import { phoneMachine } from './phoneMachine.ts';
import { signerMachine } from './signerMachine.ts';

const phoneScope = inertScope(phoneMachine);
const phoneCtlScope = inertScope(phoneCtlMachine);

/** The CTL region's state written back into the phone: the machine is the authority for it. Pure. */
function withCtlState(phone: PhoneState, state: PhoneCtlValue): PhoneState {
  if (!phone.ctl || state === 'none' || phone.ctl.state === state) return phone;
  return { ...phone, ctl: { ...phone.ctl, state } };
}
const nodeScope = inertScope(nodeMachine);
const signerScope = inertScope(signerMachine);

/** One transition a machine took: which machine, whose, the event, and its state before and after (for an inspector). */
export interface MachineStep {
  machine: 'phone' | 'phoneCtl' | 'node' | 'signer';
  /** The phone's or node's id. */
  id: string;
  event: { type: string };
  before: { value: unknown; context: unknown };
  after: { value: unknown; context: unknown };
}

/**
 * The machines deciding: each phone's boot by the phone machine's guards, each `set cert regen` and
 * hold timer by the node machine, what each TFTP node serves by its signer machine. Each machine's
 * state is persisted in the model's data (`PhoneState.trust`, `NodeState.holdTimer`,
 * `TftpState.signer`) and resolved from it, never derived from other context. `observe` sees every
 * transition with the machines' real snapshots (the inspector's feed).
 */
export function createMachineEngine(observe?: (step: MachineStep) => void): Engine {
  return {
    observed: observe !== undefined,
    phone(phone, event) {
      if (event.type === 'CTL' || event.type === 'ERASE_CTL') {
        const value: PhoneCtlValue = phone.ctl?.state ?? 'none';
        const snapshot = phoneCtlMachine.resolveState({ value, context: phone });
        const next = phoneCtlMachine.transition(snapshot, event, phoneCtlScope);
        const decided = next.value as PhoneCtlValue;
        const after = withCtlState(tidyPhone(next.context), decided);
        observe?.({
          machine: 'phoneCtl',
          id: phone.id,
          event,
          before: { value, context: phone },
          after: { value: decided, context: after },
        });
        return after;
      }
      const snapshot = phoneMachine.resolveState({ value: phone.trust, context: phone });
      const next = phoneMachine.transition(snapshot, event, phoneScope);
      const after = tidyPhone(next.context, next.value as PhoneState['trust']);
      observe?.({
        machine: 'phone',
        id: phone.id,
        event,
        before: { value: phone.trust, context: phone },
        after: { value: next.value, context: after },
      });
      return after;
    },
    tick(node, at, options) {
      const snapshot = nodeMachine.resolveState({ value: node.holdTimer, context: node });
      const next = nodeMachine.transition(snapshot, { type: 'TICK', at, options }, nodeScope);
      if (next.value === node.holdTimer) return node;
      const after = { ...next.context, holdTimer: next.value as NodeState['holdTimer'] };
      observe?.({
        machine: 'node',
        id: node.id,
        event: { type: 'TICK' },
        before: { value: node.holdTimer, context: node },
        after: { value: next.value, context: after },
      });
      return after;
    },
    regenerate(state, event) {
      const index = state.nodes.findIndex((n) => n.id === event.node);
      const node = state.nodes[index]!;
      const env = { seed: state.seed, domain: state.domain, subject: state.subject, version: state.version };
      const snapshot = nodeMachine.resolveState({ value: node.holdTimer, context: node });
      const [next, actions] = transition(nodeMachine, snapshot, {
        type: 'REGENERATE',
        cert: event.cert,
        at: event.at,
        env,
        request: {
          ...(event.keyBits !== undefined ? { keyBits: event.keyBits } : {}),
          ...(event.years !== undefined ? { years: event.years } : {}),
        },
      });
      const after = { ...next.context, holdTimer: next.value as NodeState['holdTimer'] };
      observe?.({
        machine: 'node',
        id: node.id,
        event: { type: 'REGENERATE', cert: event.cert } as { type: string },
        before: { value: node.holdTimer, context: node },
        after: { value: next.value, context: after },
      });
      const refused = actions.find((a) => a.type === 'refuse');
      if (refused) return stepOf(state, { refusals: [(refused.params as RefuseParams).refusal] });
      const nodes = state.nodes.slice();
      nodes[index] = after;
      return afterRegeneration({ ...state, nodes }, event);
    },
    signer(node, event) {
      const signer = node.tftp!.signer;
      const snapshot = signerMachine.resolveState({ value: { ...signer }, context: undefined as never });
      const after = signerMachine.transition(snapshot, event, signerScope).value as unknown as SignerState;
      observe?.({
        machine: 'signer',
        id: node.id,
        event,
        before: { value: signer, context: node.tftp },
        after: { value: after, context: node.tftp },
      });
      return after;
    },
  };
}

/** The machines deciding, unobserved: what replay uses. */
export const machineEngine: Engine = createMachineEngine();
