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

/** The actions by kind (the type makes it complete: a kind without an action does not compile). */
export const ACTIONS: ActionTable<EventKind> = {
  ...phoneActions,
  ...certActions,
  ...tftpActions,
  ...recoveryActions,
  ...ctlActions,
  ...timeActions,
};

/** The action of an event. Pure. */
export function actionOf(e: SpecEvent): Action<EventKind> {
  // The table pairs each kind with its own action; TypeScript cannot correlate ACTIONS[e.kind] with e itself.
  return ACTIONS[e.kind] as Action<EventKind>;
}
