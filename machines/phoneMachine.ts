import { assertEvent, assign, setup } from 'xstate';
import type { CtlRule, PhoneState, Rule } from '../model/cluster/clusterState.ts';
import { acceptCtl, acceptItl, bootWithoutItl, eraseCtl, eraseItl, rejectCtl, rejectItl } from '../model/trust/boot.ts';
import { ctlAnchored, sameCtl, tvsVouchesForCtl } from '../model/trust/ctlRules.ts';
import {
  ctlVouchesForItl,
  holdsCtl,
  holdsRollbackItl,
  itlSastAnchors,
  sastVerifies,
  tvsVouchesForItl,
} from '../model/trust/itlRules.ts';
import { reachable, type PhoneEvent } from '../model/trust/phoneStep.ts';

export type { PhoneEvent } from '../model/trust/phoneStep.ts';

/** The phone machine's state: its CTL region and its ITL region (persisted as `PhoneState.ctl?.state` and `PhoneState.trust`). */
export type PhoneValue = { ctl: 'none' | 'installed' | 'rejected'; itl: PhoneState['trust'] };

const install = (rule: Rule) => ({ type: 'installItl', params: { rule } }) as const;

/**
 * A phone that holds an ITL decides an offered one: the empty rollback ITL accepts anything (R0e);
 * with a CTL installed I1, I2, then TVS where allowed, else I3; without, R2, R3, else R4
 * (docs/rules.md §4, §16), in that order.
 */
const decideItl = [
  { guard: 'noSbd', actions: 'bootWithoutItl' },
  { guard: 'holdsRollbackItl', target: 'trusted', actions: install('R0e') },
  { guard: 'ctlVouchesForItl', target: 'trusted', actions: install('I1') },
  { guard: 'itlSastAnchors', target: 'trusted', actions: install('I2') },
  { guard: 'sastVerifies', target: 'trusted', actions: install('R2') },
  { guard: 'tvsVouchesForItl', target: 'trusted', actions: install('R3') },
  { guard: 'holdsCtl', target: 'locked', actions: { type: 'recordRejection', params: { rule: 'I3' } } },
  { target: 'locked', actions: { type: 'recordRejection', params: { rule: 'R4' } } },
] as const;

/** A phone that holds a CTL decides an offered one: the same file, C1, C2, else C3 (it keeps its CTL). */
const decideCtl = [
  { guard: 'ctlAnchored', target: 'installed', actions: { type: 'installCtl', params: { rule: 'C1' as CtlRule } } },
  {
    guard: 'tvsVouchesForCtl',
    target: 'installed',
    actions: { type: 'installCtl', params: { rule: 'C2' as CtlRule } },
  },
  { target: 'rejected', actions: 'recordCtlRejection' },
] as const;

/**
 * One phone's trust in its cluster, in two regions (docs/rules.md §4, §16). `ctl`: `none` (takes the
 * first CTL it is offered, C0), `installed`, `rejected` (the last CTL failed C1–C3; it keeps the old
 * one). `itl`: `noItl` (trusts the first ITL it gets, R0, unless it holds a CTL), `trusted`, `locked`
 * ("Trust List Update Failed", keeping its old ITL). A boot is a CTL step, then an ITL step (the CTL
 * comes first, SECMIG). An automatic reset (RESTART) only schedules the boot. Guards and actions are
 * the rules of model/trust.
 */
export const phoneMachine = setup({
  types: {
    context: {} as PhoneState,
    events: {} as PhoneEvent,
    input: {} as PhoneState,
  },
  guards: {
    noSbd: ({ context }) => context.sbd === false,
    // R0: neither an ITL (the state says so) nor a CTL.
    noTrustList: ({ event }) => event.type === 'BOOT' && !holdsCtl(event.boot),
    holdsCtl: ({ event }) => event.type === 'BOOT' && holdsCtl(event.boot),
    holdsRollbackItl: ({ event }) => event.type === 'BOOT' && holdsRollbackItl(event.boot),
    ctlVouchesForItl: ({ event }) => event.type === 'BOOT' && ctlVouchesForItl(event.boot),
    itlSastAnchors: ({ event }) => event.type === 'BOOT' && itlSastAnchors(event.boot),
    sastVerifies: ({ event }) => event.type === 'BOOT' && sastVerifies(event.boot),
    tvsVouchesForItl: ({ event }) => event.type === 'BOOT' && tvsVouchesForItl(event.boot),
    sameCtl: ({ event }) => event.type === 'CTL' && sameCtl(event.boot),
    ctlAnchored: ({ event }) => event.type === 'CTL' && ctlAnchored(event.boot),
    tvsVouchesForCtl: ({ event }) => event.type === 'CTL' && tvsVouchesForCtl(event.boot),
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
    eraseItl: assign(({ context }) => eraseItl(context)),
    installCtl: assign(({ context, event }, params: { rule: CtlRule }) => {
      assertEvent(event, 'CTL');
      return acceptCtl(context, event.boot, params.rule as Exclude<CtlRule, 'C3'>);
    }),
    recordCtlRejection: assign(({ context, event }) => {
      assertEvent(event, 'CTL');
      return rejectCtl(context, event.boot);
    }),
    eraseCtl: assign(({ context }) => eraseCtl(context)),
    startRestart: assign(({ event }) => {
      assertEvent(event, 'RESTART');
      return { restartingUntil: event.until };
    }),
  },
}).createMachine({
  id: 'phone',
  context: ({ input }) => input,
  type: 'parallel',
  on: { RESTART: { guard: 'reachable', actions: 'startRestart' } },
  states: {
    ctl: {
      initial: 'none',
      states: {
        none: {
          on: { CTL: { target: 'installed', actions: { type: 'installCtl', params: { rule: 'C0' } } } },
        },
        installed: {
          on: { CTL: [{ guard: 'sameCtl' }, ...decideCtl], ERASE_CTL: { target: 'none', actions: 'eraseCtl' } },
        },
        rejected: {
          on: {
            CTL: [
              { guard: 'sameCtl', target: 'installed', actions: { type: 'installCtl', params: { rule: 'C1' } } },
              ...decideCtl,
            ],
            ERASE_CTL: { target: 'none', actions: 'eraseCtl' },
          },
        },
      },
    },
    itl: {
      initial: 'noItl',
      states: {
        noItl: {
          on: {
            BOOT: [
              { guard: 'noSbd', actions: 'bootWithoutItl' },
              { guard: 'noTrustList', target: 'trusted', actions: install('R0') },
              ...decideItl.slice(1),
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
    },
  },
});
