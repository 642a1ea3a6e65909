import type { CertKind } from '../certs/issueCertificate.ts';

/** A node as a note names it: its id in the log and its hostname at the time (they differ after a rename). */
export interface NodeName {
  id: string;
  hostname: string;
}

/** What an event did on the cluster side, as data (style.md: outcomes are typed); cli/noteText.ts says it in words. */
export type Note =
  | { kind: 'installed'; version: string; nodes: NodeName[] }
  | { kind: 'regenerated'; node: NodeName; cert: CertKind }
  | { kind: 'renamed'; node: NodeName; fqdn: string }
  | { kind: 'domainChanged'; domain: string }
  /** Certificate changes rebuilt these nodes' ITLs; every powered-on phone resets and is back `seconds` later (A14). */
  | { kind: 'itlsRebuilt'; nodes: NodeName[]; seconds: number }
  | { kind: 'upgraded'; from: string; to: string; createsRecovery: boolean }
  | { kind: 'publisherRebuilt' }
  | { kind: 'tftpRestarted'; node: NodeName }
  | { kind: 'resetItlServed'; mode: 'localkey' | 'remotekey'; nodes: NodeName[] }
  | { kind: 'corrupted'; node: NodeName }
  | { kind: 'forged'; node: NodeName }
  | { kind: 'backupSaved'; location: string }
  | { kind: 'passwordChanged' }
  /** Phones that are unplugged and miss a reset (`phone.reset` of one, or *Reset all*). */
  | { kind: 'missedReset'; phones: string[] };

/** A node's name for a note. Pure. */
export function nodeName(node: NodeName): NodeName {
  return { id: node.id, hostname: node.hostname };
}
