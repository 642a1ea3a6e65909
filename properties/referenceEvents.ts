import type { RefusalKind } from '../model/cluster/refusals.ts';
import { bootPhone, cloneState, type RRule, type RScope, type RState } from './referenceModel.ts';

/** The certificates `set cert regen` names. */
export type RCert = 'CallManager' | 'TVS' | 'CAPF' | 'ITLRecovery';

/**
 * An abstract event: a log event with nodes and phones by index and no time, plus two ways time
 * passes: `wait` (until the oldest running hold timer expires) and `back` (until the earliest
 * automatic reset under way ends, A14: its phones boot).
 */
export type REvent =
  | { t: 'add' | 'reset' | 'deleteItl'; p: number }
  | { t: 'power'; p: number; on: boolean }
  | { t: 'phoneTftp'; p: number; n: number }
  | { t: 'regen'; n: number; c: RCert }
  | { t: 'rename' | 'tftpRestart' | 'forge' | 'corrupt' | 'itlReset' | 'backup'; n: number }
  | { t: 'itlResetRemote' | 'domain' | 'upgrade' | 'password' | 'rebuild' | 'devicesReset' | 'wait' | 'back' };

/** What an event did that properties look at: an accepted regeneration while its node's timer ran. */
export interface RStep {
  state: RState;
  /** An accepted `set cert regen` on a node that regenerated less than 5 minutes before. */
  regenWithinHold: boolean;
  /** The first phone a boot of this step locked (R4), -1 for none: read on the step, since the abstraction forgets trust. */
  locked: number;
  /** The rules the step's boots ended on, as bits (RULE_BITS): what the coverage report counts. */
  rules: number;
}

/** The bit of each rule in `RStep.rules`. */
export const RULE_BITS: Record<RRule, number> = { R0: 1, R2: 2, R3: 4, R4: 8 };

/** The `locked` and `rules` of the step being applied (applyR is synchronous; fields, not lists, keep the explorer's hot path allocation-free). */
let lockedNow = -1;
let rulesNow = 0;

/** A phone boots (referenceModel.bootPhone), noting its rule and the first phone the step locks. Mutates. */
function boot(s: RState, scope: RScope, p: number): void {
  rulesNow |= RULE_BITS[bootPhone(s, scope, p)];
  if (lockedNow < 0 && s.phones[p]!.trust === 2) lockedNow = p;
}

function fresh(s: RState): number {
  return s.next++;
}

function bootAll(s: RState, scope: RScope): void {
  s.phones.forEach((p, i) => p.added && p.online && boot(s, scope, i));
}

/** Starts (or restarts) a node's hold timer as the newest running one. Mutates. */
function startHold(s: RState, n: number): void {
  stopHold(s, n);
  s.nodes[n]!.hold = s.nodes.reduce((m, x) => Math.max(m, x.hold), 0) + 1;
}

/** Stops a node's hold timer; restarting phones that counted it among the timers started before their reset count one fewer. Mutates. */
function stopHold(s: RState, n: number): void {
  const rank = s.nodes[n]!.hold;
  if (!rank) return;
  for (const x of s.nodes) if (x.hold > rank) x.hold -= 1;
  for (const p of s.phones) if (p.back && p.before >= rank) p.before -= 1;
  s.nodes[n]!.hold = 0;
}

/** Running hold timers. Pure. */
function running(s: RState): number {
  return s.nodes.reduce((m, x) => Math.max(m, x.hold), 0);
}

/**
 * An automatic reset (§4.1) at the time of the current event, A14: every powered-on phone that is not
 * already restarting starts a restart that ends after every restart under way and before every hold
 * timer started now or later (120 s < 300 s); timers started earlier may expire before or after it.
 * `holdStarted`: this event started a hold timer (the newest). Mutates.
 */
function resetOnline(s: RState, holdStarted: boolean): void {
  const rank = s.phones.reduce((m, p) => Math.max(m, p.back), 0) + 1;
  const before = running(s) - (holdStarted ? 1 : 0);
  for (const p of s.phones) if (p.added && p.online && !p.back) Object.assign(p, { back: rank, before });
}

/** TFTP starts on a node: loads the publisher's ITLRecovery (A10), drops reset ITL (Q5) and forgery (A12), writes a new file. */
function startTftp(s: RState, n: number): void {
  Object.assign(s.nodes[n]!, { loaded: s.pubItlr, reset: 0, forged: -1, corrupt: 0 });
}

/** CallManager, TVS or CAPF changed: every ITL whose records changed is rebuilt (ending a reset ITL) and phones reset (§2.3, §4.1, A14). */
function certChanged(s: RState, rebuilt: number[], holdStarted: boolean): void {
  for (const n of rebuilt) Object.assign(s.nodes[n]!, { reset: 0, corrupt: 0 });
  resetOnline(s, holdStarted);
}

const ALL = (s: RState) => s.nodes.map((_, i) => i);

/** Why `set cert regen` is refused (CAPF only on the publisher, no ITLRecovery before 10.0, the hold timer, §4.2), or null. Pure. */
function regenRefusal(s: RState, scope: RScope, n: number, c: RCert): RefusalKind | null {
  if (c === 'CAPF' && n !== 0) return 'capfNotOnNode';
  if (c === 'ITLRecovery' && s.pre10) return 'noItlRecovery';
  return scope.holdTimer && s.nodes[n]!.hold > 0 ? 'holdTimer' : null;
}

/**
 * Why the cluster refuses an event's command, or null: the same kinds as the model's typed refusals
 * (model/cluster/refusals.ts), for what the abstract model has (every node runs TFTP, keys have no
 * size, the publisher always has its p12 from 10.0). A refused event changes nothing. Pure.
 */
export function refusalOf(s: RState, scope: RScope, e: REvent): RefusalKind | null {
  switch (e.t) {
    case 'regen':
      return regenRefusal(s, scope, e.n, e.c);
    case 'itlReset':
      return e.n !== 0 ? 'notPublisher' : s.pre10 ? 'resetBefore10' : null;
    case 'itlResetRemote':
      return s.pre10 ? 'resetBefore10' : s.backup < 0 ? 'remoteP12Missing' : !s.backupOpens ? 'p12WrongPassword' : null;
    case 'backup':
      return e.n !== 0 || s.pre10 ? 'fileNotFound' : null;
    default:
      return null;
  }
}

/** Whether `set cert regen` is refused: it then changes nothing. Pure. */
export function regenRefused(s: RState, scope: RScope, n: number, c: RCert): boolean {
  return regenRefusal(s, scope, n, c) !== null;
}

function regen(s: RState, scope: RScope, n: number, c: RCert): boolean {
  const node = s.nodes[n]!;
  if (regenRefused(s, scope, n, c)) return false;
  const within = node.hold > 0;
  startHold(s, n);
  if (c === 'CallManager') node.cm = fresh(s);
  if (c === 'TVS') node.tvs = fresh(s);
  // A9: a new publisher ITLRecovery is used by localkey at once; ITLs carry it only after a TFTP restart.
  if (c === 'ITLRecovery') {
    if (n === 0) s.pubItlr = fresh(s);
    return within;
  }
  certChanged(s, c === 'CallManager' ? [n] : ALL(s), true);
  return within;
}

function rekey(s: RState, n: number): void {
  s.nodes[n]!.cm = fresh(s);
  s.nodes[n]!.tvs = fresh(s);
}

/**
 * `utils itl reset` (§5.1): the publisher's records re-signed with the recovery key, copied to every TFTP
 * node, whose service the command restarts. A restart loads the publisher's ITLRecovery (A10: "the restarts
 * inside utils itl reset"), the key this reset signs with, and serves the reset ITL (Q5); an impersonation
 * goes on (A12). Mutates.
 */
function itlReset(s: RState, key: number): void {
  const pub = s.nodes[0]!;
  s.resetItl = [key, pub.cm, key, key, 0, 0, ...s.nodes.map((x) => x.tvs)];
  for (const node of s.nodes) Object.assign(node, { reset: 1, loaded: s.pubItlr, corrupt: 0 });
}

function phoneEvent(s: RState, scope: RScope, e: Extract<REvent, { p: number }>): void {
  const phone = s.phones[e.p]!;
  switch (e.t) {
    case 'add':
      Object.assign(phone, { added: true, online: true });
      return boot(s, scope, e.p);
    case 'reset':
      if (phone.online) boot(s, scope, e.p);
      return;
    case 'power': {
      const was = phone.online;
      phone.online = e.on;
      if (!e.on) Object.assign(phone, { back: 0, before: 0 });
      if (e.on && !was) boot(s, scope, e.p);
      return;
    }
    case 'deleteItl':
      Object.assign(phone, { itl: null, trust: 0 });
      if (phone.online) boot(s, scope, e.p);
      return;
    case 'phoneTftp':
      phone.pending = e.n;
      return;
  }
}

/** Applies one abstract event to a copy of the state (domain.md §3–§6, A1–A13). Pure. */
export function applyR(state: RState, scope: RScope, e: REvent): RStep {
  const s = cloneState(state);
  let regenWithinHold = false;
  lockedNow = -1;
  rulesNow = 0;
  switch (e.t) {
    case 'add':
    case 'reset':
    case 'power':
    case 'deleteItl':
    case 'phoneTftp':
      phoneEvent(s, scope, e);
      break;
    case 'regen':
      regenWithinHold = regen(s, scope, e.n, e.c);
      break;
    case 'rename':
      rekey(s, e.n);
      certChanged(s, ALL(s), false);
      break;
    case 'domain':
      s.nodes.forEach((_, n) => rekey(s, n));
      certChanged(s, ALL(s), false);
      break;
    case 'tftpRestart':
      startTftp(s, e.n);
      break;
    case 'forge':
      s.nodes[e.n]!.forged = fresh(s);
      break;
    case 'corrupt':
      s.nodes[e.n]!.corrupt = 1;
      break;
    case 'itlReset':
      if (e.n === 0 && !s.pre10) itlReset(s, s.pubItlr);
      break;
    case 'itlResetRemote':
      // SEED-ZH: remotekey replaces the publisher's local key; A7: a p12 the password cannot open fails.
      if (!s.pre10 && s.backup >= 0 && s.backupOpens) {
        s.pubItlr = s.backup;
        itlReset(s, s.backup);
      }
      break;
    case 'backup':
      if (e.n === 0 && !s.pre10) Object.assign(s, { backup: s.pubItlr, backupOpens: true });
      break;
    case 'password':
      s.backupOpens = false;
      break;
    case 'rebuild':
      // Reinstalled without its keys: new CallManager, TVS, CAPF, ITLRecovery; its TFTP starts; others rebuild; no phone reset.
      rekey(s, 0);
      if (!s.pre10) s.pubItlr = fresh(s);
      stopHold(s, 0);
      startTftp(s, 0);
      for (const node of s.nodes) Object.assign(node, { reset: 0, corrupt: 0 });
      break;
    case 'upgrade':
      if (s.pre10) Object.assign(s, { pre10: false, pubItlr: fresh(s) });
      s.nodes.forEach((_, n) => startTftp(s, n));
      break;
    case 'devicesReset':
      bootAll(s, scope);
      break;
    case 'wait': {
      const oldest = s.nodes.findIndex((n) => n.hold === 1);
      if (oldest >= 0) stopHold(s, oldest);
      break;
    }
    case 'back': {
      // The earliest restart ends: its phones boot against the world as it is now.
      const first = Math.min(...s.phones.map((p) => p.back || Infinity));
      s.phones.forEach((p, i) => p.back === first && boot(s, scope, i));
      break;
    }
    default: {
      const never: never = e;
      throw new Error(`bug: unknown abstract event ${JSON.stringify(never)}`);
    }
  }
  return { state: s, regenWithinHold, locked: lockedNow, rules: rulesNow };
}
