import type { LogEvent } from '../model/events.ts';
import type { REvent } from './referenceEvents.ts';
import type { RScope } from './referenceModel.ts';

/** Node ids of a scope: the publisher first. */
export const nodeName = (i: number): string => (i === 0 ? 'pub' : i === 1 ? 'sub' : `sub${i}`);

/** Phone ids of a scope (SEP + 12 hex digits). */
export const phoneName = (i: number): string => `SEP${(0xa0 + i).toString(16).toUpperCase().padStart(12, '0')}`;

/** The one SFTP location of the scope's ITLRecovery.p12 backups. */
export const BACKUP = { host: 'sftp.example.lab', user: 'backup', path: '/ITLRecovery.p12' } as const;

/** Time of the install line; fixed per scope so the derived RSA keys are cached across generated logs. */
export const INSTALL_AT = '2024-03-04T09:00:00.000Z';

/** The fixed install line of a scope (1024-bit keys: the cheapest to derive). Pure. */
export function installEvent(scope: Pick<RScope, 'nodes' | 'pre10'>): LogEvent {
  return {
    type: 'cluster.install',
    at: INSTALL_AT,
    version: scope.pre10 ? '9.1(2)' : '10.5(2)',
    domain: 'example.lab',
    securityPassword: 'Secret-One',
    keyBits: 1024,
    nodes: Array.from({ length: scope.nodes }, (_, i) => ({
      name: nodeName(i),
      role: i === 0 ? 'publisher' : 'subscriber',
      tftp: true,
      keyBits: 1024,
    })),
  };
}

/** The log event of an abstract event at a time (`wait` and `back`, time passing, have none). Pure. */
export function toLogEvent(scope: RScope, e: REvent, at: string, passwords: number): LogEvent | null {
  switch (e.t) {
    case 'add': {
      const c = scope.configs[e.p]!;
      return {
        type: 'phone.add',
        at,
        phone: phoneName(e.p),
        tftp: nodeName(c.tftp),
        tvs: c.tvs.map(nodeName),
        firmware: '10.3(1)',
      };
    }
    case 'reset':
      return { type: 'phone.reset', at, phone: phoneName(e.p) };
    case 'deleteItl':
      return { type: 'phone.deleteItl', at, phone: phoneName(e.p) };
    case 'power':
      return { type: 'phone.power', at, phone: phoneName(e.p), on: e.on };
    case 'phoneTftp':
      return { type: 'phone.tftp', at, phone: phoneName(e.p), tftp: nodeName(e.n) };
    case 'regen':
      return { type: 'cert.regenerate', at, node: nodeName(e.n), cert: e.c };
    case 'rename':
      return {
        type: 'node.rename',
        at,
        node: nodeName(e.n),
        hostname: `${nodeName(e.n)}-r${at.replace(/\D/g, '').slice(8, 14)}`,
      };
    case 'tftpRestart':
      return { type: 'tftp.restart', at, node: nodeName(e.n) };
    case 'forge':
      return { type: 'tftp.forge', at, node: nodeName(e.n) };
    case 'corrupt':
      return { type: 'tftp.corrupt', at, node: nodeName(e.n) };
    case 'itlReset':
      return { type: 'itl.reset', at, node: nodeName(e.n), key: 'localkey' };
    case 'itlResetRemote':
      return { type: 'itl.reset', at, node: 'pub', key: 'remotekey', ...BACKUP };
    case 'backup':
      return { type: 'itlrecovery.backup', at, node: nodeName(e.n), ...BACKUP };
    case 'domain':
      return { type: 'cluster.domain', at, domain: `d${passwords}${at.replace(/\D/g, '').slice(8, 14)}.lab` };
    case 'upgrade':
      return { type: 'cluster.upgrade', at, version: '10.5(2)' };
    case 'password':
      return { type: 'cluster.password', at, securityPassword: `Secret-${passwords + 2}` };
    case 'rebuild':
      return { type: 'publisher.rebuild', at };
    case 'devicesReset':
      return { type: 'devices.reset', at };
    case 'wait':
    case 'back':
      return null;
    default: {
      const never: never = e;
      throw new Error(`bug: ${JSON.stringify(never)}`);
    }
  }
}

/** An abstract event and the minutes since the previous one. */
export interface TimedEvent {
  e: REvent;
  minutes: number;
}

/**
 * A valid log from abstract events: events on a phone not added yet become its `phone.add`,
 * `wait` adds 5 minutes to the next event's delay. Returns the log and the abstract events kept
 * (index-aligned after the install line). Pure.
 */
export function toLog(scope: RScope, steps: TimedEvent[]): { events: LogEvent[]; abstract: REvent[] } {
  const events: LogEvent[] = [installEvent(scope)];
  const abstract: REvent[] = [];
  const added = new Set<number>();
  let time = Date.parse(INSTALL_AT);
  let passwords = 0;
  let carry = 0;
  for (const { e: raw, minutes } of steps) {
    if (raw.t === 'wait') {
      carry += 5;
      continue;
    }
    const e: REvent = 'p' in raw && !added.has(raw.p) ? { t: 'add', p: raw.p } : raw;
    if (e.t === 'add') {
      if (added.has(e.p)) continue;
      added.add(e.p);
    }
    time += (minutes + carry) * 60_000;
    carry = 0;
    const event = toLogEvent(scope, e, new Date(time).toISOString(), passwords);
    if (e.t === 'password' || e.t === 'domain') passwords += 1;
    events.push(event!);
    abstract.push(e);
  }
  return { events, abstract };
}
