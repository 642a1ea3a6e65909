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
  /** `certs`: those regenerated at once, CAPF only where the node has one (none on a 14+ subscriber, §6). */
  | { kind: 'renamed'; node: NodeName; fqdn: string; certs: CertKind[] }
  /** `certs`: those regenerated at once on each node, CAPF only where the node has one. */
  | { kind: 'domainChanged'; domain: string; certs: Array<{ node: NodeName; certs: CertKind[] }> }
  /**
   * Certificate changes rebuilt these nodes' ITLs; every powered-on phone resets and is back `seconds`
   * later (A14), or (null) no phone resets: "Phone Interaction on Certificate Update" is manual (P1).
   */
  | { kind: 'itlsRebuilt'; nodes: NodeName[]; seconds: number | null }
  | { kind: 'upgraded'; from: string; to: string; createsRecovery: boolean; regeneratesRecovery: boolean }
  /** `utils ctl …` wrote the cluster's CTL (served by every node at once, A22), signed by this key. */
  | {
      kind: 'ctlWritten';
      command: 'setCluster' | 'update' | 'reset';
      mode: 'mixed' | 'non-secure';
      signer: 'callManager' | 'itlRecovery';
    }
  /** An enterprise parameter changed; `resets`: every powered-on phone resets (the rollback parameter, 10.5+). */
  | {
      kind: 'parameterChanged';
      name: 'prepareRollbackPre80' | 'phoneInteractionOnCertificateUpdate';
      value: string;
      resets: boolean;
    }
  /** A service restart with no trust effect (A22). */
  | { kind: 'serviceRestarted'; node: NodeName; service: string }
  /** 14+ certificate reuse: every node's CallManager is now one multi-SAN certificate (A38). */
  | { kind: 'certificatesReused'; nodes: NodeName[] }
  /** An event the model does not change anything for, and why (CallManager-ECDSA is not modelled, A35). */
  | { kind: 'notModelled'; what: 'ecdsa' }
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
