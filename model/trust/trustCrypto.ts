import type { StoredItl } from '../cluster/itlStore.ts';

/** A certificate as the crypto port needs it: its SHA-1 (identity) and, for real crypto, its DER. */
export interface CertHandle {
  sha1: string;
  /** Base64 DER. */
  der?: string;
}

/**
 * The one question the phones ask of cryptography (style.md convention 4): does this ITL's
 * signature verify with the public key of that certificate? Two implementations: real
 * (RSA over the file's bytes) and symbolic (key identities, for exhaustive checking).
 */
export interface TrustCrypto {
  readonly name: 'real' | 'symbolic';
  itlSignedBy(itl: StoredItl, cert: CertHandle): boolean;
}
