import { assign, setup } from 'xstate';
import type { CertKind } from '../model/certs/issueCertificate.ts';
import { regenerateNode, regenRefusal, type IssueEnv } from '../model/cluster/certEvents.ts';
import type { ClusterState, NodeState } from '../model/cluster/clusterState.ts';
import { holdExpired, tftpMode, type TftpMode } from '../model/cluster/nodeStatus.ts';

/** The cluster facts a node's regeneration reads. */
export type RegenEnv = IssueEnv & Pick<ClusterState, 'version' | 'options'>;

/** What a node reacts to: `set cert regen` (decided here), time passing, and changes the cluster made to it. */
export type NodeEvent =
  | { type: 'REGENERATE'; cert: CertKind; at: string; env: RegenEnv }
  | { type: 'TICK'; at: string; env: RegenEnv }
  | { type: 'UPDATED'; node: NodeState };

/** `set cert regen`: refused (no target) while the hold timer runs or the certificate does not exist here, else regenerated and the timer (re)started. */
const regenerate = [{ guard: 'regenRefused' }, { target: 'running', reenter: true, actions: 'regenerate' }] as const;

/** Transitions of the TFTP region: the mode the node's context says, from whichever mode it was in. */
function follow(except: TftpMode) {
  return (['inactive', 'normal', 'reset', 'forged'] as const)
    .filter((m) => m !== except)
    .map((mode) => ({ guard: { type: 'servesMode' as const, params: { mode } }, target: mode }));
}

/**
 * One CUCM node: its certificates with the 5-minute hold timer (`holdTimer`: a regeneration is
 * refused while `running`, A13), and what its Cisco Tftp serves (`tftp`: its own ITL, the reset
 * ITL of `utils itl reset`, or an attacker's while impersonated). Context is the model's NodeState.
 */
export const nodeMachine = setup({
  types: { context: {} as NodeState, events: {} as NodeEvent, input: {} as NodeState },
  guards: {
    regenRefused: ({ context, event }) =>
      event.type === 'REGENERATE' && regenRefusal(event.env, context, event) !== undefined,
    holdExpired: ({ context, event }) => event.type === 'TICK' && holdExpired(context, event.at, event.env.options),
    servesMode: ({ context }, params: { mode: TftpMode }) => tftpMode(context) === params.mode,
  },
  actions: {
    regenerate: assign(({ context, event }) =>
      event.type === 'REGENERATE' ? regenerateNode(event.env, context, event.cert, event.at) : context,
    ),
    update: assign((_, params: { node: NodeState }) => params.node),
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => input,
  type: 'parallel',
  on: { UPDATED: { actions: { type: 'update', params: ({ event }) => ({ node: event.node }) } } },
  states: {
    holdTimer: {
      initial: 'idle',
      states: {
        idle: { on: { REGENERATE: [...regenerate] } },
        running: { on: { TICK: { guard: 'holdExpired', target: 'idle' }, REGENERATE: [...regenerate] } },
      },
    },
    tftp: {
      initial: 'inactive',
      states: {
        inactive: { always: follow('inactive') },
        normal: { always: follow('normal') },
        reset: { always: follow('reset') },
        forged: { always: follow('forged') },
      },
    },
  },
});
