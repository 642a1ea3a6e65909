import { assign, setup } from 'xstate';
import type { CertKind } from '../model/certs/issueCertificate.ts';
import { regenerateNode, type IssueEnv, type RegenRequest } from '../model/cluster/certEvents.ts';
import type { ClusterState, ModelOptions, NodeState } from '../model/cluster/clusterState.ts';
import { holdExpired, holdRefusal, missingCert } from '../model/cluster/holdTimer.ts';
import type { Refusal } from '../model/cluster/refusals.ts';

/** The cluster facts a node's regeneration reads. */
export type RegenEnv = IssueEnv & Pick<ClusterState, 'version'>;

/** What a node reacts to: `set cert regen` (decided here) and time passing (its hold timer runs out). */
export type NodeEvent =
  | { type: 'REGENERATE'; cert: CertKind; at: string; env: RegenEnv; request: RegenRequest }
  | { type: 'TICK'; at: string; options: ModelOptions };

/** A refusal, as the action that reports it carries it. */
export type RefuseParams = { refusal: Refusal };

/** A certificate this node does not have is refused whatever the timer (CAPF on a subscriber, ITLRecovery before 10.0(1)). */
const refuseMissing = {
  guard: 'certMissing',
  actions: {
    type: 'refuse',
    params: ({ context, event }: { context: NodeState; event: NodeEvent }): RefuseParams => ({
      refusal: missingCert(
        (event as Extract<NodeEvent, { type: 'REGENERATE' }>).env.version,
        context,
        (event as Extract<NodeEvent, { type: 'REGENERATE' }>).cert,
      )!,
    }),
  },
} as const;

/**
 * One CUCM node's certificates and their 5-minute hold timer (docs/rules.md §7, A13). It decides
 * `set cert regen`: in `idle` the node regenerates the certificate and the timer starts (`running`);
 * in `running` every regeneration is refused until time passes beyond 300 s (TICK). The state is
 * persisted with the node (`NodeState.holdTimer`): the machine is the authority. Context is the
 * model's NodeState; guards and actions are model/cluster's rules.
 */
export const nodeMachine = setup({
  types: { context: {} as NodeState, events: {} as NodeEvent, input: {} as NodeState },
  guards: {
    certMissing: ({ context, event }) =>
      event.type === 'REGENERATE' && missingCert(event.env.version, context, event.cert) !== undefined,
    holdExpired: ({ context, event }) => event.type === 'TICK' && holdExpired(context, event.at, event.options),
  },
  actions: {
    regenerate: assign(({ context, event }) =>
      event.type === 'REGENERATE' ? regenerateNode(event.env, context, event.cert, event.at, event.request) : context,
    ),
    refuse: (_, _params: RefuseParams) => {},
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => input,
  initial: 'idle',
  states: {
    idle: {
      on: { REGENERATE: [refuseMissing, { target: 'running', actions: 'regenerate' }] },
    },
    running: {
      on: {
        TICK: { guard: 'holdExpired', target: 'idle' },
        REGENERATE: [
          refuseMissing,
          {
            actions: {
              type: 'refuse',
              params: ({ context, event }) => ({
                refusal: holdRefusal(context, (event as Extract<NodeEvent, { type: 'REGENERATE' }>).cert),
              }),
            },
          },
        ],
      },
    },
  },
});
