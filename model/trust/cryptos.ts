import { realCrypto } from './realCrypto.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';
import type { TrustCrypto } from './trustCrypto.ts';

/** The crypto a replay's phones verify with, by name: real RSA, or symbolic key identities. Pure. */
export function trustCrypto(name: TrustCrypto['name']): TrustCrypto {
  return name === 'symbolic' ? symbolicCrypto : realCrypto;
}
