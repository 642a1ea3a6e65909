import { assign, setup } from 'xstate';
import type { LogEvent } from '../model/events.ts';
import type { ClockEvent } from './clusterMachine.ts';
import type { ClusterView, NodeView, PhoneView } from './liveViews.ts';

/** What a phone's live actor receives: the phone as the replay left it after log event `event`. */
export type PhoneLiveEvent = { type: 'BOOT' | 'CHANGED'; event: number; cause: string; phone: PhoneView };

/** What a node's live actor receives: the node as the replay left it after log event `event`. */
export type NodeLiveEvent = { type: 'CHANGED'; event: number; cause: string; node: NodeView };

/** A phone's live mirror for the inspector: the phone machine's states, following the replay's phone (the rules run in the replay). */
export const phoneLive = setup({
  types: { context: {} as PhoneView, events: {} as PhoneLiveEvent, input: {} as PhoneView },
  guards: { trustIs: ({ context }, params: { trust: PhoneView['trust'] }) => context.trust === params.trust },
  actions: { sync: assign(({ event }) => event.phone) },
}).createMachine({
  id: 'phoneLive',
  context: ({ input }) => input,
  initial: 'noItl',
  on: { BOOT: { actions: 'sync' }, CHANGED: { actions: 'sync' } },
  states: {
    noItl: {
      always: [
        { guard: { type: 'trustIs', params: { trust: 'trusted' } }, target: 'trusted' },
        { guard: { type: 'trustIs', params: { trust: 'locked' } }, target: 'locked' },
      ],
    },
    trusted: {
      always: [
        { guard: { type: 'trustIs', params: { trust: 'noItl' } }, target: 'noItl' },
        { guard: { type: 'trustIs', params: { trust: 'locked' } }, target: 'locked' },
      ],
    },
    locked: {
      always: [
        { guard: { type: 'trustIs', params: { trust: 'noItl' } }, target: 'noItl' },
        { guard: { type: 'trustIs', params: { trust: 'trusted' } }, target: 'trusted' },
      ],
    },
  },
});

const HOLD = ['idle', 'running'] as const;
const TFTP = ['inactive', 'normal', 'reset', 'forged'] as const;

/** Eventless transitions of one region to whichever of its states the context names. */
function follow<R extends 'holdTimer' | 'tftp'>(region: R, states: readonly string[]) {
  return Object.fromEntries(
    states.map((s) => [
      s,
      {
        always: states
          .filter((o) => o !== s)
          .map((o) => ({ guard: { type: 'regionIs' as const, params: { region, value: o } }, target: o })),
      },
    ]),
  );
}

/** A node's live mirror for the inspector: the node machine's two regions (hold timer, TFTP), following the replay's node. */
export const nodeLive = setup({
  types: { context: {} as NodeView, events: {} as NodeLiveEvent, input: {} as NodeView },
  guards: {
    regionIs: ({ context }, params: { region: 'holdTimer' | 'tftp'; value: string }) =>
      context[params.region] === params.value,
  },
  actions: { sync: assign(({ event }) => event.node) },
}).createMachine({
  id: 'nodeLive',
  context: ({ input }) => input,
  type: 'parallel',
  on: { CHANGED: { actions: 'sync' } },
  states: {
    holdTimer: { initial: 'idle', states: follow('holdTimer', HOLD) },
    tftp: { initial: 'inactive', states: follow('tftp', TFTP) },
  },
});

/**
 * The cluster's live mirror for the inspector: receives every log event (password hidden) and shows
 * the replay's view after it, `views[n - 1]` after the n-th event (the model ran in the replay).
 */
export function clusterLive(views: ClusterView[], initial: ClusterView) {
  return setup({
    types: { context: {} as ClusterView, events: {} as LogEvent | ClockEvent },
    actions: { advance: assign(({ context }) => views[context.events]!) },
  }).createMachine({
    id: 'clusterLive',
    context: initial,
    initial: 'uninstalled',
    states: {
      uninstalled: { on: { 'cluster.install': { target: 'running', actions: 'advance' } } },
      running: { on: { '*': { actions: 'advance' } } },
    },
  });
}
