/**
 * A method of procedure for a plan, as data: per step, what the administrator checks before going on
 * once the step's automatic restarts have ended (what `show itl` on each TFTP node must show: the
 * record whose etoken signed the file and the file's SHA-1; the ITL hash each group of phones must
 * report, on the Trust List screen or in DeviceTLInfo; how many phones must register again), and,
 * after the plan, the phones that need a visit. cli/planMop.ts writes it as Markdown and HTML. Pure.
 */
import { servedItl } from '../cluster/buildItls.ts';
import type { ClusterState } from '../cluster/clusterState.ts';
import type { LogEvent } from '../events.ts';
import { roleName } from '../itl/showItlFields.ts';
import { phoneTrust } from '../trust/boot.ts';
import type { DiagnosisLike, PhoneRisk, PlanRun } from './runPlan.ts';

/** What `show itl` must show on one TFTP node. */
export interface NodeCheck {
  node: string;
  hostname: string;
  /** SHA-1 and MD5 of the ITL the node serves (the checksums `show itl` prints first). */
  sha1: string;
  md5: string;
  /** The record under which `show itl` says "This etoken was used to sign the ITL file." (1-based, as `ITL Record #:`). */
  signerRecord: number;
  /** That record's FUNCTION and SUBJECTNAME. */
  signerFunction: string;
  signer: string;
  /** Why the node serves this file: its normal build, the reset ITL (`utils itl reset`), … */
  origin: string;
  /** Whether the file changed with this step. */
  changed: boolean;
}

/** Phones that must report the same ITL hash. */
export interface PhoneGroup {
  /** SHA-1 of the ITL they hold (null: none). */
  sha1: string | null;
  /** The TFTP node whose file it is, when it is one a node serves now. */
  servedBy: string[];
  phones: string[];
  /** How many of them are unplugged (they report nothing until they come back). */
  offline: number;
  /** `at-risk`: trusted now, but its next boot locks it. */
  trust: 'none' | 'trusted' | 'locked' | 'at-risk';
}

/** One step of the procedure. */
export interface MopStep {
  /** 1-based plan line. */
  line: number;
  event: LogEvent;
  refused: boolean;
  nodes: NodeCheck[];
  groups: PhoneGroup[];
  /** Phones that booted in this step (and the restarts it started) and must be registered again. */
  mustRegister: string[];
  /** Phones that locked in this step. */
  locked: string[];
  /** Phones at risk after this step (their next boot locks them). */
  atRisk: string[];
}

/** The whole procedure. */
export interface Mop<D extends DiagnosisLike = DiagnosisLike> {
  /** What must hold before the first step. */
  before: { nodes: NodeCheck[]; groups: PhoneGroup[] };
  steps: MopStep[];
  /** Index of the point of no return (the step after which some phone needs a visit), or null. */
  pointOfNoReturn: number | null;
  /** Phones in trouble at the end: each with its recovery, the visits among them. */
  after: PhoneRisk<D>[];
}

const TRUST = { noItl: 'none', trusted: 'trusted', locked: 'locked' } as const;

/** What each TFTP node serves. Pure. */
export function nodeChecks(cluster: ClusterState, before?: ClusterState): NodeCheck[] {
  return cluster.nodes.flatMap((node) => {
    const sha1 = servedItl(node);
    if (!sha1) return [];
    const itl = cluster.itls[sha1]!;
    const record = itl.records[itl.signer.recordIndex];
    const earlier = before?.nodes.find((n) => n.id === node.id);
    return [
      {
        node: node.id,
        hostname: node.hostname,
        sha1,
        md5: itl.md5,
        signerRecord: itl.signer.recordIndex + 1,
        signerFunction: record ? roleName(record.role) : '',
        signer: itl.signer.subject,
        origin: itl.origin,
        changed: !!before && (!earlier || servedItl(earlier) !== sha1),
      },
    ];
  });
}

/** The phones grouped by the ITL they hold and their trust (`atRisk`: those a boot now would lock), in the order of their first phone. Pure. */
export function phoneGroups(cluster: ClusterState, atRisk: ReadonlySet<string> = new Set()): PhoneGroup[] {
  const groups = new Map<string, PhoneGroup>();
  for (const phone of cluster.phones) {
    const trust = atRisk.has(phone.id) ? 'at-risk' : TRUST[phoneTrust(phone)];
    const key = `${phone.itl ?? ''}/${trust}`;
    let group = groups.get(key);
    if (!group) {
      const servedBy = cluster.nodes.filter((n) => phone.itl && servedItl(n) === phone.itl).map((n) => n.id);
      group = { sha1: phone.itl, servedBy, phones: [], offline: 0, trust };
      groups.set(key, group);
    }
    group.phones.push(phone.id);
    if (!phone.online) group.offline++;
  }
  return [...groups.values()];
}

const risky = (trouble: PhoneRisk[]) => new Set(trouble.filter((t) => t.state === 'at-risk').map((t) => t.phone));

/** The procedure of a plan run. Pure. */
export function methodOfProcedure<D extends DiagnosisLike>(run: PlanRun<D>): Mop<D> {
  let previous = run.start.cluster!;
  const steps = run.steps.map((step): MopStep => {
    const cluster = step.settled.cluster!;
    const online = new Set(cluster.phones.filter((p) => p.online && phoneTrust(p) !== 'locked').map((p) => p.id));
    const out: MopStep = {
      line: step.line,
      event: step.event,
      refused: step.refusals.length > 0,
      nodes: nodeChecks(cluster, previous),
      groups: phoneGroups(cluster, risky(step.trouble)),
      mustRegister: step.booted.filter((id) => online.has(id)),
      locked: step.locked,
      atRisk: step.atRisk,
    };
    previous = cluster;
    return out;
  });
  const start = run.start.cluster!;
  return {
    before: { nodes: nodeChecks(start), groups: phoneGroups(start, risky(run.before)) },
    steps,
    pointOfNoReturn: run.pointOfNoReturn,
    after: run.trouble,
  };
}
