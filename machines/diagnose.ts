import { phoneTrust } from '../model/trust/boot.ts';
import { nodeName, type NodeName } from '../model/cluster/notes.ts';
import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ClusterState, PhoneState } from '../model/cluster/clusterState.ts';
import type { LogEvent } from '../model/events.ts';
import type { CtlFailure, RuleFailure } from '../model/trust/ruleFailures.ts';
import { resetRestartsTftp } from '../model/releases.ts';
import type { ClusterContext } from './clusterMachine.ts';
import { replayFrom } from './replay.ts';

/**
 * The cheapest way back for a locked phone, in the contract's words; `tftp-restart` when its TFTP
 * node serves an attacker's or a broken file and restarting Cisco Tftp there is all it needs.
 */
export type Recovery =
  | 'tftp-restart'
  | 'itl-reset-localkey'
  | 'itl-reset-remotekey'
  | 'ctl-reset-localkey'
  | 'manual-itl-delete'
  | 'manual-ctl-delete'
  | 'factory-reset';

/** What to do, as data (cli/adviceText.ts says it): the recovery, where to type it, and what must come first. */
export interface Advice {
  recovery: Recovery;
  /** The publisher (where `utils itl reset` runs): its id in the log and its hostname now. */
  publisher: NodeName;
  /** The phone's TFTP node, when it must be restarted first, and why. */
  restartFirst?: { node: NodeName; because: 'forged' | 'corrupted' };
  /** The SFTP location of the p12, for remotekey. */
  backup?: { host: string; user: string; path: string };
  /** 12.0+: `utils itl reset` is the two-step procedure (reset, TFTP restart, reset again). */
  twoStep?: true;
}

/** Why a phone is locked and what would bring it back, found by simulating each remedy on a copy of the state. */
export interface Diagnosis {
  phone: string;
  /** Why R2 and R3 (or I1–I3) did not accept the ITL its last boot was offered. */
  failures: RuleFailure[];
  /** Why C1 and C2 did not accept the CTL its last boot was offered (empty unless its CTL was rejected). */
  ctlFailures: CtlFailure[];
  recovery: Recovery;
  /** The events of the remedy, as a log would record them (replay accepts them after this log). */
  remedy: LogEvent[];
  advice: Advice;
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
): Array<{ advice: Advice; events: LogEvent[] }> {
  const publisher = nodeName(publisherOf(cluster));
  const node = cluster.nodes.find((n) => n.id === (phone.pendingTftp ?? phone.tftp))!;
  const because: 'forged' | 'corrupted' | undefined = node.tftp?.forgery
    ? 'forged'
    : node.tftp?.corruption
      ? 'corrupted'
      : undefined;
  const restartFirst: Pick<Advice, 'restartFirst'> = because ? { restartFirst: { node: nodeName(node), because } } : {};
  let minute = 0;
  const next = () => later(at, ++minute);
  const first: LogEvent[] = because ? [{ type: 'tftp.restart', at: next(), node: node.id }] : [];
  const pubId = publisherOf(cluster).id;
  const tftpNodes = cluster.nodes.filter((n) => n.tftp);
  // 12.0+: the reset ITL is signed by the CallManager key until the next TFTP restart; the documented
  // procedure resets the phones, restarts TFTP everywhere (ITLRecovery signs again) and resets them again (SG125).
  const twoStep = !resetRestartsTftp(cluster.version);
  const steps: Pick<Advice, 'twoStep'> = twoStep ? { twoStep: true } : {};
  const resetThen = (reset: LogEvent): LogEvent[] => [
    ...first,
    reset,
    bootAgain(phone, next()),
    ...(twoStep
      ? [
          ...tftpNodes.map((n): LogEvent => ({ type: 'tftp.restart', at: next(), node: n.id })),
          bootAgain(phone, next()),
        ]
      : []),
  ];
  const remote = cluster.backups.map((b) => {
    const [userHost, path] = b.location.split(':') as [string, string];
    const [user, host] = userHost.split('@') as [string, string];
    minute = 0;
    const reset: LogEvent = { type: 'itl.reset', at: later(at, 1), node: pubId, key: 'remotekey', host, user, path };
    return {
      advice: {
        recovery: 'itl-reset-remotekey' as const,
        publisher,
        ...restartFirst,
        backup: { host, user, path },
        ...steps,
      },
      events: resetThen(reset),
    };
  });
  minute = 0;
  const local = resetThen({ type: 'itl.reset', at: next(), node: pubId, key: 'localkey' });
  // Mixed mode: utils ctl reset localkey (CTL signed by the CallManager key), reset, utils ctl update CTLFile, reset (SG125; FN70613).
  minute = 0;
  const ctlReset: LogEvent[] = cluster.ctl
    ? [
        ...first,
        { type: 'ctl.reset', at: next(), node: pubId, key: 'localkey' },
        bootAgain(phone, next()),
        { type: 'ctl.update', at: next(), node: pubId },
        bootAgain(phone, next()),
      ]
    : [];
  // Each erase remedy is timed on its own, from the diagnosis (they are alternatives, not a sequence).
  const erase = (type: 'phone.deleteItl' | 'phone.deleteCtl' | 'phone.factoryReset'): LogEvent[] => {
    minute = 0;
    return [...first, { type, at: next(), phone: phone.id }, ...(phone.online ? [] : [bootAgain(phone, next())])];
  };
  const holdsCtl = phone.ctl !== undefined;
  const tftpRestart = because
    ? [
        {
          advice: { recovery: 'tftp-restart' as const, publisher, ...restartFirst },
          events: [...first, bootAgain(phone, later(at, 2))],
        },
      ]
    : [];
  const itlResets =
    phone.sbd === false
      ? []
      : [
          { advice: { recovery: 'itl-reset-localkey' as const, publisher, ...restartFirst, ...steps }, events: local },
          ...remote,
        ];
  const ctlResets = ctlReset.length
    ? [{ advice: { recovery: 'ctl-reset-localkey' as const, publisher, ...restartFirst }, events: ctlReset }]
    : [];
  // A phone whose CTL was rejected is offered the documented CTL procedure first (SG125; FN70613), else the ITL's.
  const commands = phone.ctl?.state === 'rejected' ? [...ctlResets, ...itlResets] : [...itlResets, ...ctlResets];
  return [
    ...tftpRestart,
    ...commands,
    ...(phone.sbd === false
      ? []
      : [
          {
            advice: { recovery: 'manual-itl-delete' as const, publisher, ...restartFirst },
            events: erase('phone.deleteItl'),
          },
        ]),
    ...(holdsCtl
      ? [
          {
            advice: { recovery: 'manual-ctl-delete' as const, publisher, ...restartFirst },
            events: erase('phone.deleteCtl'),
          },
          {
            advice: { recovery: 'factory-reset' as const, publisher, ...restartFirst },
            events: erase('phone.factoryReset'),
          },
        ]
      : []),
  ];
}

/** Diagnoses one locked phone of a context whose last event happened at `at`. Pure. */
export function diagnose(context: ClusterContext, phoneId: string, at: string): Diagnosis {
  const cluster = context.cluster!;
  const phone = cluster.phones.find((p) => p.id === phoneId)!;
  const options = candidates(cluster, phone, at);
  const trusted = (events: LogEvent[]) =>
    phoneTrust(replayFrom(context, events).settled.cluster!.phones.find((p) => p.id === phoneId)!) === 'trusted';
  const works = options.find((option) => trusted(option.events)) ?? options[options.length - 1]!;
  return {
    phone: phoneId,
    failures: phone.trust === 'locked' ? (phone.lastDecision?.failures ?? []) : [],
    ctlFailures: phone.ctl?.state === 'rejected' ? phone.ctl.failures : [],
    recovery: works.advice.recovery,
    remedy: works.events,
    advice: works.advice,
  };
}

/** Diagnoses every locked phone. Pure. */
export function diagnoseAll(context: ClusterContext, at: string): Diagnosis[] {
  return (context.cluster?.phones ?? [])
    .filter((p) => phoneTrust(p) === 'locked')
    .map((p) => diagnose(context, p.id, at));
}
