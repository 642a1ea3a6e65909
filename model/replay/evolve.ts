/**
 * The replay's evolve (emmett's decider shape): what one log event does to the modelled world, in
 * order. Time passes first (automatic restarts that have ended boot their phones, A14; hold timers
 * run out), then the event's cluster side (model/cluster), then the signer machines take what
 * happened to their TFTP services, then the phones the event erases, boots or resets. Every decision
 * is the engine's (model/replay/engine.ts). Pure.
 */
import { applyEvent, withAlert } from '../cluster/applyEvent.ts';
import { actionHazards, raiseHazards } from '../cluster/hazards.ts';
import type { ClusterState, ModelOptions } from '../cluster/clusterState.ts';
import type { Note } from '../cluster/notes.ts';
import type { Refusal } from '../cluster/refusals.ts';
import {
  addSeconds,
  AUTO_RESET_SECONDS,
  dueRestarts,
  stepOf,
  type Alert,
  type SignerSignal,
  type Step,
} from '../cluster/step.ts';
import type { LogEvent } from '../events.ts';
import { trustCrypto } from '../trust/cryptos.ts';
import type { TrustCrypto } from '../trust/trustCrypto.ts';
import type { Engine } from './engine.ts';
import { NO_OUTCOME, runPhones, type PhoneOutcome } from './runPhones.ts';

/** Not a log event: time passes to `at` with no event (the end of a log), so automatic restarts under way end (A14). */
export interface ClockEvent {
  type: 'clock';
  at: string;
}

/** Automatic restarts that ended before an event (A14): when the last of them ended, and what their boots did. */
export interface RestartsEnded extends PhoneOutcome {
  at: string;
}

/** What one log event caused: the timeline's line (a restart end before it is its own line, `ended`). */
export interface EventReport extends PhoneOutcome {
  /** 1-based number of the log event; for the end of a log (`clock`), one more than the last. */
  event: number;
  type: LogEvent['type'] | ClockEvent['type'];
  at: string;
  notes: Note[];
  /** Why the event's command was refused or failed (cli renders what the CUCM CLI printed). */
  refusals: Refusal[];
  alerts: Alert[];
  /** Automatic restarts that ended before this event: their phones booted against the world before it. */
  ended: RestartsEnded | null;
}

/** The fold's state (and the cluster machine's context): the modelled world and the report of the last event. */
export interface ClusterContext {
  cluster: ClusterState | null;
  events: number;
  last: EventReport | null;
  options: ModelOptions;
  /** Which crypto the phones verify with: real RSA, or symbolic key identities (exhaustive checking). */
  crypto: TrustCrypto['name'];
}

/** Time passes to `at`: phones whose automatic restart has ended by then boot (A14), attributed to event `event`. Pure. */
function finishRestarts(
  cluster: ClusterState,
  at: string,
  event: number,
  crypto: TrustCrypto,
  engine: Engine,
): { cluster: ClusterState; ended: RestartsEnded | null } {
  const due = dueRestarts(cluster, at);
  if (due.length === 0) return { cluster, ended: null };
  const last = due[due.length - 1]!.restartingUntil!;
  const phones = runPhones(cluster, { erase: [], boots: due.map((p) => p.id), restarts: [] }, event, crypto, engine);
  return { cluster: phones.state, ended: { at: last, ...phones.outcome } };
}

/** Time passes to `at` for the nodes' hold timers (only running ones can change). Pure. */
function tickNodes(cluster: ClusterState, at: string, engine: Engine): ClusterState {
  if (!cluster.nodes.some((n) => n.holdTimer === 'running')) return cluster;
  return {
    ...cluster,
    nodes: cluster.nodes.map((n) => (n.holdTimer === 'running' ? engine.tick(n, at, cluster.options) : n)),
  };
}

/** The signer machines take what happened to their TFTP services. Pure. */
function signal(state: ClusterState, signals: SignerSignal[], engine: Engine): ClusterState {
  if (signals.length === 0) return state;
  const nodes = state.nodes.slice();
  for (const { node, event } of signals) {
    const i = nodes.findIndex((n) => n.id === node);
    const tftp = nodes[i]!.tftp!;
    nodes[i] = { ...nodes[i]!, tftp: { ...tftp, signer: engine.signer(nodes[i]!, event) } };
  }
  return { ...state, nodes };
}

/**
 * Applies one log event (or the end of a log). `refused`: a refusal already decided by the caller
 * (the cluster machine's guard on `utils itl reset`); the event's step is then that refusal. Pure.
 */
export function evolve(
  context: ClusterContext,
  event: LogEvent | ClockEvent,
  engine: Engine,
  refused?: Refusal,
): ClusterContext {
  const events = event.type === 'clock' ? context.events : context.events + 1;
  const number = event.type === 'clock' ? context.events + 1 : events;
  const crypto = trustCrypto(context.crypto);
  const before = context.cluster ? finishRestarts(context.cluster, event.at, number, crypto, engine) : null;
  if (event.type === 'clock') {
    const report: EventReport = {
      event: number,
      type: 'clock',
      at: event.at,
      notes: [],
      refusals: [],
      alerts: [],
      ended: before!.ended,
      ...NO_OUTCOME,
    };
    return { ...context, cluster: before!.cluster, last: report };
  }
  const cluster = before ? tickNodes(before.cluster, event.at, engine) : null;
  // Judged before the event's step: an owning fold writes the phones of `cluster` in place (model/cluster/phoneTable.ts).
  const action = cluster ? actionHazards(cluster, event) : [];
  const step = clusterStep(cluster, event, context.options, engine, refused);
  const state = signal(step.state, step.signals, engine);
  const phones = runPhones(state, { ...step, until: addSeconds(event.at, AUTO_RESET_SECONDS) }, events, crypto, engine);
  const hazards = raiseHazards(cluster, phones.state, event, step.refusals.length > 0, action);
  const report: EventReport = {
    event: events,
    type: event.type,
    at: event.at,
    notes: step.notes,
    refusals: step.refusals,
    alerts: [...step.alerts, ...hazards.hazards],
    ended: before?.ended ?? null,
    ...phones.outcome,
  };
  return { ...context, cluster: hazards.state, events, last: report };
}

/** The cluster side of one log event: `set cert regen` is the engine's to decide, every other event the model's step. Pure. */
function clusterStep(
  cluster: ClusterState | null,
  event: LogEvent,
  options: ModelOptions,
  engine: Engine,
  refused?: Refusal,
): Step {
  if (refused) return withAlert(stepOf(cluster!, { refusals: [refused] }), event.at);
  if (event.type === 'cert.regenerate') return withAlert(engine.regenerate(cluster!, event), event.at);
  return applyEvent(cluster, event, options);
}
