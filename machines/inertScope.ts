import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate';

/**
 * One inert actor scope for a machine's pure transitions: xstate's `transition()` builds a
 * throw-away actor per call, which a million phone boots cannot afford. Nothing is started, sent
 * or spawned through it: the machines it serves have no delayed, invoked or spawned children, so
 * the scope only hosts the call (the same shape as xstate's own inert scope).
 */
export function inertScope(machine: AnyStateMachine): AnyActorScope {
  const self = createActor(machine, { input: undefined as never });
  const noop = () => {};
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: noop,
    defer: noop,
    emit: noop,
    stopChild: noop,
    actionExecutor: noop,
  } as unknown as AnyActorScope;
}
