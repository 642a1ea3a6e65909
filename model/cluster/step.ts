import { setAutoFreeze } from 'immer';
import type { ClusterState, PhoneState } from './clusterState.ts';
import type { Note } from './notes.ts';
import { restartingIndexes } from './phoneTable.ts';
import type { Refusal } from './refusals.ts';
import type { Hazard } from './hazards.ts';
import type { SignerEvent } from './signer.ts';

// Immer's auto-freeze walks the whole produced tree on every update: with 10,000 phones it costs
// milliseconds per event (measured: 1.8 ms vs 22 µs). The model never mutates a produced state, so
// freezing buys nothing here.
setAutoFreeze(false);

/**
 * An alert: the daily syslog/RTMT alert the cluster raises (SEED), or a hazard of docs/rules.md §18
 * the model raises (cli/noteText.ts says each in words).
 */
export type Alert = { kind: 'itlrecovery-not-backed-up' } | Hazard;

/** An event for one node's ITL signer machine, which the replay sends after the step. */
export interface SignerSignal {
  node: string;
  event: SignerEvent;
}

/** What one event did on the cluster side, before any phone boots. */
export interface Step {
  state: ClusterState;
  /** Phones whose ITL is erased (before they boot). */
  erase: string[];
  /** Phones whose CTL is erased (before they boot). */
  eraseCtl: string[];
  /** Phones that boot because of this event, in order. */
  boots: string[];
  /** Phones an automatic reset reaches: they boot AUTO_RESET_SECONDS later (A14). */
  restarts: string[];
  /** Why a command was refused or failed (cli/refusalText.ts prints what the CUCM CLI says). */
  refusals: Refusal[];
  alerts: Alert[];
  /** What happened, for the timeline. */
  notes: Note[];
  /** What happened to TFTP services, for their signer machines (they decide what each node serves). */
  signals: SignerSignal[];
}

/** A step that changed nothing but the state given. Pure. */
export function stepOf(state: ClusterState, parts: Partial<Omit<Step, 'state'>> = {}): Step {
  return {
    state,
    erase: [],
    eraseCtl: [],
    boots: [],
    restarts: [],
    refusals: [],
    alerts: [],
    notes: [],
    signals: [],
    ...parts,
  };
}

/** Seconds between two event times. Pure. */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/**
 * ASSUMPTION A14: seconds an automatic reset takes, from the reset to the phone fetching its ITL.
 * SEED gives the 5-minute hold timer the goal that "phones reset after the first regeneration and
 * are back before the second one", so it is less than 300; 120 s is a typical phone reboot.
 */
export const AUTO_RESET_SECONDS = 120;

/** An event time plus some seconds, written like the event's time (same UTC offset, milliseconds only if it has them). Pure. */
export function addSeconds(at: string, seconds: number): string {
  const zone = /([+-])(\d\d):(\d\d)$/.exec(at);
  const offsetMinutes = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
  const local = new Date(Date.parse(at) + seconds * 1000 + offsetMinutes * 60_000).toISOString();
  return (/\.\d+/.test(at) ? local.slice(0, 23) : local.slice(0, 19)) + (zone ? zone[0] : 'Z');
}

/** Phones whose automatic restart ends by `at` (A14), earliest first (log order on ties). Pure. */
export function dueRestarts(state: ClusterState, at: string): PhoneState[] {
  const when = Date.parse(at);
  const isDue = (p: PhoneState) => p.restartingUntil !== undefined && Date.parse(p.restartingUntil) <= when;
  // An owned array's table knows which phones are restarting: no scan of every phone per event.
  const restarting = restartingIndexes(state.phones);
  const due = restarting ? restarting.map((i) => state.phones[i]!).filter(isDue) : state.phones.filter(isDue);
  // The sort is stable, so ties keep log order.
  return due.sort((a, b) => Date.parse(a.restartingUntil!) - Date.parse(b.restartingUntil!));
}

/** When the last automatic restart under way ends, if any; of ends at the same instant (written with different UTC offsets), the first phone's in log order, as `dueRestarts` boots them. Pure. */
export function lastRestartEnd(state: ClusterState): string | undefined {
  let last: string | undefined;
  for (const p of state.phones)
    if (p.restartingUntil && (!last || Date.parse(p.restartingUntil) > Date.parse(last))) last = p.restartingUntil;
  return last;
}
