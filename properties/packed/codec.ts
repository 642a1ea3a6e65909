/**
 * The packed explorer's state codec: a state is stored as its canonical key (the char codes of
 * properties/explorer/canonicalCodes.ts `canonicalCodes`, each below 256, so one byte each), and that key
 * holds every field of the state's representative. `decodeRepresentative` reads it back, so the
 * explorer needs to keep nothing but the bytes: no frontier of state objects, no representative
 * built for a state that is only seen again. packedEqualsExplorer.test.ts holds the decoding equal
 * to `representative` on every state of the pinned scopes.
 */
import { DEAD } from '../explorer/canonicalCodes.ts';
import { NO_KEY, NO_NODE, PUBLISHER } from '../spec/constants.ts';
import type { SpecScope } from '../spec/scope.ts';
import type { SpecCtl, SpecItl, SpecNode, SpecPhone, SpecState } from '../spec/state.ts';

/** A reader over one stored key: bytes[at .. end). */
interface Reader {
  bytes: Uint8Array;
  at: number;
  /** The highest key id read so far (the representative's nextKey is one more). */
  maxId: number;
}

function next(r: Reader): number {
  return r.bytes[r.at++]!;
}

/** A key field (stored +3: NO_KEY is 2, DEAD 1). */
function key(r: Reader): number {
  const k = next(r) - 3;
  if (k > r.maxId) r.maxId = k;
  return k;
}

/** A flag stored +3 (an ITL's forged and bad). */
function flag3(r: Reader): boolean {
  return next(r) === 4;
}

/** Where the key `decodeRepresentative` last read ended. */
let lastEnd = 0;

/** Where the key last decoded ended (its codes are bytes[start .. this)). */
export function decodedEnd(): number {
  return lastEnd;
}

/** The representative of the state whose canonical key is bytes[start .. end) (as `representative` builds it); leaves `decodedEnd`. */
export function decodeRepresentative(bytes: Uint8Array, start: number, scope: SpecScope): SpecState {
  const r: Reader = { bytes, at: start, maxId: -1 };
  const release = next(r);
  const pre10 = (release & 1) !== 0;
  const from12 = (release & 2) !== 0;
  const itlRecovery = key(r);
  const backup = key(r);
  const nodes: SpecNode[] = new Array<SpecNode>(scope.nodes);
  for (let n = 0; n < scope.nodes; n++) {
    const cm = next(r);
    const callManager = cm === 0 ? DEAD : cm - 3;
    if (callManager > r.maxId) r.maxId = callManager;
    nodes[n] = {
      callManager,
      tvs: key(r),
      loadedRecovery: key(r),
      servesReset: next(r) === 1,
      attacker: key(r),
      corrupt: next(r) === 1,
      holdRank: next(r),
    };
  }
  let resetItl: SpecItl | null = null;
  if (bytes[r.at] === 0) r.at++;
  else resetItl = itl(r, scope.nodes, true);
  let ctl: SpecCtl | null = null;
  if (next(r) === 1) {
    const signer = key(r);
    const sastA = key(r);
    const sastB = key(r);
    const ccm = new Array<number>(scope.nodes);
    ccm[PUBLISHER] = sastB;
    for (let n = 1; n < scope.nodes; n++) ccm[n] = from12 ? DEAD : key(r);
    ctl = { signer, sastA, sastB, ccm };
  }
  const phones: SpecPhone[] = new Array<SpecPhone>(scope.phones);
  for (let i = 0; i < scope.phones; i++) phones[i] = phone(r, scope, ctl !== null, from12);
  lastEnd = r.at;
  return {
    pre10,
    from12,
    itlRecovery,
    resetItl,
    ctl,
    backup,
    backupOpens: backup >= 0,
    nodes,
    phones,
    nextKey: r.maxId + 1,
  };
}

/** An ITL: signer, SAST records, ITLRECOVERY, forged, bad, then one TVS record per node. */
function itl(r: Reader, nodes: number, readBad: boolean): SpecItl {
  const signer = key(r);
  const sastA = key(r);
  const sastB = key(r);
  const itlRecovery = key(r);
  const forged = flag3(r);
  const bad = flag3(r) && readBad;
  const tvs = new Array<number>(nodes);
  for (let t = 0; t < nodes; t++) tvs[t] = key(r);
  return { signer, sastA, sastB, itlRecovery, forged, bad, tvs };
}

/** A phone: restart rank, timers before it, added, online, TFTP, pending change, ITL, and its CTL once the cluster has one. */
function phone(r: Reader, scope: SpecScope, clusterCtl: boolean, from12: boolean): SpecPhone {
  const restartRank = next(r);
  const timersBefore = next(r);
  const added = next(r) === 1;
  const online = next(r) === 1;
  const tftp = next(r) - 1;
  const pending = next(r);
  let installed: SpecItl | null = null;
  if (r.bytes[r.at] === 0) r.at++;
  else installed = itl(r, scope.nodes, false);
  let ctl: SpecCtl | null = null;
  let ctlRejected = false;
  if (clusterCtl) {
    const region = next(r);
    if (region !== 0) {
      ctlRejected = region === 2;
      const sastA = key(r);
      const sastB = key(r);
      const ccm = new Array<number>(scope.nodes);
      ccm[PUBLISHER] = sastB;
      for (let n = 1; n < scope.nodes; n++) ccm[n] = from12 ? DEAD : key(r);
      ctl = { signer: NO_KEY, sastA, sastB, ccm };
    }
  }
  return {
    added,
    online,
    tftp,
    pendingTftp: pending === 1 ? NO_NODE : pending - 2,
    itl: installed,
    trust: installed ? 'trusted' : 'noItl',
    ctl,
    ctlRejected,
    restartRank,
    timersBefore,
    lastDecision: null,
  };
}
