/**
 * One line of CUCM's CLI, as an administrator types it, read as the event it causes: the shared
 * syntax of plans and of imported `admin:` transcripts (docs/plan-format.md). A few model lines
 * stand for what is done outside the CLI (Enterprise Parameters > Reset, unplugging a phone, an
 * upgrade). Pure.
 */
import type { CertKind, LogEvent } from '../events.ts';
import { quote } from '../logError.ts';

/** An event as a command line gives it: everything but its time. */
export type CommandEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'at'> : never) : never;

/**
 * What one line says: an event, time passing, nothing (a read-only command or a comment; `node` when
 * its `on NODE` names where it is typed, for the reader to check against the cluster), or why it is
 * not understood.
 */
export type CommandLine =
  | { kind: 'event'; event: CommandEvent }
  | { kind: 'wait'; seconds: number }
  | { kind: 'none'; node?: { name: string; command: string } }
  | { kind: 'error'; reason: string };

/** Where a command is typed when the line does not say (`on NODE`): the publisher, where `utils itl` and `utils ctl` run. */
export interface CommandContext {
  publisher: string;
}

const CERTS: Record<string, CertKind> = {
  callmanager: 'CallManager',
  tvs: 'TVS',
  capf: 'CAPF',
  itlrecovery: 'ITLRecovery',
};

const SERVICES: Record<string, 'Tftp' | 'CallManager' | 'CTIManager' | 'TVS' | 'CAPF'> = {
  'cisco tftp': 'Tftp',
  'cisco callmanager': 'CallManager',
  'cisco ctimanager': 'CTIManager',
  'cisco trust verification service': 'TVS',
  'cisco tvs': 'TVS',
  'cisco certificate authority proxy function': 'CAPF',
  'cisco capf': 'CAPF',
};

/** Read-only commands a transcript may hold: they change nothing. */
const READ_ONLY = [
  /^show\b/,
  /^file (list|view|search|dump|tail)\b/,
  /^utils (diagnose|dbreplication status|network)\b/,
  /^run sql select\b/,
];

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `wait 10m`, `wait 90s`, `wait 2h`, `wait 1d`: seconds, or undefined. Pure. */
function waitSeconds(text: string): number | undefined {
  const match = /^wait\s+(\d{1,6})\s*([smhd])$/i.exec(text);
  return match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : undefined;
}

/** Splits a trailing `on NODE` off a command; `typed` is the node when the line names one. Pure. */
function where(text: string): { command: string; typed?: string } {
  const match = /^(.*?)\s+on\s+(\S+)$/i.exec(text);
  return match ? { command: match[1]!, typed: match[2]! } : { command: text };
}

/**
 * Why a line whose event names no node (the administration pages' resets, the model lines) refuses
 * a trailing `on NODE`: it is not typed on a node's CLI, and the node would be silently dropped. Pure.
 */
function notOnANode(command: string, typed: string): string {
  const on = quote(`on ${typed}`);
  if (/^reset all$/i.test(command))
    return `reset all: not typed on a node, so ${on} does not apply (Enterprise Parameters > Reset acts on the whole cluster)`;
  if (/^reset phone\b/i.test(command))
    return `reset phone: not typed on a node, so ${on} does not apply (a phone is reset from Cisco Unified CM Administration)`;
  return `${command.slice(0, 80)}: a model line, not typed on a node, so ${on} does not apply`;
}

/**
 * Reads one command line (without a prompt or comment) as the event it causes. Keywords are
 * case-insensitive; node, phone and host names are kept as typed. Pure.
 */
export function readCommand(line: string, context: CommandContext): CommandLine {
  const text = line.trim().replace(/\s+/g, ' ');
  if (text === '') return { kind: 'none' };
  const wait = waitSeconds(text);
  if (wait !== undefined) return { kind: 'wait', seconds: wait };
  if (/^wait\s+\d+\s*[smhd]$/i.test(text))
    return { kind: 'error', reason: 'wait: at most 999999 of a unit (s, m, h, d), like "wait 30d"' };
  if (/^wait\b/i.test(text)) return { kind: 'error', reason: 'wait needs a duration like "wait 10m" (s, m, h, d)' };
  const { command, typed } = where(text);
  const node = typed ?? context.publisher;
  const lower = command.toLowerCase();
  const event = (e: CommandEvent): CommandLine => {
    if (typed !== undefined && !('node' in e)) return { kind: 'error', reason: notOnANode(command, typed) };
    return { kind: 'event', event: e };
  };
  let m: RegExpExecArray | null;
  if ((m = /^set cert regen (\S+)$/.exec(lower))) {
    const cert = CERTS[m[1]!];
    if (!cert)
      return {
        kind: 'error',
        reason: `set cert regen: unknown certificate ${quote(m[1])} (CallManager, TVS, CAPF, ITLRecovery)`,
      };
    return event({ type: 'cert.regenerate', node, cert });
  }
  if (lower === 'utils itl reset localkey') return event({ type: 'itl.reset', node, key: 'localkey' });
  if ((m = /^utils itl reset remotekey (\S+) (\S+) (\S+)$/i.exec(command)))
    return event({ type: 'itl.reset', node, key: 'remotekey', host: m[1]!, user: m[2]!, path: m[3]! });
  if (/^utils itl reset remotekey\b/i.test(command))
    return { kind: 'error', reason: 'utils itl reset remotekey needs HOST USER PATH' };
  if ((m = /^utils ctl set-cluster (mixed-mode|non-secure-mode)$/.exec(lower)))
    return event({ type: 'ctl.setCluster', node, mode: m[1] === 'mixed-mode' ? 'mixed' : 'non-secure' });
  if (lower === 'utils ctl update ctlfile') return event({ type: 'ctl.update', node });
  if (lower === 'utils ctl reset localkey') return event({ type: 'ctl.reset', node, key: 'localkey' });
  if ((m = /^utils service restart (.+)$/.exec(lower))) {
    const service = SERVICES[m[1]!];
    if (!service)
      return { kind: 'error', reason: `utils service restart: a service the model does not know: ${quote(m[1])}` };
    return event(service === 'Tftp' ? { type: 'tftp.restart', node } : { type: 'service.restart', node, service });
  }
  // The host holds no @: the user is up to the last @ (it may hold one), found by one backward scan
  // (a host that may hold @ made the pattern try every @ with every end: O(n²) on a line of @).
  if ((m = /^file get tftp itlrecovery\.p12 to (\S+)@([^@:\s]+):(\S+)$/i.exec(command)))
    return event({ type: 'itlrecovery.backup', node, user: m[1]!, host: m[2]!, path: m[3]! });
  if (/^file get tftp itlrecovery\.p12\b/i.test(command))
    return { kind: 'error', reason: 'file get tftp ITLRecovery.p12 needs "to USER@HOST:PATH"' };
  if (lower === 'reset all') return event({ type: 'devices.reset' });
  if ((m = /^reset phone (\S+)$/i.exec(command))) return event({ type: 'phone.reset', phone: m[1]! });
  if ((m = /^phone (\S+) (on|off)$/i.exec(command)))
    return event({ type: 'phone.power', phone: m[1]!, on: m[2]!.toLowerCase() === 'on' });
  if ((m = /^phone (\S+) delete (itl|ctl)$/i.exec(command)))
    return event({ type: m[2]!.toLowerCase() === 'itl' ? 'phone.deleteItl' : 'phone.deleteCtl', phone: m[1]! });
  if ((m = /^phone (\S+) factory reset$/i.exec(command))) return event({ type: 'phone.factoryReset', phone: m[1]! });
  if ((m = /^phone (\S+) tftp (\S+)$/i.exec(command))) return event({ type: 'phone.tftp', phone: m[1]!, tftp: m[2]! });
  if ((m = /^set param prepareRollbackPre80 (true|false)$/i.exec(command)))
    return event({ type: 'cluster.parameter', name: 'prepareRollbackPre80', value: m[1]!.toLowerCase() === 'true' });
  if ((m = /^set param phoneInteractionOnCertificateUpdate (automatic|manual)$/i.exec(command)))
    return event({
      type: 'cluster.parameter',
      name: 'phoneInteractionOnCertificateUpdate',
      value: m[1]!.toLowerCase() as 'automatic' | 'manual',
    });
  if ((m = /^upgrade (\S+)( l2)?$/i.exec(command)))
    return event({ type: 'cluster.upgrade', version: m[1]!, ...(m[2] ? { method: 'l2' as const } : {}) });
  if ((m = /^reuse cert (tomcat|tomcat-ecdsa)$/.exec(lower)))
    return event({ type: 'cert.reuse', from: m[1] === 'tomcat' ? 'tomcat' : 'tomcat-ECDSA' });
  if (READ_ONLY.some((r) => r.test(lower)))
    return typed === undefined ? { kind: 'none' } : { kind: 'none', node: { name: typed, command } };
  return { kind: 'error', reason: `not a command the model knows: "${command.slice(0, 80)}"` };
}
