/**
 * The building blocks of the actions' effects (actions.ts): booting a phone, the hold timers and
 * automatic restarts as ranks, a TFTP start, ITLs rebuilt after a certificate change, the reset ITL
 * served. Each mutates the copy of the state a step works on (step.ts clones it first).
 */
import { NO_KEY, NO_NODE, type Key } from './constants.ts';
import { decide, resetItl, servedItl } from './rules.ts';
import type { SpecScope } from './scope.ts';
import type { SpecRule, SpecState } from './state.ts';

/**
 * A step: the state after an event, and what happened on the way that properties and coverage read
 * (plain fields, not lists, so the explorer's hot path allocates nothing more than the state).
 */
export interface SpecStep {
  state: SpecState;
  /** An accepted `set cert regen` on a node whose hold timer ran (only possible with the hold timer off). */
  regenWithinHold: boolean;
  /** The first phone a boot of this step locked (R4), -1 for none: read on the step, since the abstraction forgets trust. */
  locked: number;
  /** The rules this step's boots ended on, as bits (RULE_BITS): what the coverage report counts. */
  rules: number;
  /** The phones this step booted, as bits (bit i: phone i; scopes have far fewer than 31 phones). */
  booted: number;
}

/** The bit of each rule in `SpecStep.rules`. */
export const RULE_BITS: Record<SpecRule, number> = { R0: 1, R2: 2, R3: 4, R4: 8, R0e: 16, I1: 32, I2: 64, I3: 128 };

/** A fresh key (a regenerated certificate, an attacker's key). Mutates. */
export function freshKey(s: SpecState): Key {
  return s.nextKey++;
}

/**
 * Phone p boots (§4): its automatic restart (if any) ends, a pending TFTP change applies, it fetches
 * the ITL its node serves and the rules decide: R4 locks it and keeps its ITL, any other rule
 * installs the candidate. Records the decision on the phone and in the step. Mutates.
 */
export function boot(s: SpecState, scope: SpecScope, p: number, step: SpecStep): void {
  const phone = s.phones[p]!;
  phone.restartRank = 0;
  phone.timersBefore = 0;
  const tftp = phone.pendingTftp !== NO_NODE ? phone.pendingTftp : phone.tftp;
  const candidate = servedItl(s, tftp);
  const decision = decide(s, phone.itl, scope.configs[p]!.tvs, candidate);
  phone.tftp = tftp;
  phone.pendingTftp = NO_NODE;
  if (decision.rule === 'R4') phone.trust = 'locked';
  else {
    phone.itl = candidate;
    phone.trust = 'trusted';
  }
  phone.lastDecision = decision;
  step.rules |= RULE_BITS[decision.rule];
  step.booted |= 1 << p;
  if (step.locked < 0 && decision.rule === 'R4') step.locked = p;
}

/** Every phone plugged in and powered on boots. Mutates. */
export function bootEveryOnline(s: SpecState, scope: SpecScope, step: SpecStep): void {
  for (let p = 0; p < s.phones.length; p++) if (s.phones[p]!.added && s.phones[p]!.online) boot(s, scope, p, step);
}

/** How many hold timers run. Pure. */
export function runningTimers(s: SpecState): number {
  let top = 0;
  for (const n of s.nodes) if (n.holdRank > top) top = n.holdRank;
  return top;
}

/** Starts (or restarts) node n's hold timer as the newest running one (§7, A13). Mutates. */
export function startHold(s: SpecState, n: number): void {
  stopHold(s, n);
  s.nodes[n]!.holdRank = runningTimers(s) + 1;
}

/** Stops node n's hold timer; restarting phones that counted it among the timers started before their reset count one fewer. Mutates. */
export function stopHold(s: SpecState, n: number): void {
  const rank = s.nodes[n]!.holdRank;
  if (!rank) return;
  for (const x of s.nodes) if (x.holdRank > rank) x.holdRank -= 1;
  for (const p of s.phones) if (p.restartRank && p.timersBefore >= rank) p.timersBefore -= 1;
  s.nodes[n]!.holdRank = 0;
}

/**
 * An automatic reset (§6, A14) at the time of the current event: every powered-on phone that is not
 * already restarting starts a restart that ends after every restart under way and before every hold
 * timer started now or later (AUTO_RESTART_SECONDS < HOLD_SECONDS); timers started earlier may
 * expire before or after it. `holdStarted`: this event started a hold timer (the newest). Mutates.
 */
export function automaticReset(s: SpecState, holdStarted: boolean): void {
  let rank = 1;
  for (const p of s.phones) if (p.restartRank >= rank) rank = p.restartRank + 1;
  const before = runningTimers(s) - (holdStarted ? 1 : 0);
  for (const p of s.phones)
    if (p.added && p.online && !p.restartRank) {
      p.restartRank = rank;
      p.timersBefore = before;
    }
}

/** Node n's TFTP starts: it loads the publisher's ITLRecovery (A10), drops the reset ITL (Q5) and a forgery (A12), writes a new file. Mutates. */
export function startTftp(s: SpecState, n: number): void {
  const node = s.nodes[n]!;
  node.loadedRecovery = s.itlRecovery;
  node.servesReset = false;
  node.attacker = NO_KEY;
  node.corrupt = false;
}

/**
 * A CallManager, TVS or CAPF certificate changed (§6): the ITLs whose records changed are rebuilt,
 * node `only`'s or every node's (a rebuild ends a reset ITL, Q5, and a broken file, not a forgery),
 * and the phones are reset automatically (A14). Mutates.
 */
export function certsChanged(s: SpecState, only: number | null, holdStarted: boolean): void {
  for (let n = 0; n < s.nodes.length; n++)
    if (only === null || n === only) {
      s.nodes[n]!.servesReset = false;
      s.nodes[n]!.corrupt = false;
    }
  automaticReset(s, holdStarted);
}

/** New CallManager and TVS keys for node n (a rename, a domain change, a rebuild). Mutates. */
export function rekey(s: SpecState, n: number): void {
  s.nodes[n]!.callManager = freshKey(s);
  s.nodes[n]!.tvs = freshKey(s);
}

/**
 * `utils itl reset` signing with `key` (§8): the publisher's records re-signed, copied to every
 * TFTP node, whose service the command restarts. A restart loads the publisher's ITLRecovery (A10:
 * "the restarts inside utils itl reset") and serves the reset ITL (Q5); an impersonation goes on
 * (A12). Mutates.
 */
export function serveResetItl(s: SpecState, key: Key): void {
  s.resetItl = resetItl(s, key);
  for (const node of s.nodes) {
    node.servesReset = true;
    node.loadedRecovery = s.itlRecovery;
    node.corrupt = false;
  }
}
