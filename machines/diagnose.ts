import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from './clusterMachine.ts';
import { replayFrom } from './replay.ts';

/** The cheapest way back for a locked phone, in the contract's words. */
export type Recovery = 'itl-reset-localkey' | 'itl-reset-remotekey' | 'manual-itl-delete';

/** Why a phone is locked and what would bring it back, found by simulating each remedy on a copy of the state. */
export interface Diagnosis {
  phone: string;
  /** The rule the last boot ended on (R4) and why R2 and R3 failed. */
  reasons: string[];
  recovery: Recovery;
  /** The events of the remedy, as a log would record them (replay accepts them after this log). */
  remedy: LogEvent[];
  explanation: string;
}

function later(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString();
}

/** The events that reset one phone after a remedy: plug it in if it is unplugged, else reset it. */
function bootAgain(phone: PhoneState, at: string): LogEvent {
  return phone.online ? { type: 'phone.reset', at, phone: phone.id } : { type: 'phone.power', at, phone: phone.id, on: true };
}

function candidates(cluster: ClusterState, phone: PhoneState, at: string): Array<{ recovery: Recovery; events: LogEvent[]; explanation: string }> {
  const publisher = publisherOf(cluster);
  const resetThen = (reset: LogEvent) => [reset, bootAgain(phone, later(at, 2))];
  const remote = cluster.backups.map((b) => {
    const [userHost, path] = b.location.split(':') as [string, string];
    const [user, host] = userHost.split('@') as [string, string];
    return {
      recovery: 'itl-reset-remotekey' as const,
      events: resetThen({ type: 'itl.reset', at: later(at, 1), node: publisher.id, key: 'remotekey', host, user, path }),
      explanation: `utils itl reset remotekey ${host} ${user} ${path} on ${publisher.hostname}, then reset the phone`,
    };
  });
  return [
    { recovery: 'itl-reset-localkey', events: resetThen({ type: 'itl.reset', at: later(at, 1), node: publisher.id, key: 'localkey' }), explanation: `utils itl reset localkey on ${publisher.hostname}, then reset the phone` },
    ...remote,
    { recovery: 'manual-itl-delete', events: [{ type: 'phone.deleteItl', at: later(at, 1), phone: phone.id }, ...(phone.online ? [] : [bootAgain(phone, later(at, 2))])], explanation: 'erase the ITL on the phone (Settings > Security Configuration > Trust List), or factory reset it' },
  ];
}

/** Diagnoses one locked phone of a context whose last event happened at `at`. Pure. */
export function diagnose(context: ClusterContext, phoneId: string, at: string): Diagnosis {
  const cluster = context.cluster!;
  const phone = cluster.phones.find((p) => p.id === phoneId)!;
  const options = candidates(cluster, phone, at);
  const works = options.find((option) => replayFrom(context, option.events).settled.cluster!.phones.find((p) => p.id === phoneId)!.trust === 'trusted') ?? options[options.length - 1]!;
  return { phone: phoneId, reasons: phone.lastDecision?.reasons ?? [], recovery: works.recovery, remedy: works.events, explanation: works.explanation };
}

/** Diagnoses every locked phone. Pure. */
export function diagnoseAll(context: ClusterContext, at: string): Diagnosis[] {
  return (context.cluster?.phones ?? []).filter((p) => p.trust === 'locked').map((p) => diagnose(context, p.id, at));
}
