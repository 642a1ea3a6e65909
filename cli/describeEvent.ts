import type { LogEvent } from '../model/events.ts';

/** A short human form of an event for the timeline (never a secret). Pure. */
export function describeEvent(event: LogEvent): string {
  switch (event.type) {
    case 'cluster.install':
      return `cluster.install ${event.version} ${event.domain} (${event.nodes.map((n) => n.name).join(', ')})`;
    case 'cluster.upgrade':
      return `cluster.upgrade ${event.version}${event.method === 'l2' ? ' (L2)' : ''}`;
    case 'phone.add':
      return `phone.add ${event.phone} tftp=${event.tftp} tvs=[${event.tvs.join(',')}]${event.sbd === false ? ' (no SBD)' : ''}${event.securityProfile && event.securityProfile !== 'non-secure' ? ` ${event.securityProfile}` : ''}`;
    case 'cert.regenerate':
      return `set cert regen ${event.cert} on ${event.node}${event.keyBits ? ` (${event.keyBits} bits)` : ''}`;
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
    case 'ctl.setCluster':
      return `utils ctl set-cluster ${event.mode === 'mixed' ? 'mixed-mode' : 'non-secure-mode'} on ${event.node}`;
    case 'ctl.update':
      return `utils ctl update CTLFile on ${event.node}`;
    case 'ctl.reset':
      return `utils ctl reset localkey on ${event.node}`;
    case 'cluster.parameter':
      return event.name === 'prepareRollbackPre80'
        ? `Prepare Cluster for Rollback to pre-8.0 = ${event.value ? 'True' : 'False'}`
        : `Phone Interaction on Certificate Update = ${event.value}`;
    case 'service.restart':
      return `restart Cisco ${event.service} on ${event.node}`;
    case 'phone.deleteCtl':
      return `phone.deleteCtl ${event.phone}`;
    case 'phone.factoryReset':
      return `phone.factoryReset ${event.phone}`;
    case 'cert.reuse':
      return `reuse the ${event.from === 'tomcat' ? 'Tomcat' : 'Tomcat-ECDSA'} certificate for ${event.from === 'tomcat' ? 'CallManager' : 'CallManager-ECDSA'}`;
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

/** The node an event names, if any (the `node` of `replay --json` `messages`). Pure. */
export function eventNode(event: LogEvent): string | undefined {
  return 'node' in event ? event.node : undefined;
}
