import type { LogEvent } from '../model/events.ts';

/** A short human form of an event for the timeline (never a secret). Pure. */
export function describeEvent(event: LogEvent): string {
  switch (event.type) {
    case 'cluster.install':
      return `cluster.install ${event.version} ${event.domain} (${event.nodes.map((n) => n.name).join(', ')})`;
    case 'cluster.upgrade':
      return `cluster.upgrade ${event.version}`;
    case 'phone.add':
      return `phone.add ${event.phone} tftp=${event.tftp} tvs=[${event.tvs.join(',')}]`;
    case 'cert.regenerate':
      return `set cert regen ${event.cert} on ${event.node}`;
    case 'node.rename':
      return `node.rename ${event.node} -> ${event.hostname}`;
    case 'cluster.domain':
      return `cluster.domain ${event.domain}`;
    case 'tftp.restart':
      return `tftp.restart ${event.node}`;
    case 'itl.reset':
      return event.key === 'localkey'
        ? `utils itl reset localkey on ${event.node}`
        : `utils itl reset remotekey ${event.host} ${event.user} ${event.path} on ${event.node}`;
    case 'itlrecovery.backup':
      return `file get tftp ITLRecovery.p12 on ${event.node} -> ${event.user}@${event.host}:${event.path}`;
    case 'cluster.password':
      return 'cluster.password (changed)';
    case 'publisher.rebuild':
      return 'publisher.rebuild';
    case 'devices.reset':
      return 'devices.reset (all phones)';
    case 'phone.reset':
      return `phone.reset ${event.phone}`;
    case 'phone.power':
      return `phone.power ${event.phone} ${event.on ? 'on' : 'off'}`;
    case 'phone.deleteItl':
      return `phone.deleteItl ${event.phone}`;
    case 'phone.tftp':
      return `phone.tftp ${event.phone} -> ${event.tftp}`;
    case 'tftp.forge':
      return `tftp.forge ${event.node} (attacker)`;
    case 'tftp.corrupt':
      return `tftp.corrupt ${event.node} (ITL served with a broken signature)`;
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

/** The node an event names, if any (the `node` of contract.md's `messages`). Pure. */
export function eventNode(event: LogEvent): string | undefined {
  return 'node' in event ? event.node : undefined;
}
