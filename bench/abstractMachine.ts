/**
 * The checker's abstract model (the spec, properties/spec/) as XState actor logic, so that
 * `xstate/graph` can traverse the very state space `explore` does: the same initial state, the same
 * step function (`specStep`), the same events taken in each state (`expands`), and the same state
 * identity (the canonical key of properties/explorer/canonical.ts) as `serializeState`.
 *
 * Two encodings: `fromTransition` logic (the reducer form) and a `createMachine` machine with one
 * state whose context is the abstract state and one transition per event kind (`assign`).
 * The context also counts the steps from the initial state (`depth`), so that a traversal can be
 * bounded with `stopWhen`; it is not part of the serialized state.
 */
import { assign, fromTransition, setup } from 'xstate';
import { canonical, symmetryGroups } from '../properties/explorer/canonical.ts';
import { allEvents, type Alphabet, type EventKind, type SpecEvent } from '../properties/spec/events.ts';
import type { SpecScope } from '../properties/spec/scope.ts';
import { initialState, type SpecState } from '../properties/spec/state.ts';
import { expands, specStep } from '../properties/spec/step.ts';

/** The context of the XState encodings: the abstract state and the number of steps that reached it. */
export interface AbstractContext {
  s: SpecState;
  depth: number;
}

/** An abstract event as an XState event: its kind as `type`, the event itself as `e`. */
export interface XEvent {
  type: EventKind;
  e: SpecEvent;
}

/** What both encodings share: the scope's events, the ones the checker takes at a state (`expands`), and the canonical key. */
export interface AbstractGraph {
  scope: SpecScope;
  events: XEvent[];
  /** The XState events enabled in a context (in `allEvents` order, as `explore` tries them). */
  enabledEvents: (context: AbstractContext) => XEvent[];
  /** The checker's state identity: the canonical key (symmetry, renumbered keys, dead keys). */
  key: (context: AbstractContext) => string;
  initial: AbstractContext;
}

/** The events, the enabled-events function and the canonical key of a scope. Pure. */
export function abstractGraph(scope: SpecScope, alphabet?: Alphabet): AbstractGraph {
  const groups = symmetryGroups(scope);
  const events = allEvents(scope, alphabet).map((e): XEvent => ({ type: e.kind, e }));
  return {
    scope,
    events,
    enabledEvents: (context) => events.filter((x) => expands(context.s, scope, x.e)),
    key: (context) => canonical(context.s, groups, scope).key,
    initial: { s: initialState(scope), depth: 0 },
  };
}

/** `fromTransition` logic: the reducer is the abstract step function. */
export function abstractLogic(graph: AbstractGraph) {
  return fromTransition(
    (context: AbstractContext, event: XEvent): AbstractContext => ({
      s: specStep(context.s, graph.scope, event.e).state,
      depth: context.depth + 1,
    }),
    graph.initial,
  );
}

const KINDS = [
  'add',
  'reset',
  'deleteItl',
  'deleteCtl',
  'power',
  'phoneTftp',
  'regen',
  'rename',
  'tftpRestart',
  'forge',
  'corrupt',
  'itlReset',
  'backup',
  'ctlSetCluster',
  'ctlUpdate',
  'ctlReset',
  'itlResetRemote',
  'domain',
  'upgrade',
  'password',
  'rebuild',
  'devicesReset',
  'wait',
  'back',
] as const satisfies ReadonlyArray<EventKind>;
/** Compile-time check that KINDS names every abstract event kind (a missing one would be ignored by the machine). */
const everyKind: [Exclude<EventKind, (typeof KINDS)[number]>] extends [never] ? true : never = true;
void everyKind;

/** A state machine: one state, the abstract state as context, one `assign` transition per event kind. */
export function abstractMachine(graph: AbstractGraph) {
  const step = assign(({ context, event }: { context: AbstractContext; event: XEvent }) => ({
    s: specStep(context.s, graph.scope, event.e).state,
    depth: context.depth + 1,
  }));
  return setup({ types: { context: {} as AbstractContext, events: {} as XEvent } }).createMachine({
    id: 'abstractModel',
    context: graph.initial,
    initial: 'model',
    states: { model: { on: Object.fromEntries(KINDS.map((k) => [k, { actions: step }])) } },
  });
}
