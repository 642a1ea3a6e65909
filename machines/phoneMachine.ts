import { assertEvent, assign, setup } from 'xstate';
import type { PhoneState, Rule } from '../model/cluster/clusterState.ts';
import { acceptItl, bootWithoutItl, cannotLoadItl, eraseItl, rejectItl } from '../model/trust/boot.ts';
import {
  ctlVouchesForItl,
  firstTrustList,
  holdsCtl,
  holdsRollbackItl,
  itlTooLarge,
  itlSastAnchors,
  sastVerifies,
  tvsVouchesForItl,
} from '../model/trust/itlRules.ts';
import { reachable, type PhoneEvent } from '../model/trust/phoneStep.ts';

export type { PhoneEvent } from '../model/trust/phoneStep.ts';

/** What the phone machine reacts to: the ITL step of a boot, the ITL erased, an automatic reset (the CTL is machines/phoneCtlMachine.ts). */
export type PhoneItlEvent = Exclude<PhoneEvent, { type: 'CTL' | 'ERASE_CTL' }>;

const install = (rule: Rule) => ({ type: 'installItl', params: { rule } }) as const;

/**
 * A phone that holds an ITL decides an offered one: the empty rollback ITL accepts anything (R0e);
 * with a CTL installed I1, I2, then TVS where allowed, else I3; without, R2, R3, else R4
 * (docs/rules.md §4, §16), in that order.
 */
const decideItl = [
  { guard: 'noSbd', actions: 'bootWithoutItl' },
  { guard: 'itlTooLarge', actions: 'cannotLoadItl' },
  { guard: 'holdsRollbackItl', target: 'trusted', actions: install('R0e') },
  { guard: 'ctlVouchesForItl', target: 'trusted', actions: install('I1') },
  { guard: 'itlSastAnchors', target: 'trusted', actions: install('I2') },
  { guard: 'sastVerifies', target: 'trusted', actions: install('R2') },
  { guard: 'tvsVouchesForItl', target: 'trusted', actions: install('R3') },
  { guard: 'holdsCtl', target: 'locked', actions: { type: 'recordRejection', params: { rule: 'I3' } } },
  { target: 'locked', actions: { type: 'recordRejection', params: { rule: 'R4' } } },
] as const;

/**
 * One phone's trust in its ITL (docs/rules.md §4, §16): `noItl` (trusts the first ITL it gets, R0,
 * unless it holds a CTL), `trusted`, and `locked` ("Trust List Update Failed", keeping its old ITL).
 * In mixed mode the boot's CTL step (machines/phoneCtlMachine.ts) comes first, and the ITL is then
 * decided with the CTL the phone holds (I1–I3). A device without Security By Default has no ITL
 * (A26). An automatic reset (RESTART) only schedules the boot; the trust state changes at the BOOT.
 * Guards and actions are the rules of model/trust.
 */
export const phoneMachine = setup({
  types: {
    context: {} as PhoneState,
    events: {} as PhoneItlEvent,
    input: {} as PhoneState,
  },
  guards: {
    noSbd: ({ context }) => context.sbd === false,
    // R0: neither an ITL (the state says so) nor a CTL.
    noTrustList: ({ event }) => event.type === 'BOOT' && firstTrustList(event.boot),
    itlTooLarge: ({ event }) => event.type === 'BOOT' && itlTooLarge(event.boot),
    holdsCtl: ({ event }) => event.type === 'BOOT' && holdsCtl(event.boot),
    holdsRollbackItl: ({ event }) => event.type === 'BOOT' && holdsRollbackItl(event.boot),
    ctlVouchesForItl: ({ event }) => event.type === 'BOOT' && ctlVouchesForItl(event.boot),
    itlSastAnchors: ({ event }) => event.type === 'BOOT' && itlSastAnchors(event.boot),
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
    recordRejection: assign(({ context, event }, params: { rule: 'R4' | 'I3' }) => {
      assertEvent(event, 'BOOT');
      return rejectItl(context, event.boot, params.rule);
    }),
    bootWithoutItl: assign(({ context, event }) => {
      assertEvent(event, 'BOOT');
      return bootWithoutItl(context, event.boot);
    }),
    cannotLoadItl: assign(({ context, event }) => {
      assertEvent(event, 'BOOT');
      return cannotLoadItl(context, event.boot);
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
        BOOT: [
          { guard: 'noSbd', actions: 'bootWithoutItl' },
          { guard: 'itlTooLarge', actions: 'cannotLoadItl' },
          { guard: 'noTrustList', target: 'trusted', actions: install('R0') },
          ...decideItl.slice(3),
        ],
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
