/**
 * Every action of the spec, one per event kind, each with its enabling condition, its refusal and
 * its effect together (action.ts): the phones', the certificates', the TFTP services', the recovery
 * commands', mixed mode's `utils ctl` commands, and time passing.
 */
import type { Action, ActionTable } from './action.ts';
import { certActions } from './certActions.ts';
import { ctlActions } from './ctlActions.ts';
import type { EventKind, SpecEvent } from './events.ts';
import { phoneActions } from './phoneActions.ts';
import { recoveryActions } from './recoveryActions.ts';
import { tftpActions } from './tftpActions.ts';
import { timeActions } from './timeActions.ts';

/**
 * The same action as an object of one shape: every field of Action present (undefined where the
 * action has none), in one order. Pure. The explorers read an action's fields for every event at
 * every state; written as they are, the actions have five shapes (which of `refusal`, `phonesOnly`
 * and `clusterOnly` they have, and where), and V8 reads a field of objects of more than four shapes
 * by a look-up in a shared cache instead of at a known offset: about a tenth of the packed explorer's
 * instructions on part C.
 */
export function oneShape<K extends EventKind>(action: Action<K>): Action<K> {
  const { enabled, refusal, effect, phonesOnly, clusterOnly } = action;
  return { enabled, refusal, effect, phonesOnly, clusterOnly };
}

/** Every action of `table` as `oneShape` gives it. Pure. */
function ofOneShape<K extends EventKind>(table: ActionTable<K>): ActionTable<K> {
  const out: Partial<Record<K, Action<K>>> = {};
  for (const kind of Object.keys(table) as K[]) out[kind] = oneShape(table[kind] as Action<K>);
  return out as ActionTable<K>;
}

/** The actions by kind as their files write them (the type makes it complete: a kind without an action does not compile). */
export const ACTIONS_AS_WRITTEN: ActionTable<EventKind> = {
  ...phoneActions,
  ...certActions,
  ...tftpActions,
  ...recoveryActions,
  ...ctlActions,
  ...timeActions,
};

/** The actions by kind, of one shape: what the explorers and the step read. */
export const ACTIONS: ActionTable<EventKind> = ofOneShape(ACTIONS_AS_WRITTEN);

/** The action of an event. Pure. */
export function actionOf(e: SpecEvent): Action<EventKind> {
  // The table pairs each kind with its own action; TypeScript cannot correlate ACTIONS[e.kind] with e itself.
  return ACTIONS[e.kind] as Action<EventKind>;
}
