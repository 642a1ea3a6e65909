import { assertEvent, assign, setup } from 'xstate';
import { applyEvent, withAlert } from '../model/cluster/applyEvent.ts';
import type { ClusterState, ModelOptions } from '../model/cluster/clusterState.ts';
import type { Refusal } from '../model/cluster/refusals.ts';
import { DEFAULT_OPTIONS } from '../model/cluster/install.ts';
import { addSeconds, AUTO_RESET_SECONDS, dueRestarts, type Alert } from '../model/cluster/step.ts';
import { EVENT_TYPES, type LogEvent } from '../model/events.ts';
import { realCrypto } from '../model/trust/realCrypto.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import { regenerateThroughNode } from './runNodes.ts';
import { runPhones, type PhoneOutcome } from './runPhones.ts';

/** What one log event caused: the timeline's line. */
export interface EventReport extends PhoneOutcome {
  event: number;
  type: LogEvent['type'] | ClockEvent['type'];
  at: string;
  notes: string[];
  /** Why the event's command was refused or failed (cli renders what the CUCM CLI printed). */
  refusals: Refusal[];
  alerts: Alert[];
  /** Phones whose automatic restart ended before this event (A14): they booted against the world before it. */
  back: string[];
}

/** The cluster machine's context: the modelled world and the report of the last event. */
export interface ClusterContext {
  cluster: ClusterState | null;
  events: number;
  last: EventReport | null;
  options: ModelOptions;
}

const cryptos: Record<string, TrustCrypto> = { real: realCrypto };

/** Makes another crypto implementation (the symbolic one) selectable by name. */
export function registerCrypto(crypto: TrustCrypto): void {
  cryptos[crypto.name] = crypto;
}

/** Input of the cluster machine: model options and which crypto the phones use. */
export interface ClusterInput {
  options?: ModelOptions;
  crypto?: TrustCrypto['name'];
}

function report(events: number, event: LogEvent, parts: Omit<EventReport, 'event' | 'type' | 'at'>): EventReport {
  return { event: events, type: event.type, at: event.at, ...parts };
}

/** Time passes to `at`: phones whose automatic restart has ended by then boot (A14), attributed to event `event`. Pure. */
function finishRestarts(
  cluster: ClusterState,
  at: string,
  event: number,
  crypto: TrustCrypto,
): { cluster: ClusterState; outcome: PhoneOutcome; notes: string[] } {
  const due = dueRestarts(cluster, at);
  if (due.length === 0) return { cluster, outcome: { booted: [], locked: [], recovered: [], updated: [] }, notes: [] };
  const ends = [...new Set(due.map((p) => p.restartingUntil!))];
  const phones = runPhones(cluster, { erase: [], boots: due.map((p) => p.id), restarts: [] }, event, crypto);
  return {
    cluster: phones.state,
    outcome: phones.outcome,
    notes: [`automatic reset over at ${ends.join(', ')}: ${due.length} phone(s) back`],
  };
}

function merge(a: PhoneOutcome, b: PhoneOutcome): PhoneOutcome {
  return {
    booted: [...a.booted, ...b.booted],
    locked: [...a.locked, ...b.locked],
    recovered: [...a.recovered, ...b.recovered],
    updated: [...a.updated, ...b.updated],
  };
}

/**
 * Applies one log event: first the automatic restarts that ended before it (A14), then the cluster
 * side (model/cluster), then the phone machine for each phone the event erases, boots or resets. Pure.
 */
function runEvent(context: ClusterContext & { crypto: TrustCrypto['name'] }, event: LogEvent): Partial<ClusterContext> {
  const events = context.events + 1;
  const crypto = cryptos[context.crypto]!;
  const before = context.cluster ? finishRestarts(context.cluster, event.at, events, crypto) : null;
  const cluster = before?.cluster ?? context.cluster;
  // `set cert regen` is decided by the node's machine; every other event's cluster side is the model's step.
  const step =
    event.type === 'cert.regenerate'
      ? withAlert(regenerateThroughNode(cluster!, event), event.at)
      : applyEvent(cluster, event, context.options);
  const phones = runPhones(step.state, { ...step, until: addSeconds(event.at, AUTO_RESET_SECONDS) }, events, crypto);
  const notes = [...(before?.notes ?? []), ...step.notes];
  const outcome = before ? merge(before.outcome, phones.outcome) : phones.outcome;
  return {
    cluster: phones.state,
    events,
    last: report(events, event, {
      notes,
      refusals: step.refusals,
      alerts: step.alerts,
      back: before?.outcome.booted ?? [],
      ...outcome,
    }),
  };
}

/**
 * Not a log event: time passes to `at` with no event (the end of a log), so automatic restarts
 * under way end (A14). Its boots and report carry the number after the last log event's.
 */
export interface ClockEvent {
  type: 'clock';
  at: string;
}

function runClock(
  context: ClusterContext & { crypto: TrustCrypto['name'] },
  event: ClockEvent,
): Partial<ClusterContext> {
  const done = finishRestarts(context.cluster!, event.at, context.events + 1, cryptos[context.crypto]!);
  return {
    cluster: done.cluster,
    last: {
      event: context.events + 1,
      type: 'clock',
      at: event.at,
      notes: done.notes,
      refusals: [],
      alerts: [],
      back: done.outcome.booted,
      ...done.outcome,
    },
  };
}

/** Every log event but the install is an event of a running cluster (derived from the log's own list, so none is forgotten). */
const LOG_EVENTS = EVENT_TYPES.filter((type) => type !== 'cluster.install');

/**
 * The cluster: `uninstalled` until `cluster.install`, then `running`, where every log event is
 * applied by the model and the phones it boots run through the phone machine.
 */
export const clusterMachine = setup({
  types: {
    context: {} as ClusterContext & { crypto: TrustCrypto['name'] },
    events: {} as LogEvent | ClockEvent,
    input: {} as ClusterInput,
  },
  actions: {
    applyLogEvent: assign(({ context, event }) => {
      if (event.type === 'clock' || event.type === 'cluster.install')
        throw new Error(`bug: ${event.type} is not an event of a running cluster's log`);
      return runEvent(context, event);
    }),
    passTime: assign(({ context, event }) => {
      assertEvent(event, 'clock');
      return runClock(context, event);
    }),
    install: assign(({ context, event }) => {
      assertEvent(event, 'cluster.install');
      return runEvent(context, event);
    }),
  },
}).createMachine({
  id: 'cluster',
  context: ({ input }) => ({
    cluster: null,
    events: 0,
    last: null,
    options: input.options ?? DEFAULT_OPTIONS,
    crypto: input.crypto ?? 'real',
  }),
  initial: 'uninstalled',
  states: {
    uninstalled: { on: { 'cluster.install': { target: 'running', actions: 'install' } } },
    running: {
      on: {
        ...Object.fromEntries(LOG_EVENTS.map((type) => [type, { actions: 'applyLogEvent' }])),
        clock: { actions: 'passTime' },
      },
    },
  },
});
