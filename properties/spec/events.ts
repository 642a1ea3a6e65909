/**
 * The spec's events (its actions' names and parameters): a log event with nodes and phones by
 * index and no time, plus two ways time passes: `wait` (the oldest running hold timer expires) and
 * `back` (the earliest automatic restart under way ends, A14: its phones boot). A mixed-mode scope
 * has the `utils ctl` commands and the CTL erased from a phone too.
 */
import { CERTS, type SpecCert } from './constants.ts';
import type { SpecScope } from './scope.ts';

/** An abstract event. */
export type SpecEvent =
  | { kind: 'add' | 'reset' | 'deleteItl' | 'deleteCtl'; phone: number }
  | { kind: 'power'; phone: number; on: boolean }
  | { kind: 'phoneTftp'; phone: number; node: number }
  | { kind: 'regen'; node: number; cert: SpecCert }
  | {
      kind:
        | 'rename'
        | 'tftpRestart'
        | 'forge'
        | 'corrupt'
        | 'itlReset'
        | 'backup'
        | 'ctlSetCluster'
        | 'ctlUpdate'
        | 'ctlReset';
      node: number;
    }
  | { kind: 'itlResetRemote' | 'domain' | 'upgrade' | 'password' | 'rebuild' | 'devicesReset' | 'wait' | 'back' };

/** The kind of an abstract event: one action of the spec. */
export type EventKind = SpecEvent['kind'];

/** The events of one kind. */
export type EventOf<K extends EventKind> = SpecEvent & { kind: K };

/** An event about a phone. */
export type PhoneEvent = Extract<SpecEvent, { phone: number }>;

/** The label of an event for coverage and alphabets: its kind, and the certificate of a regeneration. */
export type EventLabel = Exclude<EventKind, 'regen'> | `regen:${SpecCert}`;

/** Which events a run may take (the known weaknesses' scopes restrict it to one cause). */
export type Alphabet = ReadonlySet<EventLabel>;

/** The label of an event. Pure. */
export function eventLabel(e: SpecEvent): EventLabel {
  return e.kind === 'regen' ? `regen:${e.cert}` : e.kind;
}

/** The kinds only a mixed-mode scope has. */
export const MIXED_KINDS: ReadonlySet<EventKind> = new Set(['ctlSetCluster', 'ctlUpdate', 'ctlReset', 'deleteCtl']);

/** Every event of a scope in a fixed order (the explorer draws a state's successors from it). Pure. */
export function allEvents(scope: SpecScope, alphabet?: Alphabet): SpecEvent[] {
  const ok = (label: EventLabel) =>
    (!alphabet || alphabet.has(label)) && (scope.mixed || !MIXED_KINDS.has(label as EventKind));
  const out: SpecEvent[] = [];
  for (let phone = 0; phone < scope.phones; phone++) {
    for (const kind of ['add', 'reset', 'deleteItl', 'deleteCtl'] as const) if (ok(kind)) out.push({ kind, phone });
    if (ok('power')) out.push({ kind: 'power', phone, on: false }, { kind: 'power', phone, on: true });
    for (let node = 0; node < scope.nodes && ok('phoneTftp'); node++) out.push({ kind: 'phoneTftp', phone, node });
  }
  for (let node = 0; node < scope.nodes; node++) {
    // ITLRecovery on a subscriber from 12.5 is refused (itlRecoveryOnPublisher): taken only to count that refusal.
    for (const cert of CERTS) if (ok(`regen:${cert}`)) out.push({ kind: 'regen', node, cert });
    for (const kind of ['rename', 'tftpRestart', 'forge', 'corrupt'] as const) if (ok(kind)) out.push({ kind, node });
  }
  // On a subscriber these are refused (notPublisher, fileNotFound): taken only to count those refusals.
  for (let node = 0; node < scope.nodes; node++) if (ok('itlReset')) out.push({ kind: 'itlReset', node });
  for (let node = 0; node < scope.nodes; node++) if (ok('backup')) out.push({ kind: 'backup', node });
  for (const kind of ['ctlSetCluster', 'ctlUpdate', 'ctlReset'] as const)
    for (let node = 0; node < scope.nodes; node++) if (ok(kind)) out.push({ kind, node });
  for (const kind of [
    'itlResetRemote',
    'domain',
    'upgrade',
    'password',
    'rebuild',
    'devicesReset',
    'wait',
    'back',
  ] as const)
    if (ok(kind)) out.push({ kind });
  return out;
}
