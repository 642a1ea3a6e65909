import type { Certificate } from '../certs/certificate.ts';
import type { AnyRecordSpec } from './buildItl.ts';
import { Role, type RoleCode } from './tags.ts';

/** The CTL's header FILENAME (and the name TFTP serves it under): pass it as `buildItl`'s `filename`. */
export const CTL_FILENAME = 'CTLFile.tlv';

/** The services of a node that the CTL names: CCM+TFTP for both, CCM or TFTP for one (role codes 2, 1, 3). */
export type CtlServices = 'ccm+tftp' | 'ccm' | 'tftp';

/** One node of the cluster as the CTL lists it. */
export interface CtlNode {
  /** Host name, written as the node's records' DNSNAME. */
  hostname: string;
  /** IPv4 address in dotted form, written as the node's records' IPADDRESS (4 bytes). */
  ip: string;
  /** The node's CallManager certificate. */
  callManager: Certificate;
  /** Which of CallManager and TFTP the node runs: gives its record's FUNCTION. */
  services: CtlServices;
}

/** What a tokenless CTL is made from: plain values, no cluster state. */
export interface CtlContents {
  /** `pre12`: the 10.x–11.x layout (signed by `CM_P`); `from12`: the 12.0+ layout (signed by ITLRecovery). */
  tier: 'pre12' | 'from12';
  /** `non-secure`: the CTL `utils ctl set-cluster non-secure-mode` writes (A34). */
  mode: 'mixed' | 'non-secure';
  /** Every node running CallManager and/or TFTP, the publisher first. */
  nodes: CtlNode[];
  /** The publisher's CAPF certificate, when CAPF runs there. */
  capf?: Certificate;
  /** The cluster's (12.5+) or the publisher's (12.0) ITLRecovery certificate: required from 12.0, not used before (Q7). */
  itlRecovery?: Certificate;
}

const SERVICE_ROLES: Readonly<Record<CtlServices, RoleCode>> = {
  'ccm+tftp': Role.CCM_TFTP,
  ccm: Role.CCM,
  tftp: Role.TFTP,
};

/**
 * The records of a tokenless CTL, in the order `show ctl` lists them (A21). Pure.
 *
 * - `pre12` (10.x–11.x, the 10.5 listing; 11.x assumed equal): SAST `CM_P`, the publisher's
 *   CCM+TFTP `CM_P`, CAPF (if given), then each subscriber's CCM+TFTP. No ITLRecovery record:
 *   `itlRecovery` is ignored.
 * - `from12` (12.0+): SAST ITLRecovery, SAST `CM_P`, one record per node (publisher first), CAPF
 *   (if given) last. No TVS record.
 * - `non-secure` (A34): the same SAST and CAPF records; every node record keeps its FUNCTION,
 *   DNSNAME and IPADDRESS but loses its certificate (`form: 'empty'`, 10.0 listing: RECORDLENGTH 33
 *   with tags 1, 2, 4 and 10 only).
 *
 * Choices where the sources are silent:
 * - A node's record FUNCTION follows its services in both tiers (CCM+TFTP, CCM or TFTP), as the role
 *   definitions say; the 10.5 listing only shows nodes running both.
 * - Every record carries DNSNAME = a hostname and IPADDRESS = an IPv4 (A21). The SAST, CAPF and
 *   ITLRecovery records carry the publisher's: the publisher makes those certificates and the
 *   CTL (`utils ctl` runs there only).
 * - Certificates are whole (`form: 'certificate'`): the CTL listings show `9 CERTIFICATE`, never
 *   CERTHASH.
 *
 * Throws a RangeError when `nodes` is empty (no publisher) or when `from12` has no `itlRecovery`.
 */
export function cucmCtlRecords(contents: CtlContents): AnyRecordSpec[] {
  const [publisher, ...subscribers] = contents.nodes;
  if (!publisher) throw new RangeError('a CTL needs the publisher: nodes is empty');
  const at = { dnsName: publisher.hostname, ip: publisher.ip };
  const sast = (cert: Certificate): AnyRecordSpec => ({ role: Role.SAST, cert, form: 'certificate', ...at });
  const capf: AnyRecordSpec[] = contents.capf
    ? [{ role: Role.CAPF, cert: contents.capf, form: 'certificate', ...at }]
    : [];
  const nodeRecord = (node: CtlNode): AnyRecordSpec => {
    const common = { role: SERVICE_ROLES[node.services], dnsName: node.hostname, ip: node.ip };
    return contents.mode === 'non-secure'
      ? { ...common, form: 'empty' }
      : { ...common, cert: node.callManager, form: 'certificate' };
  };
  if (contents.tier === 'pre12') {
    return [sast(publisher.callManager), nodeRecord(publisher), ...capf, ...subscribers.map(nodeRecord)];
  }
  if (!contents.itlRecovery) throw new RangeError('a 12.0+ CTL needs the ITLRecovery certificate (its signer)');
  return [sast(contents.itlRecovery), sast(publisher.callManager), ...contents.nodes.map(nodeRecord), ...capf];
}
