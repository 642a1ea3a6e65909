/**
 * `fleet`: what each phone of an imported folder trusts, and what its next boot would do, decided by
 * the phones' own rules (model/trust: the CTL step, then R0–R4 / I1–I3) on the imported state
 * (model/folder/importCluster.ts). A phone the next ITL would lock is tried against the reset ITL of
 * `utils itl reset localkey` (the command replayed on the state by the model's fold), then against a
 * reset ITL signed by an older ITLRecovery its ITL holds (remotekey, which needs that key's backup).
 * Those replays are model/folder/fleetResets.ts; this module classes the phones on their answers.
 * docs/cluster-folder.md, "fleet". Pure.
 */
import { publisherOf, servedCtl, servedItl } from '../cluster/buildItls.ts';
import type { ClusterState, PhoneState, Rule } from '../cluster/clusterState.ts';
import { Role } from '../itl/tags.ts';
import { bootOf, phoneTrust } from '../trust/boot.ts';
import { trustCrypto } from '../trust/cryptos.ts';
import { tvsAnswerForItl } from '../trust/itlRules.ts';
import { accepted, afterLocalkey, afterRemotekey, nextBoot, olderRecoveries } from './fleetResets.ts';
import { IMPORTED_CRYPTO, type HeldFile, type ImportedCluster } from './importCluster.ts';
import { standInIdentity } from './standIn.ts';
import type { RecordIdentity, SnapshotFile } from './snapshotTypes.ts';
import { compareText } from '../names.ts';

/**
 * The classes of `fleet`, in the order reports list them:
 * - `current`: trusted and current (it holds what its TFTP node serves);
 * - `local`: will accept the next ITL locally (a SAST record of its ITL or CTL signed it: R2, I1, I2, R0e);
 * - `tvs`: needs TVS (R3) through the nodes named;
 * - `too-large`: the next ITL is too large for it to load (H2): it keeps its ITL and does not register;
 * - `localkey`: the next ITL locks it, and `utils itl reset localkey` brings it back;
 * - `remotekey`: only `utils itl reset remotekey` with a backup of an older ITLRecovery it holds;
 * - `manual-delete`: only deleting its ITL (or CTL) by hand;
 * - `unknown`: it reports an ITL no file of the folder is (another cluster's?) or none.
 */
export const FLEET_CLASSES = [
  'current',
  'local',
  'tvs',
  'too-large',
  'localkey',
  'remotekey',
  'manual-delete',
  'unknown',
] as const;

export type FleetClass = (typeof FLEET_CLASSES)[number];

/** A certificate of a trust list as fleet shows it. */
export interface TrustedCert {
  subject: string;
  serial: string;
  certSha1: string;
  identity: RecordIdentity;
}

/** What one ITL or CTL a phone holds trusts. */
export interface HeldTrust {
  sha1: string;
  /** The folder file it is (served now or history/). */
  file: string;
  signer: { subject: string; identity: RecordIdentity };
  sast: TrustedCert[];
  /** Its TVS records: whose TVS each is (node), and whether that node's TVS certificate is still this one. */
  tvs: Array<TrustedCert & { current: boolean }>;
  /** Whether it holds the cluster's current ITLRecovery as a SAST record. */
  currentItlRecovery: boolean;
}

/** Why a phone is in its class. */
export type FleetDetail =
  | { class: 'current' }
  | { class: 'local'; rule: Rule; ctl?: 'C1' | 'C2' }
  /** `via`: the TVS that vouched (the first of its list it can authenticate); `reachable`: every TVS of its list its ITL pins. */
  | { class: 'tvs'; via: string; reachable: string[] }
  | { class: 'too-large' }
  | { class: 'localkey'; rule: 'R4' | 'I3' | 'C3' }
  | { class: 'remotekey'; rule: 'R4' | 'I3' | 'C3'; itlRecovery: TrustedCert[] }
  | { class: 'manual-delete'; rule: 'R4' | 'I3' | 'C3'; file: 'itl' | 'ctl' }
  | { class: 'unknown'; hash?: string };

/** One phone of the fleet. */
export interface FleetPhone {
  device: string;
  line: number;
  tftp: string;
  tvs: string[];
  status: string;
  model?: string;
  firmware?: string;
  itl?: HeldTrust;
  ctl?: HeldTrust;
  detail: FleetDetail;
}

/** A count per class. */
export type ClassCounts = Record<FleetClass, number>;

/** The fleet of a folder. */
export interface Fleet {
  totals: ClassCounts;
  byTftp: Array<{ node: string; phones: number; classes: ClassCounts }>;
  byTvs: Array<{ tvs: string[]; phones: number; classes: ClassCounts }>;
  phones: FleetPhone[];
  /** Phones of phones.csv not classed: their TFTP names no TFTP node (snapshot says which). */
  skipped: Array<{ device: string; line: number; tftp: string }>;
}

const zero = (): ClassCounts => Object.fromEntries(FLEET_CLASSES.map((c) => [c, 0])) as ClassCounts;

/** What a held file trusts, from its snapshot records. Pure. */
function heldTrust(state: ClusterState, file: SnapshotFile): HeldTrust {
  const cert = (r: SnapshotFile['records'][number]): TrustedCert => ({
    subject: r.subject,
    serial: r.serial,
    certSha1: r.certSha1,
    identity: r.identity,
  });
  const recovery = publisherOf(state).certs.ITLRecovery?.cert.sha1;
  const sast = file.records.filter((r) => r.role === Role.SAST).map(cert);
  return {
    sha1: file.sha1!,
    file: file.path,
    signer: { subject: file.signer.subject, identity: file.signer.identity },
    sast,
    tvs: file.records
      .filter((r) => r.role === Role.TVS)
      .map((r) => {
        const node = r.identity.kind === 'tvs' ? r.identity.node : undefined;
        const owner = node === undefined ? undefined : state.nodes.find((n) => n.id === node);
        return { ...cert(r), current: owner?.certs.TVS.cert.sha1 === r.certSha1 };
      }),
    currentItlRecovery: recovery !== undefined && sast.some((s) => s.certSha1 === recovery),
  };
}

/** Classes every phone of an imported folder. Pure. */
export function fleet(imported: ImportedCluster): Fleet {
  const { state, snapshot: snap } = imported;
  const fileBySha1 = new Map(snap.files.filter((f) => f.sha1 !== undefined).map((f) => [f.sha1!, f]));
  const trustCache = new Map<string, HeldTrust>();
  const trustOf = (sha1: string | undefined): HeldTrust | undefined => {
    if (sha1 === undefined) return undefined;
    const file = fileBySha1.get(sha1);
    if (!file) return undefined;
    let hit = trustCache.get(sha1);
    if (!hit) trustCache.set(sha1, (hit = heldTrust(state, file)));
    return hit;
  };
  let localkey: ClusterState | undefined;
  const remote = new Map<string, ClusterState>();
  const decided = new Map<string, FleetDetail>();

  const decide = (phone: PhoneState, held: HeldFile): FleetDetail => {
    if (held.held !== 'known')
      return held.held === 'foreign' ? { class: 'unknown', hash: held.hash } : { class: 'unknown' };
    const node = state.nodes.find((n) => n.id === phone.tftp)!;
    const ctl = servedCtl(state, node);
    if (phone.itl === servedItl(node) && (ctl === undefined || phone.ctl?.file === ctl)) return { class: 'current' };
    const after = nextBoot(state, phone);
    if (after.unloadableItl !== undefined) return { class: 'too-large' };
    const ctlRejected = after.ctl?.state === 'rejected';
    const rule = after.lastDecision?.rule;
    if (!ctlRejected && phoneTrust(after) !== 'locked' && rule !== undefined) {
      if (rule === 'R3') {
        const crypto = trustCrypto(IMPORTED_CRYPTO);
        const answer = tvsAnswerForItl(bootOf(state, phone, 0, crypto));
        const pinned = new Set(
          state.itls[phone.itl!]!.records.filter((r) => r.role === Role.TVS).map((r) => r.certSha1),
        );
        const reachable = phone.tvs.filter((id) => {
          const tvsNode = state.nodes.find((n) => n.id === id);
          return tvsNode !== undefined && pinned.has(tvsNode.certs.TVS.cert.sha1);
        });
        return { class: 'tvs', via: answer && 'via' in answer ? answer.via.id : (reachable[0] ?? ''), reachable };
      }
      const ctlRule = after.ctl?.rule;
      return { class: 'local', rule, ...(ctlRule === 'C1' || ctlRule === 'C2' ? { ctl: ctlRule } : {}) };
    }
    const lockRule = ctlRejected ? 'C3' : rule === 'I3' ? 'I3' : 'R4';
    localkey ??= afterLocalkey(state, imported.at);
    if (accepted(nextBoot(localkey, phone))) return { class: 'localkey', rule: lockRule };
    const older = olderRecoveries(state, state.itls[phone.itl!]);
    const working = older.filter((r) => {
      let reset = remote.get(r.certSha1);
      if (!reset) remote.set(r.certSha1, (reset = afterRemotekey(state, standInIdentity(r, imported.at), imported.at)));
      return accepted(nextBoot(reset, phone));
    });
    if (working.length > 0)
      return {
        class: 'remotekey',
        rule: lockRule,
        itlRecovery: working.map((r) => {
          const file = fileBySha1.get(phone.itl!)!;
          const rec = file.records.find((x) => x.certSha1 === r.certSha1)!;
          return { subject: rec.subject, serial: rec.serial, certSha1: rec.certSha1, identity: rec.identity };
        }),
      };
    return { class: 'manual-delete', rule: lockRule, file: ctlRejected ? 'ctl' : 'itl' };
  };

  const phones: FleetPhone[] = [];
  const totals = zero();
  const byTftp = new Map<string, { node: string; phones: number; classes: ClassCounts }>();
  const byTvs = new Map<string, { tvs: string[]; phones: number; classes: ClassCounts }>();
  for (const node of state.nodes) if (node.tftp) byTftp.set(node.id, { node: node.id, phones: 0, classes: zero() });
  const rows = snap.phones.filter((p) => !imported.skipped.some((s) => s.line === p.line));
  state.phones.forEach((phone, i) => {
    const row = rows[i]!;
    const held = imported.held[i]!;
    const key = `${phone.itl}|${phone.ctl?.file ?? ''}|${phone.tftp}|${phone.tvs.join(';')}`;
    let detail = decided.get(key);
    if (!detail) decided.set(key, (detail = decide(phone, held)));
    const itl = held.held === 'known' ? trustOf(held.sha1) : undefined;
    const ctl = trustOf(phone.ctl?.file);
    phones.push({
      device: phone.id,
      line: row.line,
      tftp: phone.tftp,
      tvs: phone.tvs,
      status: row.status,
      ...(row.model !== undefined ? { model: row.model } : {}),
      ...(row.firmware !== undefined ? { firmware: row.firmware } : {}),
      ...(itl ? { itl } : {}),
      ...(ctl ? { ctl } : {}),
      detail,
    });
    totals[detail.class]++;
    const t = byTftp.get(phone.tftp)!;
    t.phones++;
    t.classes[detail.class]++;
    const tvsKey = phone.tvs.join(';');
    let v = byTvs.get(tvsKey);
    if (!v) byTvs.set(tvsKey, (v = { tvs: phone.tvs, phones: 0, classes: zero() }));
    v.phones++;
    v.classes[detail.class]++;
  });
  return {
    totals,
    byTftp: [...byTftp.values()],
    byTvs: [...byTvs.values()].sort((a, b) => compareText(a.tvs.join(';'), b.tvs.join(';'))),
    phones,
    skipped: imported.skipped,
  };
}
