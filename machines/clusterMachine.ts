import { assertEvent, assign, setup } from 'xstate';
import { applyEvent, withAlert } from '../model/cluster/applyEvent.ts';
import type { ClusterState, ModelOptions } from '../model/cluster/clusterState.ts';
import { DEFAULT_OPTIONS } from '../model/cluster/install.ts';
import type { Alert } from '../model/cluster/step.ts';
import type { LogEvent } from '../model/events.ts';
import { realCrypto } from '../model/trust/realCrypto.ts';
import type { TrustCrypto } from '../model/trust/trustCrypto.ts';
import { regenerateThroughNode } from './runNodes.ts';
import { runPhones, type PhoneOutcome } from './runPhones.ts';

/** What one log event caused: the timeline's line. */
export interface EventReport extends PhoneOutcome {
  event: number;
  type: LogEvent['type'];
  at: string;
  notes: string[];
  messages: string[];
  alerts: Alert[];
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

/** Applies one log event: the cluster side (model/cluster), then the phone machine for each phone that boots. Pure. */
function runEvent(context: ClusterContext & { crypto: TrustCrypto['name'] }, event: LogEvent): Partial<ClusterContext> {
  const events = context.events + 1;
  // `set cert regen` is decided by the node's machine; every other event's cluster side is the model's step.
  const step = event.type === 'cert.regenerate' ? withAlert(regenerateThroughNode(context.cluster!, event), event.at) : applyEvent(context.cluster, event, context.options);
  const phones = runPhones(step.state, step.erase, step.boots, events, cryptos[context.crypto]!);
  const { notes, messages, alerts } = step;
  return { cluster: phones.state, events, last: report(events, event, { notes, messages, alerts, ...phones.outcome }) };
}

const LOG_EVENTS = ['cluster.upgrade', 'phone.add', 'cert.regenerate', 'node.rename', 'cluster.domain', 'tftp.restart', 'itl.reset', 'itlrecovery.backup', 'cluster.password', 'publisher.rebuild', 'devices.reset', 'phone.reset', 'phone.power', 'phone.deleteItl', 'phone.tftp', 'tftp.forge'] as const;

/**
 * The cluster: `uninstalled` until `cluster.install`, then `running`, where every log event is
 * applied by the model and the phones it boots run through the phone machine.
 */
export const clusterMachine = setup({
  types: {
    context: {} as ClusterContext & { crypto: TrustCrypto['name'] },
    events: {} as LogEvent,
    input: {} as ClusterInput,
  },
  actions: {
    applyLogEvent: assign(({ context, event }) => runEvent(context, event)),
    install: assign(({ context, event }) => {
      assertEvent(event, 'cluster.install');
      return runEvent(context, event);
    }),
  },
}).createMachine({
  id: 'cluster',
  context: ({ input }) => ({ cluster: null, events: 0, last: null, options: input.options ?? DEFAULT_OPTIONS, crypto: input.crypto ?? 'real' }),
  initial: 'uninstalled',
  states: {
    uninstalled: { on: { 'cluster.install': { target: 'running', actions: 'install' } } },
    running: { on: Object.fromEntries(LOG_EVENTS.map((type) => [type, { actions: 'applyLogEvent' }])) },
  },
});
