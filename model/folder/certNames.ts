/**
 * Which node a certificate name belongs to, by CUCM's naming (model/certs/names.ts): a node's
 * CallManager and TVS certificates are named after its host name or FQDN (`CN=cucmpub.example.com`),
 * the ITLRecovery certificate `ITLRECOVERY_` and the publisher's FQDN of the day it was made, CAPF
 * `CAPF-` and 8 hex digits. Names are read in both spellings an ITL holds: CUCM's
 * `CN=…;OU=…;O=…` and the RFC 4514 form other tools write (`C=US,ST=nc,…,CN=…`). Pure.
 */
import { nameKey } from '../names.ts';
import type { ClusterConfig, FolderNode } from './clusterConfig.ts';

/** The CN of a certificate name in either spelling, or '' when it has none. Pure. */
export function commonName(subject: string): string {
  for (const part of subject.split(/[;,]/)) {
    // Trimmed after the match, not by a lazy group before `\s*$`: that one tries every end, O(n²) on spaces.
    const m = /^\s*CN\s*=([\s\S]*)$/i.exec(part);
    if (m) return m[1]!.trim();
  }
  return '';
}

/** Whether a CN is an ITLRecovery certificate's (`ITLRECOVERY_<fqdn>`). Pure. */
export function isItlRecoveryName(cn: string): boolean {
  return /^ITLRECOVERY_/i.test(cn);
}

/**
 * The node a CallManager or TVS certificate's CN (or a CTL record's DNSNAME) names, or undefined:
 *
 * - a CN with a dot is a FQDN: it names the node whose `hostname` it is, or else a node given without
 *   a FQDN (no `hostname`, or one without a dot) whose name or host name is the CN's first label: a
 *   node given with another FQDN is another host;
 * - a CN without a dot names the node of that name, or whose `hostname` starts with that label.
 *
 * Case is ignored, as DNS ignores it. Pure.
 */
export function nodeOfName(config: Pick<ClusterConfig, 'nodes'>, cn: string): FolderNode | undefined {
  const key = nameKey(cn);
  if (key === '') return undefined;
  const label = (name: string) => nameKey(name).split('.')[0]!;
  if (key.includes('.'))
    return (
      config.nodes.find((n) => n.hostname !== undefined && nameKey(n.hostname) === key) ??
      config.nodes.find(
        (n) =>
          !n.hostname?.includes('.') && (nameKey(n.name) === label(key) || nameKey(n.hostname ?? '') === label(key)),
      )
    );
  return (
    config.nodes.find((n) => nameKey(n.name) === key) ??
    config.nodes.find((n) => n.hostname !== undefined && label(n.hostname) === key)
  );
}
