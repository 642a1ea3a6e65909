import { assertEvent, assign, setup } from 'xstate';
import type { CtlRule, PhoneState } from '../model/cluster/clusterState.ts';
import { acceptCtl, eraseCtl, rejectCtl } from '../model/trust/boot.ts';
import { ctlAnchored, sameCtl, tvsVouchesForCtl } from '../model/trust/ctlRules.ts';
import type { PhoneEvent } from '../model/trust/phoneStep.ts';

/** What a phone's CTL reacts to: the CTL step of a boot, and the CTL erased. */
export type PhoneCtlEvent = Extract<PhoneEvent, { type: 'CTL' | 'ERASE_CTL' }>;

/** The CTL machine's states, persisted as `PhoneState.ctl?.state` (absent: `none`). */
export type PhoneCtlValue = 'none' | 'installed' | 'rejected';

const installCtl = (rule: Exclude<CtlRule, 'C3'>) => ({ type: 'installCtl', params: { rule } }) as const;

/** A phone that holds a CTL decides an offered one: C1, C2, else C3 (it keeps its CTL). */
const decideCtl = [
  { guard: 'ctlAnchored', target: 'installed', actions: installCtl('C1') },
  { guard: 'tvsVouchesForCtl', target: 'installed', actions: installCtl('C2') },
  { target: 'rejected', actions: 'recordCtlRejection' },
] as const;

/**
 * One phone's CTL in mixed mode (docs/rules.md §16): `none` takes the first CTL it is offered (C0,
 * a leap of faith, A20); `installed` takes a new one when its signer is a local anchor (C1: a SAST
 * record of the CTL, or of the ITL with the shared pool, A18) or a TVS vouches for it (C2: with SBD,
 * not for the cluster's own certificates from 12.0, A19), else `rejected` (C3: it keeps the CTL it
 * holds; the phone reports locked). A boot's CTL step comes before its ITL step (SECMIG); the phone
 * machine (machines/phoneMachine.ts) decides the ITL with the CTL this machine leaves. It runs only
 * when the phone's TFTP node serves a CTL, so a non-secure cluster pays nothing for it. Guards and
 * actions are the rules of model/trust/ctlRules.ts.
 */
export const phoneCtlMachine = setup({
  types: { context: {} as PhoneState, events: {} as PhoneCtlEvent, input: {} as PhoneState },
  guards: {
    sameCtl: ({ event }) => event.type === 'CTL' && sameCtl(event.boot),
    ctlAnchored: ({ event }) => event.type === 'CTL' && ctlAnchored(event.boot),
    tvsVouchesForCtl: ({ event }) => event.type === 'CTL' && tvsVouchesForCtl(event.boot),
  },
  actions: {
    installCtl: assign(({ context, event }, params: { rule: Exclude<CtlRule, 'C3'> }) => {
      assertEvent(event, 'CTL');
      return acceptCtl(context, event.boot, params.rule);
    }),
    recordCtlRejection: assign(({ context, event }) => {
      assertEvent(event, 'CTL');
      return rejectCtl(context, event.boot);
    }),
    eraseCtl: assign(({ context }) => eraseCtl(context)),
  },
}).createMachine({
  id: 'phoneCtl',
  context: ({ input }) => input,
  initial: 'none',
  states: {
    none: { on: { CTL: { target: 'installed', actions: installCtl('C0') } } },
    installed: {
      on: { CTL: [{ guard: 'sameCtl' }, ...decideCtl], ERASE_CTL: { target: 'none', actions: 'eraseCtl' } },
    },
    rejected: {
      on: {
        // The file it holds, offered again: back to it.
        CTL: [{ guard: 'sameCtl', target: 'installed', actions: installCtl('C1') }, ...decideCtl],
        ERASE_CTL: { target: 'none', actions: 'eraseCtl' },
      },
    },
  },
});
