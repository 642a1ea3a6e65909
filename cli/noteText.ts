import type { Alert } from '../model/cluster/step.ts';
import type { NodeName, Note } from '../model/cluster/notes.ts';

/** A node as the reports name it: its id, and its hostname after a rename (`pub (pub2)`). Pure. */
export function nodeLabel(node: NodeName): string {
  return node.hostname === node.id ? node.id : `${node.id} (${node.hostname})`;
}

const names = (nodes: NodeName[]) => nodes.map(nodeLabel).join(', ');

/** What a note says, in the words of the timeline. Pure. */
export function noteText(n: Note): string {
  switch (n.kind) {
    case 'installed':
      return `cluster installed (${n.version}: ${names(n.nodes)})`;
    case 'regenerated':
      return `Successfully Regenerated Certificate for ${n.cert} on ${nodeLabel(n.node)}`;
    case 'renamed':
      return `${n.node.id} renamed to ${n.fqdn}: CallManager, TVS and CAPF regenerated at once`;
    case 'domainChanged':
      return `domain changed to ${n.domain}: every node's CallManager, TVS and CAPF regenerated at once`;
    case 'itlsRebuilt':
      return `ITL rebuilt on ${names(n.nodes)}; phones reset automatically (back in ${n.seconds} s)`;
    case 'upgraded':
      return `upgraded ${n.from} -> ${n.to}${n.from === n.to ? ' (same version)' : ''}; every service restarted${n.createsRecovery ? "; ITLRecovery key created on every node, the publisher's goes into every ITL" : ''}`;
    case 'publisherRebuilt':
      return 'publisher rebuilt with new keys (CallManager, TVS, CAPF, ITLRecovery)';
    case 'tftpRestarted':
      return `Cisco Tftp restarted on ${nodeLabel(n.node)}; it serves its own ITL again`;
    case 'resetItlServed':
      return `reset ITL (${n.mode}) now served by ${names(n.nodes)} until their next TFTP restart; phones must be reset`;
    case 'corrupted':
      return `${nodeLabel(n.node)} serves its ITL with a broken signature until it writes a new one`;
    case 'forged':
      return `an attacker impersonates ${nodeLabel(n.node)}'s TFTP with a forged ITL until its next TFTP restart`;
    case 'backupSaved':
      return `Transfer completed. ITLRecovery.p12 saved to ${n.location}`;
    case 'passwordChanged':
      return 'cluster security password changed; saved ITLRecovery.p12 files keep the old password';
    case 'missedReset':
      return n.phones.length === 1
        ? `${n.phones[0]} is unplugged and misses the reset`
        : `${n.phones.length} unplugged phone(s) miss the reset`;
    default: {
      const never: never = n;
      return String(never);
    }
  }
}

/** What the daily alert says (SEED). Pure. */
export function alertText(a: Alert): string {
  switch (a.kind) {
    case 'itlrecovery-not-backed-up':
      return 'ITLRecovery certificate has not been backed up: run "file get tftp ITLRecovery.p12" on the publisher (a DRS backup does not stop this alert)';
    default: {
      const never: never = a.kind;
      return String(never);
    }
  }
}
