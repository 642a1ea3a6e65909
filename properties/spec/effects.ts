/**
 * The building blocks of the actions' effects (actions.ts): booting a phone, the hold timers and
 * automatic restarts as ranks, a TFTP start, ITLs rebuilt after a certificate change, the reset ITL
 * served. Each mutates the copy of the state a step works on (step.ts clones it first).
 */
import { NO_KEY, NO_NODE, type Key } from './constants.ts';
import { decide, decideCtl, resetItl, servedCtl, servedItl } from './rules.ts';
import type { SpecScope } from './scope.ts';
import { trustOf, type SpecCtlRule, type SpecRule, type SpecState } from './state.ts';

/**
 * A step: the state after an event, and what happened on the way that properties and coverage read
 * (plain fields, not lists, so the explorer's hot path allocates nothing more than the state).
 */
export interface SpecStep {
  state: SpecState;
  /** An accepted `set cert regen` on a node whose hold timer ran (only possible with the hold timer off). */
  regenWithinHold: boolean;
  /** The first phone a boot of this step left locked (R4, I3 or C3), -1 for none: read on the step, since the abstraction forgets trust. */
  locked: number;
  /** The rules this step's boots ended on (ITL and CTL steps), as bits (RULE_BITS): what the coverage report counts. */
  rules: number;
  /** The phones this step booted, as bits (bit i: phone i; scopes have far fewer than 31 phones). */
  booted: number;
}

/** The bit of each rule in `SpecStep.rules` (R0e never occurs in the spec: it has no rollback parameter). */
export const RULE_BITS: Record<SpecRule | SpecCtlRule, number> = {
  R0: 1,
  R2: 2,
  R3: 4,
  R4: 8,
  R0e: 16,
  I1: 32,
  I2: 64,
  I3: 128,
  C0: 256,
  C1: 512,
  C2: 1024,
  C3: 2048,
};

/** How many distinct `SpecStep.rules` masks there are (the explorer tallies them in an array of this size). */
export const RULE_MASKS = 4096;

/** A fresh key (a regenerated certificate, an attacker's key). Mutates. */
export function freshKey(s: SpecState): Key {
  return s.nextKey++;
}

/**
 * Phone p boots (§4, §16): its automatic restart (if any) ends, a pending TFTP change applies. When
 * its node serves a CTL, the CTL step comes first (SECMIG): C3 keeps the old CTL and marks it
 * rejected, any other rule installs the candidate. Then it fetches the ITL its node serves and the
 * rules decide: R4 and I3 lock it and keep its ITL, any other rule installs the candidate. Records the
 * ITL decision on the phone and both in the step. Mutates.
 */
export function boot(s: SpecState, scope: SpecScope, p: number, step: SpecStep): void {
  const phone = s.phones[p]!;
  const tvsList = scope.configs[p]!.tvs;
  phone.restartRank = 0;
  phone.timersBefore = 0;
  const tftp = phone.pendingTftp !== NO_NODE ? phone.pendingTftp : phone.tftp;
  phone.tftp = tftp;
  phone.pendingTftp = NO_NODE;
  const heldCtl = phone.ctl !== null;
  const ctl = servedCtl(s, tftp);
  if (ctl) {
    const rule = decideCtl(s, scope, phone.ctl, phone.ctlRejected, phone.itl, tvsList, ctl);
    if (rule === 'C3') phone.ctlRejected = true;
    else if (rule) {
      phone.ctl = ctl;
      phone.ctlRejected = false;
    }
    if (rule) step.rules |= RULE_BITS[rule];
  }
  const candidate = servedItl(s, tftp);
  const decision = decide(s, scope, phone.itl, heldCtl, phone.ctl, tvsList, candidate);
  if (decision.rule === 'R4' || decision.rule === 'I3') phone.trust = 'locked';
  else {
    phone.itl = candidate;
    phone.trust = 'trusted';
  }
  phone.lastDecision = decision;
  step.rules |= RULE_BITS[decision.rule];
  step.booted |= 1 << p;
  if (step.locked < 0 && trustOf(phone) === 'locked') step.locked = p;
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
 * `utils itl reset` signing with `key` (§8): the publisher's records re-signed and copied to every
 * TFTP node, which serves it (Q5) until its next TFTP start; an impersonation goes on (A12). Before
 * 12.0 the command also restarts each node's service, which loads the publisher's ITLRecovery (A10:
 * "the restarts inside utils itl reset"); from 12.0 it only transfers the file (CLI125). Mutates.
 */
export function serveResetItl(s: SpecState, key: Key): void {
  s.resetItl = resetItl(s, key);
  for (const node of s.nodes) {
    node.servesReset = true;
    if (!s.from12) node.loadedRecovery = s.itlRecovery;
    node.corrupt = false;
  }
}
