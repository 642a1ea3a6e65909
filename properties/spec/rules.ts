/**
 * The trust rules (docs/rules.md §3.5, §4, §16.3, §16.5–§16.7): which ITL and CTL a node
 * serves, what TVS vouches for, and how a booting phone decides on its CTL (C0–C3) and then on its
 * ITL (R0, R2–R4 without a CTL; I1, I2, I3 with one). Pure functions of the state; the actions
 * (actions.ts) boot phones with them.
 */
import { NO_KEY, PUBLISHER, type Key } from './constants.ts';
import type { SpecScope, SpecSwitches } from './scope.ts';
import type { R2Failure, SpecCtl, SpecCtlRule, SpecDecision, SpecItl, SpecRule, SpecState } from './state.ts';

/**
 * A TFTP node's normal ITL (§3.5, §15): its CallManager and the ITLRecovery it loaded as SAST, every
 * TVS; signed by that CallManager before 12.0, by that ITLRecovery from 12.0 (A15, A23). Pure.
 */
export function normalItl(s: SpecState, n: number): SpecItl {
  const node = s.nodes[n]!;
  return {
    signer: s.from12 ? node.loadedRecovery : node.callManager,
    sastA: node.callManager,
    sastB: node.loadedRecovery,
    itlRecovery: node.loadedRecovery,
    forged: false,
    bad: false,
    tvs: s.nodes.map((x) => x.tvs),
  };
}

/** A forged ITL (A12): only the attacker's key, as SAST, signed by it; no TVS records. Pure. */
export function forgedItl(s: SpecState, attacker: Key): SpecItl {
  return {
    signer: attacker,
    sastA: attacker,
    sastB: NO_KEY,
    itlRecovery: NO_KEY,
    forged: true,
    bad: false,
    tvs: s.nodes.map(() => NO_KEY),
  };
}

/**
 * The reset ITL of `utils itl reset` signed with `signer` (A11): the publisher's current records, its
 * CallManager and the current ITLRecovery as SAST (the ITLRECOVERY record). The signer is that
 * ITLRecovery (10.x; `remotekey`, after which the p12's key is the current one) or, from 12.0 with
 * `localkey`, that CallManager (A16). Pure.
 */
export function resetItl(s: SpecState, signer: Key): SpecItl {
  const publisher = s.nodes[PUBLISHER]!;
  return {
    signer,
    sastA: publisher.callManager,
    sastB: s.itlRecovery,
    itlRecovery: s.itlRecovery,
    forged: false,
    bad: false,
    tvs: s.nodes.map((x) => x.tvs),
  };
}

/** The ITL node n serves (§4): the attacker's, else the reset ITL, else its own; with a broken signature while corrupt. Pure. */
export function servedItl(s: SpecState, n: number): SpecItl {
  const node = s.nodes[n]!;
  if (node.attacker !== NO_KEY) return forgedItl(s, node.attacker);
  const genuine = node.servesReset && s.resetItl ? s.resetItl : normalItl(s, n);
  return node.corrupt ? { ...genuine, bad: true } : genuine;
}

/**
 * The cluster's CTL written now, signed by `signer` (docs/rules.md §16.3, A21): SAST the current
 * ITLRecovery (from 12.0) and the publisher's CallManager, each node's CallManager as CCM+TFTP. Pure.
 */
export function buildCtl(s: SpecState, signer: Key): SpecCtl {
  return {
    signer,
    sastA: s.from12 ? s.itlRecovery : NO_KEY,
    sastB: s.nodes[PUBLISHER]!.callManager,
    ccm: s.nodes.map((x) => x.callManager),
  };
}

/** The key the release signs its CTL with (TOKENLESS, REGEN): the publisher's CallManager before 12.0, ITLRecovery from 12.0. Pure. */
export function ctlSigner(s: SpecState): Key {
  return s.from12 ? s.itlRecovery : s.nodes[PUBLISHER]!.callManager;
}

/** The CTL node n serves (A22): the cluster's one CTL; an impersonated node serves none. Pure. */
export function servedCtl(s: SpecState, n: number): SpecCtl | null {
  return s.nodes[n]!.attacker !== NO_KEY ? null : s.ctl;
}

/**
 * Whether two CTLs have the same records (the CTL the phone holds offered again: nothing to decide;
 * the signer of a CTL is always one of its SAST records, so C1 would take it anyway). Pure.
 */
export function sameCtl(a: SpecCtl, b: SpecCtl): boolean {
  return a === b || (a.sastA === b.sastA && a.sastB === b.sastB && a.ccm.every((k, n) => k === b.ccm[n]));
}

/**
 * A1, T1–T4: TVS vouches for exactly the cluster's current CallManager and TVS certificates, and its
 * own ITLRecovery unless the conservative reading of A17 (`tvsVouchesOwnItlRecovery` false). Pure.
 */
export function tvsKnows(s: SpecState, switches: SpecSwitches, key: Key): boolean {
  if (key === NO_KEY) return false;
  if (key === s.itlRecovery) return switches.tvsVouchesOwnItlRecovery;
  return s.nodes.some((n) => n.callManager === key || n.tvs === key);
}

/** R3, C2 (§4 with A3, Q7): the first TVS of the list whose certificate is a TVS record of the ITL answers. Pure. */
export function tvsVouches(
  s: SpecState,
  switches: SpecSwitches,
  tvsList: number[],
  installed: SpecItl,
  signer: Key,
): boolean {
  for (const t of tvsList) if (installed.tvs.includes(s.nodes[t]!.tvs)) return tvsKnows(s, switches, signer);
  return false;
}

/** One shared, frozen decision per outcome: booting allocates nothing, and no one changes a decision. */
const decision = (rule: SpecRule, r2: R2Failure | null): SpecDecision => Object.freeze({ rule, r2 });
const DECISIONS = {
  R0: decision('R0', null),
  R2: decision('R2', null),
  R3: { signerNotSast: decision('R3', 'signerNotSast'), badSignature: decision('R3', 'badSignature') },
  R4: { signerNotSast: decision('R4', 'signerNotSast'), badSignature: decision('R4', 'badSignature') },
  I1: decision('I1', null),
  I2: decision('I2', null),
  R3ctl: decision('R3', null),
  I3: decision('I3', null),
} as const;

/** Whether a key is a SAST record of an ITL. Pure. */
const sastOf = (itl: SpecItl, key: Key): boolean => key === itl.sastA || key === itl.sastB;

/** Whether a key is a SAST or CCM+TFTP record of a CTL (I1). Pure. */
const anchorsItl = (ctl: SpecCtl, key: Key): boolean =>
  key !== NO_KEY && (key === ctl.sastA || key === ctl.sastB || ctl.ccm.includes(key));

/**
 * The rule an ITL step ends on, and why R2 failed when it did. R0 when the phone held neither an ITL
 * nor a CTL when the boot began (a leap of faith, also after it took its first CTL by C0 in the same
 * boot: SRND12, scenario r21). Without a CTL (§4): R2 when the candidate's signer is a SAST record of the
 * installed ITL and its signature verifies; R3 when it verifies and a TVS vouches for the signer; else
 * R4. With a CTL (§16): I1 when the signer is a SAST or CCM+TFTP record of the CTL, I2 when it is a
 * SAST record of the installed ITL and the anchors are one pool (A18), both with a signature that
 * verifies; then TVS as R3, but from 12.0 only with `itlViaTvsWithCtl` (A18); else I3. A broken
 * signature never verifies. `heldCtl`: the phone held a CTL before this boot's CTL step. Pure.
 */
export function decide(
  s: SpecState,
  scope: SpecScope,
  installed: SpecItl | null,
  heldCtl: boolean,
  ctl: SpecCtl | null,
  tvsList: number[],
  candidate: SpecItl,
): SpecDecision {
  const verifies = !candidate.bad;
  if (!installed && !heldCtl) return DECISIONS.R0;
  if (!ctl) {
    if (!installed) return DECISIONS.R4.signerNotSast;
    const sast = sastOf(installed, candidate.signer);
    if (sast && verifies) return DECISIONS.R2;
    const r3 = verifies && tvsVouches(s, scope, tvsList, installed, candidate.signer);
    return DECISIONS[r3 ? 'R3' : 'R4'][sast ? 'badSignature' : 'signerNotSast'];
  }
  if (verifies && anchorsItl(ctl, candidate.signer)) return DECISIONS.I1;
  if (verifies && scope.sharedSastPool && installed && sastOf(installed, candidate.signer)) return DECISIONS.I2;
  const mayAskTvs = !s.from12 || scope.itlViaTvsWithCtl;
  if (mayAskTvs && verifies && installed && tvsVouches(s, scope, tvsList, installed, candidate.signer))
    return DECISIONS.R3ctl;
  return DECISIONS.I3;
}

/**
 * The rule a CTL step ends on (docs/rules.md §16.5), or null when the phone already holds that very
 * CTL installed (nothing to decide). C0 when the phone holds no CTL (A20: also when it holds an ITL);
 * C1 when the signer is a SAST record of the installed CTL, or of the installed ITL when the anchors
 * are one pool (A18) (a CTL never comes broken: `tftp.corrupt` breaks the ITL); C2 when a TVS the
 * phone authenticates vouches for the signer (every CTL signer is a CallManager or ITLRecovery key,
 * which TVS answers with the SAST role, T1, T3) and the answer counts for a CTL: before 12.0 always,
 * from 12.0 only with `ctlTvsRescueOwn` (A19: the cluster's own certificates are not accepted); else C3. Pure.
 */
export function decideCtl(
  s: SpecState,
  scope: SpecScope,
  installedCtl: SpecCtl | null,
  rejected: boolean,
  installedItl: SpecItl | null,
  tvsList: number[],
  candidate: SpecCtl,
): SpecCtlRule | null {
  if (!installedCtl) return 'C0';
  if (sameCtl(installedCtl, candidate)) return rejected ? 'C1' : null;
  const signer = candidate.signer;
  if (signer === installedCtl.sastA || signer === installedCtl.sastB) return 'C1';
  if (scope.sharedSastPool && installedItl && sastOf(installedItl, signer)) return 'C1';
  const mayAskTvs = !s.from12 || scope.ctlTvsRescueOwn;
  if (mayAskTvs && installedItl && tvsVouches(s, scope, tvsList, installedItl, signer)) return 'C2';
  return 'C3';
}
