/**
 * What an action of the spec is (Quint's and TLA+'s shape): when it can happen, when the cluster
 * refuses it, and what it does, in one place. The actions themselves are in *Actions.ts, gathered
 * in actions.ts; step.ts takes them.
 */
import type { SpecStep } from './effects.ts';
import type { EventKind, EventOf } from './events.ts';
import type { SpecRefusalKind } from './refusals.ts';
import type { SpecScope } from './scope.ts';
import type { SpecState } from './state.ts';

/** One action: the events of kind K. */
export interface Action<K extends EventKind> {
  /** Whether the event can be in a log at this state (a phone is named only once added, time passes only toward a deadline). Pure. */
  enabled(s: SpecState, e: EventOf<K>): boolean;
  /** Why the cluster refuses the command at this state, or null: a refused command changes nothing. Absent: never refused. Pure. */
  refusal?(s: SpecState, scope: SpecScope, e: EventOf<K>): SpecRefusalKind | null;
  /**
   * What the accepted event does to the state being built (step.state, a copy). Mutates. What it
   * writes to the cluster (everything but the phones) it computes from the cluster alone: the
   * commands act on the cluster's nodes, keys and files, none on what a phone holds (phones are
   * written from both). So from two states with the same cluster an event gives the same cluster;
   * the packed explorer's cluster memo (properties/packed/clusterMemo.ts) relies on it, and
   * clusterMemo.prop.test.ts checks it on every state of its scopes.
   */
  effect(s: SpecState, scope: SpecScope, e: EventOf<K>, step: SpecStep): void;
  /**
   * Present (true) when the effect changes nothing but the phones (and the step): the nodes, the
   * cluster's keys and files, and nextKey stay as they were, so no key is made or dropped. The packed
   * explorer then keys the successor from its parent's cluster codes (canonicalCodes.ts phonesOnlyCodes);
   * phonesOnly.prop.test.ts checks the claim on every state of its scopes.
   */
  phonesOnly?: true;
  /**
   * Present (true) when the effect changes nothing but the cluster: it writes no phone (so no phone
   * boots) and leaves the step as it starts (no rule, no lock, no regeneration within a hold). Such a
   * step passes every step check (spec/invariants.ts `AbstractCheck.step`). The packed explorer then
   * keys the successor from the cluster memo's entry and its parent's phones, without running the
   * effect (properties/packed/clusterMemo.ts `quietKeyOf`); clusterOnly.prop.test.ts checks the claim
   * on every state the explorer reaches within a few steps of six kinds of scope. No action is both
   * this and `phonesOnly`.
   */
  clusterOnly?: true;
}

/** One action per kind. */
export type ActionTable<K extends EventKind> = { [X in K]: Action<X> };

/** The enabling condition of an action that can always happen. */
export const always = (): boolean => true;
