import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { ClusterContext } from './clusterMachine.ts';
import { replayFrom } from './replay.ts';

/**
 * The cheapest way back for a locked phone, in the contract's words; `tftp-restart` when its TFTP
 * node serves an attacker's or a broken file and restarting Cisco Tftp there is all it needs.
 */
export type Recovery = 'tftp-restart' | 'itl-reset-localkey' | 'itl-reset-remotekey' | 'manual-itl-delete';

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
  return phone.online
    ? { type: 'phone.reset', at, phone: phone.id }
    : { type: 'phone.power', at, phone: phone.id, on: true };
}

/**
 * The remedies to try, cheapest first. When the phone's TFTP node is impersonated (A12) or serves a
 * broken file, every remedy starts by restarting Cisco Tftp there: an erased phone would otherwise
 * trust the attacker's ITL on its next boot (R0), and a reset ITL would not reach it.
 */
function candidates(
  cluster: ClusterState,
  phone: PhoneState,
  at: string,
): Array<{ recovery: Recovery; events: LogEvent[]; explanation: string }> {
  const publisher = publisherOf(cluster);
  const node = cluster.nodes.find((n) => n.id === (phone.pendingTftp ?? phone.tftp))!;
  const bad = node.tftp?.forgery
    ? 'an attacker impersonates its TFTP server'
    : node.tftp?.corruption
      ? 'it serves its ITL with a broken signature'
      : undefined;
  const first: LogEvent[] = bad ? [{ type: 'tftp.restart', at: later(at, 1), node: node.id }] : [];
  const prefix = bad ? `restart Cisco Tftp on ${node.hostname} first (${bad}), then ` : '';
  const resetThen = (reset: LogEvent) => [...first, reset, bootAgain(phone, later(at, 2))];
  const remote = cluster.backups.map((b) => {
    const [userHost, path] = b.location.split(':') as [string, string];
    const [user, host] = userHost.split('@') as [string, string];
    return {
      recovery: 'itl-reset-remotekey' as const,
      events: resetThen({
        type: 'itl.reset',
        at: later(at, 1),
        node: publisher.id,
        key: 'remotekey',
        host,
        user,
        path,
      }),
      explanation: `${prefix}utils itl reset remotekey ${host} ${user} ${path} on ${publisher.hostname}, then reset the phone`,
    };
  });
  return [
    ...(bad
      ? [
          {
            recovery: 'tftp-restart' as const,
            events: [...first, bootAgain(phone, later(at, 2))],
            explanation: `restart Cisco Tftp on ${node.hostname} (${bad}), then reset the phone`,
          },
        ]
      : []),
    {
      recovery: 'itl-reset-localkey',
      events: resetThen({ type: 'itl.reset', at: later(at, 1), node: publisher.id, key: 'localkey' }),
      explanation: `${prefix}utils itl reset localkey on ${publisher.hostname}, then reset the phone`,
    },
    ...remote,
    {
      recovery: 'manual-itl-delete',
      events: [
        ...first,
        { type: 'phone.deleteItl', at: later(at, 1), phone: phone.id },
        ...(phone.online ? [] : [bootAgain(phone, later(at, 2))]),
      ],
      explanation: `${prefix}erase the ITL on the phone (Settings > Security Configuration > Trust List), or factory reset it`,
    },
  ];
}

/** Diagnoses one locked phone of a context whose last event happened at `at`. Pure. */
export function diagnose(context: ClusterContext, phoneId: string, at: string): Diagnosis {
  const cluster = context.cluster!;
  const phone = cluster.phones.find((p) => p.id === phoneId)!;
  const options = candidates(cluster, phone, at);
  const works =
    options.find(
      (option) =>
        replayFrom(context, option.events).settled.cluster!.phones.find((p) => p.id === phoneId)!.trust === 'trusted',
    ) ?? options[options.length - 1]!;
  return {
    phone: phoneId,
    reasons: phone.lastDecision?.reasons ?? [],
    recovery: works.recovery,
    remedy: works.events,
    explanation: works.explanation,
  };
}

/** Diagnoses every locked phone. Pure. */
export function diagnoseAll(context: ClusterContext, at: string): Diagnosis[] {
  return (context.cluster?.phones ?? []).filter((p) => p.trust === 'locked').map((p) => diagnose(context, p.id, at));
}
