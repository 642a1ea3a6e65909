/**
 * The trust rules (docs/rules.md §3.5, §4): which ITL a node serves, and how a booting phone decides
 * on it. Pure functions of the state; the actions (actions.ts) boot phones with them.
 */
import { NO_KEY, PUBLISHER, type Key } from './constants.ts';
import type { R2Failure, SpecDecision, SpecItl, SpecRule, SpecState } from './state.ts';

/** A TFTP node's normal ITL (§3.5): its CallManager as SAST (the signer), the ITLRecovery it loaded as SAST, every TVS. Pure. */
export function normalItl(s: SpecState, n: number): SpecItl {
  const node = s.nodes[n]!;
  return {
    signer: node.callManager,
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

/** The reset ITL of `utils itl reset` signed with `key` (A11): the publisher's records, `key` as SAST and ITLRECOVERY. Pure. */
export function resetItl(s: SpecState, key: Key): SpecItl {
  const publisher = s.nodes[PUBLISHER]!;
  return {
    signer: key,
    sastA: publisher.callManager,
    sastB: key,
    itlRecovery: key,
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

/** A1: TVS vouches for exactly the current certificates of the cluster. Pure. */
export function tvsKnows(s: SpecState, key: Key): boolean {
  return key !== NO_KEY && (key === s.itlRecovery || s.nodes.some((n) => n.callManager === key || n.tvs === key));
}

/** R3 (§4 with A3, Q7): the first TVS of the list whose certificate is a TVS record of the ITL answers. Pure. */
export function tvsVouches(s: SpecState, tvsList: number[], installed: SpecItl, signer: Key): boolean {
  for (const t of tvsList) if (installed.tvs.includes(s.nodes[t]!.tvs)) return tvsKnows(s, signer);
  return false;
}

/** One shared, frozen decision per outcome: booting allocates nothing, and no one changes a decision. */
const decision = (rule: SpecRule, r2: R2Failure | null): SpecDecision => Object.freeze({ rule, r2 });
const DECISIONS = {
  R0: decision('R0', null),
  R2: decision('R2', null),
  R3: { signerNotSast: decision('R3', 'signerNotSast'), badSignature: decision('R3', 'badSignature') },
  R4: { signerNotSast: decision('R4', 'signerNotSast'), badSignature: decision('R4', 'badSignature') },
} as const;

/**
 * The rule a boot ends on (§4), and why R2 failed when it did: R0 when no ITL is installed; R2 when
 * the candidate's signer is a SAST record of the installed ITL and its signature verifies; R3 when
 * it verifies and a TVS vouches for the signer; else R4. A broken signature never verifies. Pure.
 */
export function decide(s: SpecState, installed: SpecItl | null, tvsList: number[], candidate: SpecItl): SpecDecision {
  if (!installed) return DECISIONS.R0;
  const verifies = !candidate.bad;
  const sast = candidate.signer === installed.sastA || candidate.signer === installed.sastB;
  if (sast && verifies) return DECISIONS.R2;
  const r3 = verifies && tvsVouches(s, tvsList, installed, candidate.signer);
  return DECISIONS[r3 ? 'R3' : 'R4'][sast ? 'badSignature' : 'signerNotSast'];
}
