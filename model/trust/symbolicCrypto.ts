import type { TrustCrypto } from './trustCrypto.ts';

/**
 * Symbolic crypto (style.md convention 4): an ITL "verifies" with a certificate exactly when that
 * certificate is the one of its signer record (same SHA-1). This is the symbolic counterpart of RSA
 * because every ITL the model builds is signed with the private key of the identity whose certificate
 * it names as signer, and every certificate has its own key (keys derive from cluster, node, kind and
 * generation): so the real verification succeeds iff the certificates are the same — unless the file
 * was corrupted on the way (`tftp.corrupt`), when it verifies with no key. The refinement
 * property (properties/refinement.prop.test.ts) holds the two in agreement on random logs. Pure.
 */
export const symbolicCrypto: TrustCrypto = {
  name: 'symbolic',
  itlSignedBy(itl, cert) {
    const signer = itl.records[itl.signer.recordIndex];
    return !itl.corrupted && signer !== undefined && signer.certSha1 === cert.sha1;
  },
};
