import { describe, expect, it } from 'vitest';
import { install, run } from '../../test-support/scenario.ts';
import { realCrypto } from './realCrypto.ts';
import { symbolicCrypto } from './symbolicCrypto.ts';

const outcome = run([
  install(),
  { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] },
  { type: 'tftp.forge', node: 'sub' },
]);
const cluster = outcome.final.cluster!;
const pubItl = cluster.itls[cluster.nodes[0]!.tftp!.normalItl]!;
const forged = cluster.itls[cluster.nodes[1]!.tftp!.forgery!.itl]!;
const cm = cluster.nodes[0]!.certs.CallManager.cert;
const handle = (c: { sha1: string; der: string }) => ({ sha1: c.sha1, der: c.der });

describe('symbolicCrypto', () => {
  it('should verify an ITL with the certificate of its signer record, as real RSA does', () => {
    expect(symbolicCrypto.itlSignedBy(pubItl, handle(cm))).toBe(true);
    expect(realCrypto.itlSignedBy(pubItl, handle(cm))).toBe(true);
  });

  it('should refuse a certificate other than the signer, as real RSA does', () => {
    const tvs = cluster.nodes[0]!.certs.TVS.cert;
    expect(symbolicCrypto.itlSignedBy(pubItl, handle(tvs))).toBe(false);
    expect(realCrypto.itlSignedBy(pubItl, handle(tvs))).toBe(false);
    expect(symbolicCrypto.itlSignedBy(forged, handle(cm))).toBe(false);
  });

  it('should verify nothing with a certificate that does not read, as a damaged record gives it', () => {
    const der = Buffer.from(cm.der, 'base64');
    const damaged = Buffer.concat([Buffer.from([0x00]), der.subarray(1)]).toString('base64');
    expect(realCrypto.itlSignedBy(pubItl, { sha1: 'damaged', der: damaged })).toBe(false);
    expect(realCrypto.itlSignedBy(pubItl, { sha1: 'cut', der: der.subarray(0, 40).toString('base64') })).toBe(false);
  });

  it('should give real RSA the same verdict for a certificate whether or not a call without its DER came first', () => {
    const tvs = cluster.nodes[1]!.certs.TVS.cert;
    const subItl = cluster.itls[cluster.nodes[1]!.tftp!.normalItl]!;
    const signer = cluster.nodes[1]!.certs.CallManager.cert;
    // Known by its hash only, a certificate verifies nothing; given whole afterwards, it does.
    expect(realCrypto.itlSignedBy(subItl, { sha1: signer.sha1 })).toBe(false);
    expect(realCrypto.itlSignedBy(subItl, handle(signer))).toBe(true);
    expect(realCrypto.itlSignedBy(subItl, handle(tvs))).toBe(false);
  });
});
