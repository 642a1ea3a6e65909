import { assertEvent, assign, setup } from 'xstate';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import { modelOptions } from '../model/cluster/install.ts';
import { resetRefusal } from '../model/cluster/tftpEvents.ts';
import { EVENT_TYPES, type EventType, type LogEvent } from '../model/events.ts';
import { evolve, type ClockEvent, type ClusterContext } from '../model/replay/evolve.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import type { Engine } from '../model/replay/engine.ts';
import { machineEngine } from './machineEngine.ts';

export type { ClockEvent, ClusterContext, EventReport } from '../model/replay/evolve.ts';

/** Input of the cluster machine: model options and which crypto the phones use. */
export interface ClusterInput {
  options?: Partial<ModelOptions>;
  crypto?: TrustCrypto['name'];
}

/** Every log event but the install and `utils itl reset` (which the machine guards) is applied as it comes. */
const APPLIED = EVENT_TYPES.filter((type) => type !== 'cluster.install' && type !== 'itl.reset');

// Compile-time proof that every event type has a transition: the install, the guarded reset, the rest.
const _handled: [Exclude<EventType, (typeof APPLIED)[number] | 'cluster.install' | 'itl.reset'>] extends [never]
  ? true
  : never = true;

/**
 * The cluster: `uninstalled` until `cluster.install`, then `running`, where every log event goes
 * through the replay's evolve (model/replay/evolve.ts) with the machines deciding (an engine of
 * machines: phones, nodes, signers). `utils itl reset` is decided here, by the guard `resetRefused`.
 */
export function clusterMachineWith(engine: Engine) {
  return setup({
    types: { context: {} as ClusterContext, events: {} as LogEvent | ClockEvent, input: {} as ClusterInput },
    guards: {
      resetRefused: ({ context, event }) =>
        event.type === 'itl.reset' && resetRefusal(context.cluster!, event) !== undefined,
    },
    actions: {
      apply: assign(({ context, event }) => evolve(context, event, engine)),
      refuseReset: assign(({ context, event }) => {
        assertEvent(event, 'itl.reset');
        return evolve(context, event, engine, resetRefusal(context.cluster!, event));
      }),
    },
  }).createMachine({
    id: 'cluster',
    context: ({ input }) => ({
      cluster: null,
      events: 0,
      last: null,
      options: modelOptions(input.options),
      crypto: input.crypto ?? 'real',
    }),
    initial: 'uninstalled',
    states: {
      uninstalled: { on: { 'cluster.install': { target: 'running', actions: 'apply' } } },
      running: {
        on: {
          ...Object.fromEntries(APPLIED.map((type) => [type, { actions: 'apply' }])),
          'itl.reset': [{ guard: 'resetRefused', actions: 'refuseReset' }, { actions: 'apply' }],
          clock: { actions: 'apply' },
        },
      },
    },
  });
}

/** The cluster machine with the machines deciding, unobserved: what replay folds. */
export const clusterMachine = clusterMachineWith(machineEngine);
