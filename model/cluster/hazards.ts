/**
 * The hazards of docs/rules.md §18 (H1–H14) as predicates over the replayed world. A hazard is
 * raised as an alert when it becomes true at an event (not again while it stays true); the ones
 * that are about an action (H5, H8, H10, H12) are raised at that action. H14 needs a second cluster
 * and is not raised. The same predicates serve a preflight over a planned change. Pure.
 */
import type { CertKind } from '../certs/issueCertificate.ts';
import type { LogEvent } from '../events.ts';
import { Role } from '../itl/tags.ts';
import { itlSigner, localkeyResetSigner, upgradeRegeneratesItlRecovery } from '../releases.ts';
import { ITL_MAX_BYTES, ITL_MAX_RECORDS } from '../trust/itlRules.ts';
import { publisherOf, servedItl } from './buildItls.ts';
import type { ClusterState, PhoneState } from './clusterState.ts';
import { itlRecoveryRecord, tvsHashes, type StoredItl } from './itlStore.ts';
import { phoneTable, takeChanged } from './phoneTable.ts';
import { secondsBetween } from './step.ts';

/** A hazard's alert: its kind (the contract's name) and the phones or nodes it is about. */
export type HazardKind =
  | 'itlrecovery-1024-bit'
  | 'itl-too-large'
  | 'itlrecovery-expiring'
  | 'itlrecovery-expired'
  | 'fn70613'
  | 'cm-tvs-itlrecovery-stranded'
  | 'non-sbd-ctl-signer-unknown'
  | 'callmanager-signed-reset-itl'
  | 'ctl-not-updated'
  | 'itlrecovery-regenerated-before-ctl'
  | 'itl-without-itlrecovery'
  | 'offline-during-regeneration'
  | 'rollback-parameter-left-true';

/** The rule id of each hazard kind (docs/rules.md §18). */
export const HAZARD_IDS: Record<HazardKind, string> = {
  'itlrecovery-1024-bit': 'H1',
  'itl-too-large': 'H2',
  'itlrecovery-expiring': 'H4',
  'itlrecovery-expired': 'H4',
  fn70613: 'H5',
  'cm-tvs-itlrecovery-stranded': 'H6',
  'non-sbd-ctl-signer-unknown': 'H7',
  'callmanager-signed-reset-itl': 'H8',
  'ctl-not-updated': 'H9',
  'itlrecovery-regenerated-before-ctl': 'H10',
  'itl-without-itlrecovery': 'H11',
  'offline-during-regeneration': 'H12',
  'rollback-parameter-left-true': 'H13',
};

/** A raised hazard: what, and who (phones by id, nodes by id). */
export interface Hazard {
  kind: HazardKind;
  phones?: string[];
  nodes?: string[];
}

/** H4: warn this many days before the ITLRecovery certificate expires (the community write-up's 90 days). */
export const EXPIRY_WARNING_DAYS = 90;

/** H13: how long the rollback parameter may stay True before the hazard is raised (a migration window; a choice: one day). */
export const ROLLBACK_WINDOW_SECONDS = 86_400;

const sast = (itl: StoredItl | undefined, sha1: string) =>
  !!itl && itl.records.some((r) => r.role === Role.SAST && r.certSha1 === sha1);

/** Whether a phone knows a key as a SAST record of its ITL or CTL (docs/rules.md §18: "knows"). Pure. */
export function knows(state: ClusterState, phone: PhoneState, sha1: string): boolean {
  return (
    sast(phone.itl ? state.itls[phone.itl] : undefined, sha1) ||
    sast(phone.ctl ? state.itls[phone.ctl.file] : undefined, sha1)
  );
}

/** Whether some TVS in the phone's list is still pinned by its ITL (R3 could work). Pure. */
function reachesTvs(state: ClusterState, phone: PhoneState): boolean {
  const itl = phone.itl ? state.itls[phone.itl] : undefined;
  if (!itl) return false;
  const pinned = new Set(tvsHashes(itl));
  return phone.tvs.some((id) => {
    const node = state.nodes.find((n) => n.id === id);
    return !!node && pinned.has(node.certs.TVS.cert.sha1);
  });
}

/** The hazards that hold in a state, whatever the event (the stateful ones). Pure. */
export function stateHazards(state: ClusterState, at: string): Hazard[] {
  const out: Hazard[] = [];
  const publisher = publisherOf(state);
  const recovery = publisher.certs.ITLRecovery;
  if (recovery && recovery.key.bits === 1024 && publisher.certs.CallManager.key.bits > 1024)
    out.push({ kind: 'itlrecovery-1024-bit', nodes: [publisher.id] });
  const large = state.nodes.filter((n) => {
    const itl = n.tftp ? state.itls[servedItl(n)!] : undefined;
    return !!itl && (itl.records.length > ITL_MAX_RECORDS || itl.length > ITL_MAX_BYTES);
  });
  if (large.length) out.push({ kind: 'itl-too-large', nodes: large.map((n) => n.id) });
  if (recovery) {
    const days = secondsBetween(at, recovery.cert.notAfter) / 86_400;
    if (days < 0) out.push({ kind: 'itlrecovery-expired', nodes: [publisher.id] });
    else if (days < EXPIRY_WARNING_DAYS) out.push({ kind: 'itlrecovery-expiring', nodes: [publisher.id] });
  }
  const scan = phoneScan(state);
  const stranded = scan.stranded;
  if (stranded.length) out.push({ kind: 'cm-tvs-itlrecovery-stranded', phones: stranded });
  if (state.securityMode === 'mixed' && scan.blindNonSbd.length)
    out.push({ kind: 'non-sbd-ctl-signer-unknown', phones: scan.blindNonSbd });
  if (state.securityMode === 'mixed' && state.ctlStale) out.push({ kind: 'ctl-not-updated' });
  if (itlSigner(state.version) === 'itlRecovery') {
    const old = scan.lacksRecovery;
    if (old.length) out.push({ kind: 'itl-without-itlrecovery', phones: old });
  }
  if (
    state.parameters.prepareRollbackPre80 &&
    state.rollbackSince !== undefined &&
    secondsBetween(state.rollbackSince, at) > ROLLBACK_WINDOW_SECONDS
  )
    out.push({ kind: 'rollback-parameter-left-true' });
  return out;
}

/** The phones H6 and H11 hold for, with the scan they came from. */
interface PhoneScan {
  phones: ClusterState['phones'];
  nodes: ClusterState['nodes'];
  version: string;
  ctl: string | null;
  verdicts: Array<{ stranded: boolean; lacksRecovery: boolean; blindNonSbd: boolean }>;
  stranded: string[];
  lacksRecovery: string[];
  blindNonSbd: string[];
}

// A replay checks hazards after every event, and most events change few phones: the last scan is kept,
// and a phone's verdicts are reused while the phone object, the nodes array and the release are the same
// (immer keeps unchanged objects; files are immutable by SHA-1). A memo of a pure function.
let lastScan: PhoneScan | undefined;

/** H6 and H11 over every phone, reusing the last scan's verdicts where nothing they depend on changed. Pure. */
function phoneScan(state: ClusterState): PhoneScan {
  const last = lastScan;
  const same = !!last && last.nodes === state.nodes && last.version === state.version && last.ctl === state.ctl;
  // An array written in place (an owning fold, model/cluster/phoneTable.ts) lists the phones written since.
  const changed = takeChanged(state.phones);
  if (same && last.phones === state.phones && (changed === undefined || changed.length === 0)) return last;
  const ctl = state.ctl ? state.itls[state.ctl] : undefined;
  const ctlSigner = ctl?.records[ctl.signer.recordIndex]?.certSha1 ?? '';
  const verdictOf = (phone: PhoneState) => ({
    stranded: strandedPhone(state, phone),
    lacksRecovery: !!phone.itl && !itlRecoveryRecord(state.itls[phone.itl]!),
    // H7: a device without SBD holding a CTL whose signer it does not know.
    blindNonSbd: phone.sbd === false && !!phone.ctl && !!ctl && !knows(state, phone, ctlSigner),
  });
  if (same && last.phones === state.phones && changed !== undefined) return rescanChanged(last, changed, verdictOf);
  // Verdicts are reused by phone object only when the last scan's array was never written in place since.
  const reuse = same && (phoneTable(last.phones) === undefined || last.phones === state.phones);
  const scan: PhoneScan = {
    phones: state.phones,
    nodes: state.nodes,
    version: state.version,
    ctl: state.ctl,
    verdicts: [],
    stranded: [],
    lacksRecovery: [],
    blindNonSbd: [],
  };
  state.phones.forEach((phone, i) => {
    const verdict = reuse && last.phones[i] === phone ? last.verdicts[i]! : verdictOf(phone);
    scan.verdicts.push(verdict);
    if (verdict.stranded) scan.stranded.push(phone.id);
    if (verdict.lacksRecovery) scan.lacksRecovery.push(phone.id);
    if (verdict.blindNonSbd) scan.blindNonSbd.push(phone.id);
  });
  lastScan = scan;
  return scan;
}

/**
 * The last scan brought up to date after some phones of its array were written in place: only
 * those are judged again; the lists are rebuilt (new arrays: alerts keep the old ones) only when a
 * verdict changed. Pure (updates the memo).
 */
function rescanChanged(
  last: PhoneScan,
  changed: number[],
  verdictOf: (phone: PhoneState) => PhoneScan['verdicts'][number],
): PhoneScan {
  let flipped = false;
  const verdicts = last.verdicts;
  for (const i of changed) {
    const verdict = verdictOf(last.phones[i]!);
    const before = verdicts[i];
    if (
      before === undefined
        ? verdict.stranded || verdict.lacksRecovery || verdict.blindNonSbd
        : before.stranded !== verdict.stranded ||
          before.lacksRecovery !== verdict.lacksRecovery ||
          before.blindNonSbd !== verdict.blindNonSbd
    )
      flipped = true;
    verdicts[i] = verdict;
  }
  if (!flipped) return last;
  const scan: PhoneScan = { ...last, stranded: [], lacksRecovery: [], blindNonSbd: [] };
  last.phones.forEach((phone, i) => {
    const verdict = verdicts[i]!;
    if (verdict.stranded) scan.stranded.push(phone.id);
    if (verdict.lacksRecovery) scan.lacksRecovery.push(phone.id);
    if (verdict.blindNonSbd) scan.blindNonSbd.push(phone.id);
  });
  lastScan = scan;
  return scan;
}

/**
 * H6: the key that signs what the phone is offered is one it does not know, no TVS in its list is
 * pinned by its ITL any more, and it does not know the key `utils itl reset localkey` would sign
 * with either (the ITLRecovery key before 12.0, the publisher's CallManager from 12.0), so neither
 * TVS nor that reset can bring it back. A phone holding the empty rollback ITL (§17.2) is never
 * stranded: it takes any new ITL (R0e). Pure.
 */
function strandedPhone(state: ClusterState, phone: PhoneState): boolean {
  if (!phone.itl || phone.sbd === false) return false;
  if (state.itls[phone.itl]?.rollbackForm) return false;
  const node = state.nodes.find((n) => n.id === (phone.pendingTftp ?? phone.tftp));
  const offered = node?.tftp ? state.itls[servedItl(node)!] : undefined;
  const signer = offered?.records[offered.signer.recordIndex]?.certSha1;
  if (!signer || knows(state, phone, signer)) return false;
  if (reachesTvs(state, phone)) return false;
  const reset =
    localkeyResetSigner(state.version) === 'callManager'
      ? publisherOf(state).certs.CallManager
      : publisherOf(state).certs.ITLRecovery;
  return !reset || !knows(state, phone, reset.cert.sha1);
}

/** The hazards an action raises by itself, judged on the state before it (H5, H8, H10, H12). Pure. */
export function actionHazards(before: ClusterState, event: LogEvent): Hazard[] {
  const out: Hazard[] = [];
  if (
    event.type === 'cluster.upgrade' &&
    upgradeRegeneratesItlRecovery(before.version, event.version, event.method ?? 'refresh')
  )
    out.push({ kind: 'fn70613' });
  if (event.type !== 'cert.regenerate') return out;
  const cert: CertKind = event.cert;
  const callManagerSignedReset =
    localkeyResetSigner(before.version) === 'callManager' &&
    before.nodes.some((n) => n.tftp?.signer.serving === 'reset' && n.tftp.resetItl);
  if (callManagerSignedReset && (cert === 'CallManager' || cert === 'TVS'))
    out.push({ kind: 'callmanager-signed-reset-itl', nodes: [event.node] });
  if (cert === 'ITLRecovery' && before.securityMode === 'mixed') {
    const callManager = publisherOf(before).certs.CallManager.cert.sha1;
    const unaware = before.phones.filter((p) => !knows(before, p, callManager)).map((p) => p.id);
    if (unaware.length) out.push({ kind: 'itlrecovery-regenerated-before-ctl', phones: unaware });
  }
  if (cert === 'ITLRecovery' || cert === 'TVS') {
    const offline = before.phones.filter((p) => !p.online).map((p) => p.id);
    if (offline.length) out.push({ kind: 'offline-during-regeneration', phones: offline });
  }
  return out;
}

/**
 * The hazards an event raises: those of the action itself (judged on the state before it; none when
 * the command was refused), and the
 * stateful ones that hold after it and were not already raised (`activeHazards`: each is raised
 * once while it stays true; time alone can make one true, e.g. an expiring certificate). Returns the
 * alerts and the state with its active set updated. `before` is null at the install. Pure.
 */
export function raiseHazards(
  before: ClusterState | null,
  after: ClusterState,
  event: LogEvent,
  refused: boolean,
  /** `actionHazards(before, event)` judged by the caller before the event (a fold that writes phones in place). */
  action?: Hazard[],
): { state: ClusterState; hazards: Hazard[] } {
  const now = stateHazards(after, event.at);
  const active = after.activeHazards;
  const fresh = now.filter((h) => !active.includes(h.kind));
  const kinds = now.map((h) => h.kind);
  const same = kinds.length === active.length && kinds.every((k, i) => k === active[i]);
  return {
    state: same ? after : { ...after, activeHazards: kinds },
    hazards: [...(before && !refused ? (action ?? actionHazards(before, event)) : []), ...fresh],
  };
}
