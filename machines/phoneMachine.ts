import { assertEvent, assign, setup } from 'xstate';
import type { PhoneState, Rule } from '../model/cluster/clusterState.ts';
import { acceptItl, eraseItl, rejectItl } from '../model/trust/boot.ts';
import { sastVerifies, tvsVouchesForItl } from '../model/trust/itlRules.ts';
import { reachable, type PhoneEvent } from '../model/trust/phoneStep.ts';

export type { PhoneEvent } from '../model/trust/phoneStep.ts';

/** Accept by R2 (SAST of the installed ITL), else by R3 (TVS), else reject (R4): domain.md §3.2 in order. */
const decideItl = [
  { guard: 'sastVerifies', target: 'trusted', actions: { type: 'installItl', params: { rule: 'R2' as Rule } } },
  { guard: 'tvsVouchesForItl', target: 'trusted', actions: { type: 'installItl', params: { rule: 'R3' as Rule } } },
  { target: 'locked', actions: 'recordRejection' },
] as const;

/**
 * One phone's trust in its cluster: `noItl` (trusts the first ITL it gets, R0), `trusted`, and
 * `locked` ("Trust List Update Failed", keeping its old ITL). An automatic reset (RESTART) only
 * schedules the boot; the trust state changes at the BOOT. Guards and actions are the rules of model/trust.
 */
export const phoneMachine = setup({
  types: {
    context: {} as PhoneState,
    events: {} as PhoneEvent,
    input: {} as PhoneState,
  },
  guards: {
    sastVerifies: ({ event }) => event.type === 'BOOT' && sastVerifies(event.boot),
    tvsVouchesForItl: ({ event }) => event.type === 'BOOT' && tvsVouchesForItl(event.boot),
    // A14: a phone that is restarting is not registered, so a further automatic reset does not reach it.
    reachable: ({ context }) => reachable(context),
  },
  actions: {
    installItl: assign(({ context, event }, params: { rule: Rule }) => {
      assertEvent(event, 'BOOT');
      return acceptItl(context, event.boot, params.rule);
    }),
    recordRejection: assign(({ context, event }) => {
      assertEvent(event, 'BOOT');
      return rejectItl(context, event.boot);
    }),
    eraseItl: assign(({ context }) => eraseItl(context)),
    startRestart: assign(({ event }) => {
      assertEvent(event, 'RESTART');
      return { restartingUntil: event.until };
    }),
  },
}).createMachine({
  id: 'phone',
  context: ({ input }) => input,
  initial: 'noItl',
  on: { RESTART: { guard: 'reachable', actions: 'startRestart' } },
  states: {
    noItl: {
      on: {
        BOOT: { target: 'trusted', actions: { type: 'installItl', params: { rule: 'R0' } } },
        ERASE: { actions: 'eraseItl' },
      },
    },
    trusted: {
      on: { BOOT: [...decideItl], ERASE: { target: 'noItl', actions: 'eraseItl' } },
    },
    locked: {
      on: { BOOT: [...decideItl], ERASE: { target: 'noItl', actions: 'eraseItl' } },
    },
  },
});
