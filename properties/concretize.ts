import type { LogEvent } from '../model/events.ts';
import { HOLD_SECONDS } from './spec/constants.ts';
import type { SpecEvent } from './spec/events.ts';
import type { SpecScope } from './spec/scope.ts';

/** Node ids of a scope: the publisher first. */
export const nodeName = (i: number): string => (i === 0 ? 'pub' : i === 1 ? 'sub' : `sub${i}`);

/** Phone ids of a scope (SEP + 12 hex digits). */
export const phoneName = (i: number): string => `SEP${(0xa0 + i).toString(16).toUpperCase().padStart(12, '0')}`;

/** The one SFTP location of the scope's ITLRecovery.p12 backups. */
export const BACKUP = { host: 'sftp.example.lab', user: 'backup', path: '/ITLRecovery.p12' } as const;

/** Time of the install line; fixed per scope so the derived RSA keys are cached across generated logs. */
export const INSTALL_AT = '2024-03-04T09:00:00.000Z';

/** The release a scope's cluster is installed at: 10.5(2), 9.1(2) before 10.0, 12.5(1)SU3, 11.5(1)SU8 before 12.5. Pure. */
export function installVersion(scope: Pick<SpecScope, 'release' | 'pre10' | 'pre12'>): string {
  if (scope.release === '12.5') return scope.pre12 ? '11.5(1)SU8' : '12.5(1)SU3';
  return scope.pre10 ? '9.1(2)' : '10.5(2)';
}

/**
 * The release `upgrade` goes to: 10.5(2) in a 10.x scope; in a 12.5 scope the install's own
 * 12.5(1)SU3, or from 11.5 a refresh upgrade to 12.5(1)SU2, which regenerates ITLRecovery (FN70613). Pure.
 */
export function upgradeVersion(scope: Pick<SpecScope, 'release' | 'pre12'>): string {
  if (scope.release === '12.5') return scope.pre12 ? '12.5(1)SU2' : '12.5(1)SU3';
  return '10.5(2)';
}

/** The fixed install line of a scope (1024-bit keys: the cheapest to derive). Pure. */
export function installEvent(scope: Pick<SpecScope, 'nodes' | 'release' | 'pre10' | 'pre12'>): LogEvent {
  return {
    type: 'cluster.install',
    at: INSTALL_AT,
    version: installVersion(scope),
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
export function toLogEvent(scope: SpecScope, e: SpecEvent, at: string, passwords: number): LogEvent | null {
  switch (e.kind) {
    case 'add': {
      const c = scope.configs[e.phone]!;
      return {
        type: 'phone.add',
        at,
        phone: phoneName(e.phone),
        tftp: nodeName(c.tftp),
        tvs: c.tvs.map(nodeName),
        firmware: '10.3(1)',
      };
    }
    case 'reset':
      return { type: 'phone.reset', at, phone: phoneName(e.phone) };
    case 'deleteItl':
      return { type: 'phone.deleteItl', at, phone: phoneName(e.phone) };
    case 'deleteCtl':
      return { type: 'phone.deleteCtl', at, phone: phoneName(e.phone) };
    case 'power':
      return { type: 'phone.power', at, phone: phoneName(e.phone), on: e.on };
    case 'phoneTftp':
      return { type: 'phone.tftp', at, phone: phoneName(e.phone), tftp: nodeName(e.node) };
    case 'regen':
      return { type: 'cert.regenerate', at, node: nodeName(e.node), cert: e.cert };
    case 'rename':
      return {
        type: 'node.rename',
        at,
        node: nodeName(e.node),
        hostname: `${nodeName(e.node)}-r${at.replace(/\D/g, '').slice(8, 14)}`,
      };
    case 'tftpRestart':
      return { type: 'tftp.restart', at, node: nodeName(e.node) };
    case 'forge':
      return { type: 'tftp.forge', at, node: nodeName(e.node) };
    case 'corrupt':
      return { type: 'tftp.corrupt', at, node: nodeName(e.node) };
    case 'itlReset':
      return { type: 'itl.reset', at, node: nodeName(e.node), key: 'localkey' };
    case 'itlResetRemote':
      return { type: 'itl.reset', at, node: 'pub', key: 'remotekey', ...BACKUP };
    case 'backup':
      return { type: 'itlrecovery.backup', at, node: nodeName(e.node), ...BACKUP };
    case 'domain':
      return { type: 'cluster.domain', at, domain: `d${passwords}${at.replace(/\D/g, '').slice(8, 14)}.lab` };
    case 'upgrade':
      return { type: 'cluster.upgrade', at, version: upgradeVersion(scope) };
    case 'ctlSetCluster':
      return { type: 'ctl.setCluster', at, node: nodeName(e.node), mode: 'mixed' };
    case 'ctlUpdate':
      return { type: 'ctl.update', at, node: nodeName(e.node) };
    case 'ctlReset':
      return { type: 'ctl.reset', at, node: nodeName(e.node), key: 'localkey' };
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
  e: SpecEvent;
  minutes: number;
}

/**
 * A valid log from abstract events: events on a phone not added yet become its `phone.add`,
 * `wait` adds the hold timer's HOLD_SECONDS to the next event's delay. Returns the log and the abstract events kept
 * (index-aligned after the install line). Pure.
 */
export function toLog(scope: SpecScope, steps: TimedEvent[]): { events: LogEvent[]; abstract: SpecEvent[] } {
  const events: LogEvent[] = [installEvent(scope)];
  const abstract: SpecEvent[] = [];
  const added = new Set<number>();
  let time = Date.parse(INSTALL_AT);
  let passwords = 0;
  let carry = 0;
  for (const { e: raw, minutes } of steps) {
    if (raw.kind === 'wait') {
      carry += HOLD_SECONDS / 60;
      continue;
    }
    const e: SpecEvent = 'phone' in raw && !added.has(raw.phone) ? { kind: 'add', phone: raw.phone } : raw;
    if (e.kind === 'add') {
      if (added.has(e.phone)) continue;
      added.add(e.phone);
    }
    time += (minutes + carry) * 60_000;
    carry = 0;
    const event = toLogEvent(scope, e, new Date(time).toISOString(), passwords);
    if (e.kind === 'password' || e.kind === 'domain') passwords += 1;
    events.push(event!);
    abstract.push(e);
  }
  return { events, abstract };
}
