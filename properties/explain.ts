import { publisherOf } from '../model/cluster/buildItls.ts';
import type { ModelOptions } from '../model/cluster/clusterState.ts';
import { itlRecoveryRecord, type StoredItl } from '../model/cluster/itlStore.ts';
import type { LogEvent } from '../model/events.ts';
import { violations, type Property } from './registry.ts';
import { traceOf, type Trace } from './trace.ts';

/** Events that change a certificate an ITL carries (or the recovery key): what a phone must not miss. */
const CERT_CHANGES: ReadonlySet<LogEvent['type']> = new Set([
  'cert.regenerate',
  'node.rename',
  'cluster.domain',
  'publisher.rebuild',
]);

/**
 * What a phone went through up to an event, as facts a TAC engineer can paste into an RCA: the
 * certificate changes it missed (unplugged, or still restarting from an earlier automatic reset), its
 * TVS list, and the ITL it holds. Data only: cli/ puts it into words.
 */
export interface PhoneStory {
  phone: string;
  tftp: string;
  tvs: string[];
  /** 1-based events that changed certificates while the phone could not fetch the ITL they produced. */
  missed: Array<{ event: number; how: 'unplugged' | 'restarting' }>;
  /** Its installed ITL: who served it, whether it came broken, and what ITLRECOVERY record it holds. */
  itl: {
    origin: StoredItl['origin'];
    node: string;
    corrupted: boolean;
    itlRecovery: 'current' | 'stale' | 'none';
  } | null;
}

/** A phone's story up to event `i` (0-based) of a trace. Pure. */
export function phoneStory(trace: Trace, phone: string, i: number): PhoneStory | undefined {
  const now = trace.contexts[i]!.cluster!;
  const me = now.phones.find((p) => p.id === phone);
  if (!me) return undefined;
  const missed: PhoneStory['missed'] = [];
  for (let j = 1; j <= i; j++) {
    const event = trace.events[j]!;
    if (!CERT_CHANGES.has(event.type) || trace.reports[j]!.refusals.length > 0) continue;
    const before = trace.contexts[j - 1]!.cluster!.phones.find((p) => p.id === phone);
    if (!before) continue;
    if (!before.online) missed.push({ event: j + 1, how: 'unplugged' });
    else if (before.restartingUntil !== undefined && Date.parse(before.restartingUntil) > Date.parse(event.at))
      missed.push({ event: j + 1, how: 'restarting' });
  }
  const itl = me.itl ? now.itls[me.itl]! : undefined;
  const current = publisherOf(now).certs.ITLRecovery?.cert.sha1;
  const record = itl && itlRecoveryRecord(itl);
  return {
    phone,
    tftp: me.pendingTftp ?? me.tftp,
    tvs: me.tvs,
    missed,
    itl: itl
      ? {
          origin: itl.origin,
          node: itl.node,
          corrupted: itl.corrupted === true,
          itlRecovery: !record ? 'none' : record.certSha1 === current ? 'current' : 'stale',
        }
      : null,
  };
}

/** Why a log violates a property, in domain terms: the event of the violation and, when it is about a phone, that phone's story. */
export interface Explanation {
  property: string;
  /** 1-based event of the violation. */
  event: number;
  phone?: string;
  story?: PhoneStory;
}

/** Replays a counterexample with its options and explains its first violation of the property (undefined when it shows none). Pure. */
export function explain(log: LogEvent[], property: Property, options?: Partial<ModelOptions>): Explanation | undefined {
  const trace = traceOf(log, options);
  const v = violations(trace, [property])[0];
  if (!v) return undefined;
  const story = v.phone === undefined ? undefined : phoneStory(trace, v.phone, v.at);
  return {
    property: property.name,
    event: v.at + 1,
    ...(v.phone ? { phone: v.phone } : {}),
    ...(story ? { story } : {}),
  };
}
