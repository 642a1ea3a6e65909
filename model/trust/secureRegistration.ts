import type { ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { Role } from '../itl/tags.ts';

/**
 * A27: a phone with a secure device security profile (authenticated or encrypted) registers over TLS
 * only when its CTL holds the current CallManager certificate of the node it registers with (role
 * CCM or CCM+TFTP) (SG125: "the Unified Communications Manager entry and certificate must exist in
 * the file"). It registers with the first node of its CallManager group (its TVS list). Reported per
 * phone; the trust lists are not affected. Undefined for a non-secure profile. Pure.
 */
export function secureRegistration(state: ClusterState, phone: PhoneState): boolean | undefined {
  if (!phone.securityProfile) return undefined;
  const node = state.nodes.find((n) => n.id === phone.tvs[0]);
  const ctl = phone.ctl ? state.itls[phone.ctl.file] : undefined;
  if (!node || !ctl) return false;
  const cert = node.certs.CallManager.cert;
  return ctl.records.some(
    (r) => (r.role === Role.CCM || r.role === Role.CCM_TFTP) && r.serial === cert.serial && r.certSha1 === cert.sha1,
  );
}
