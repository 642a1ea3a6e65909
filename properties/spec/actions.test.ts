/**
 * The table of actions (actions.ts): one action per kind, each as written in its file, and all of one
 * shape (the same fields in the same order), which the explorers' loop over every event at every
 * state relies on to read them at a known place (`oneShape`).
 */
import { describe, expect, it } from 'vitest';
import type { Action } from './action.ts';
import { ACTIONS, ACTIONS_AS_WRITTEN, oneShape } from './actions.ts';
import type { EventKind } from './events.ts';

/** The actions as their files write them, by kind. */
const WRITTEN = ACTIONS_AS_WRITTEN as Record<string, Action<EventKind>>;

/** An action's fields, by name, for comparing. */
const fieldsOf = (a: Action<EventKind>) => ({
  enabled: a.enabled,
  refusal: a.refusal,
  effect: a.effect,
  phonesOnly: a.phonesOnly,
  clusterOnly: a.clusterOnly,
});

describe('the table of actions (properties/spec/actions.ts)', () => {
  it('should hold every written action under its kind, with its condition, refusal, effect and claims', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(WRITTEN).sort());
    for (const [kind, written] of Object.entries(WRITTEN))
      expect(fieldsOf(ACTIONS[kind as EventKind] as Action<EventKind>), kind).toEqual(fieldsOf(written));
  });

  it('should give every action one shape: the same fields in the same order', () => {
    const shapes = new Set(Object.values(ACTIONS).map((a) => Object.keys(a).join(',')));
    expect([...shapes]).toEqual(['enabled,refusal,effect,phonesOnly,clusterOnly']);
    // As written they are not (so the test can tell): the files give them five shapes.
    expect(new Set(Object.values(WRITTEN).map((a) => Object.keys(a).join(','))).size).toBeGreaterThan(1);
  });

  it('should make one shape of an action with none, and of one with every optional field', () => {
    const bare: Action<'wait'> = { effect: () => {}, enabled: () => true };
    const full: Action<'regen'> = {
      clusterOnly: true,
      refusal: () => null,
      phonesOnly: true,
      effect: () => {},
      enabled: () => false,
    };
    expect(Object.keys(oneShape(bare))).toEqual(Object.keys(oneShape(full)));
    expect(fieldsOf(oneShape(full) as Action<EventKind>)).toEqual(fieldsOf(full as Action<EventKind>));
    expect(oneShape(bare).refusal).toBeUndefined();
  });
});
