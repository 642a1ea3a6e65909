/**
 * The spec's step relation: an event is enabled, refused (a self-loop: it changes nothing), or taken,
 * its action's effect applied to a copy of the state.
 */
import type { Action } from './action.ts';
import { actionOf } from './actions.ts';
import type { SpecStep } from './effects.ts';
import type { EventKind, SpecEvent } from './events.ts';
import type { SpecRefusalKind } from './refusals.ts';
import type { SpecScope } from './scope.ts';
import { cloneState, copyState, type SpecState } from './state.ts';

/** Whether an event can be in a log at this state (its action's enabling condition). Pure. */
export function enabled(s: SpecState, e: SpecEvent): boolean {
  return actionOf(e).enabled(s, e);
}

/** Why the cluster refuses the event's command at this state, or null. Pure. */
export function refusalOf(s: SpecState, scope: SpecScope, e: SpecEvent): SpecRefusalKind | null {
  const action = actionOf(e);
  return action.refusal ? action.refusal(s, scope, e) : null;
}

/**
 * Whether the explorer takes `e` at `s`: it is enabled and its command is not refused. A refused one
 * changes nothing (a self-loop: no new state, and no step property fires on it), and refused
 * regenerations alone are about 18% of all transitions; the explorer's canonical.prop.test.ts
 * checks that skipping them is exact. Pure.
 */
export function expands(s: SpecState, scope: SpecScope, e: SpecEvent): boolean {
  return enabled(s, e) && refusalOf(s, scope, e) === null;
}

/** The step of an event (enabled or not: the model-based test feeds the log's events as they come); a refused one changes nothing. Pure. */
export function specStep(state: SpecState, scope: SpecScope, e: SpecEvent): SpecStep {
  return refusalOf(state, scope, e) === null ? acceptedStep(state, scope, e) : blankStep(cloneState(state));
}

/** The step of an event whose command is not refused (the caller checked): its effect on a copy of the state. Pure. */
export function acceptedStep(state: SpecState, scope: SpecScope, e: SpecEvent): SpecStep {
  const step = blankStep(cloneState(state));
  actionOf(e).effect(step.state, scope, e, step);
  return step;
}

/**
 * `acceptedStep` with the event's action given (`actionOf(e)`), built in `into`, a step made before
 * (blankStep(cloneState(…)) of a state of the same scope) whose state is overwritten, not allocated:
 * the packed explorer's scratch. Mutates `into`; the result is `acceptedStep`'s.
 */
export function acceptedStepInto(
  state: SpecState,
  scope: SpecScope,
  e: SpecEvent,
  action: Action<EventKind>,
  into: SpecStep,
): SpecStep {
  copyState(state, into.state);
  into.regenWithinHold = false;
  into.locked = -1;
  into.rules = 0;
  into.booted = 0;
  action.effect(into.state, scope, e, into);
  return into;
}

/** A step that has done nothing yet, on `state`. Pure. */
export function blankStep(state: SpecState): SpecStep {
  return { state, regenWithinHold: false, locked: -1, rules: 0, booted: 0 };
}
