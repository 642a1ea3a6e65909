import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../certs/issueCertificate.ts';
import { keyFor } from '../crypto/keyStore.ts';
import { openP12, writeP12 } from './p12.ts';

const recovery = issueCertificate({
  kind: 'ITLRecovery',
  fqdn: 'pub.example.lab',
  subject: {},
  bits: 1024,
  at: '2024-03-04T09:00:00Z',
  seed: 'p12-test/pub/0',
});
const PASSWORD = 'derived-from-the-security-password';

/** A PKCS#12 that holds only some of the pair, as a foreign or damaged backup might. */
function partialP12(parts: { key?: boolean; cert?: boolean }): string {
  const key = forge.pki.privateKeyFromPem(
    keyFor(recovery.key).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const cert = forge.pki.certificateFromAsn1(
    forge.asn1.fromDer(Buffer.from(recovery.cert.der, 'base64').toString('binary')),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(parts.key ? key : null, parts.cert ? [cert] : [], PASSWORD, {
    algorithm: '3des',
    // No certificate to derive the key's local id from.
    generateLocalKeyId: false,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary').toString('base64');
}

describe('ITLRecovery.p12 (docs/rules.md §9, §10)', () => {
  it('should give back the key and certificate it was written with, to the password it was written with only', () => {
    const p12 = writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/ITLRecovery.p12/t1');
    const opened = openP12(p12, PASSWORD);
    expect(opened).toEqual({
      ok: true,
      modulusHex: keyFor(recovery.key).numbers.n.toString(16),
      certDer: recovery.cert.der,
    });
    const wrong = openP12(p12, 'another password');
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? '' : wrong.reason).not.toBe('');
  });

  it('should write the key bag with 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC) and name the entry ITLRecovery', () => {
    const p12 = writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/ITLRecovery.p12/t1');
    const parsed = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(Buffer.from(p12, 'base64').toString('binary')),
      PASSWORD,
    );
    const bags = parsed.safeContents.flatMap((c) => c.safeBags);
    expect(bags.map((b) => [b.type, b.attributes.friendlyName])).toEqual([
      [forge.pki.oids.certBag, ['ITLRecovery']],
      [forge.pki.oids.pkcs8ShroudedKeyBag, ['ITLRecovery']],
    ]);
    // The algorithm identifiers in the DER: PKCS#12's 3DES PBE, not PBES2 (AES), node-forge's other choice.
    const der = Buffer.from(p12, 'base64');
    const oid = (dotted: string) => Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary');
    expect(der.includes(oid('1.2.840.113549.1.12.1.3'))).toBe(true);
    expect(der.includes(oid('1.2.840.113549.1.5.13'))).toBe(false);
  });

  it('should write the same bytes for the same backup and different salts for another one', () => {
    const a = writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/a.p12/t1');
    expect(writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/a.p12/t1')).toBe(a);
    expect(writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/b.p12/t1')).not.toBe(a);
  });

  it("should leave node-forge's random generator as it found it (the seeded stream is for the p12's salts only)", () => {
    const random = forge.random as unknown as { getBytes: unknown; getBytesSync: unknown };
    const before = { getBytes: random.getBytes, getBytesSync: random.getBytesSync };
    writeP12(recovery.key, recovery.cert, PASSWORD, 'cluster/sftp:/a.p12/t1');
    expect({ getBytes: random.getBytes, getBytesSync: random.getBytesSync }).toEqual(before);
    expect(random.getBytes).toBe(before.getBytes);
    expect(random.getBytesSync).toBe(before.getBytesSync);
  });

  it('should refuse, with a reason and no throw, a p12 that lacks the key or the certificate', () => {
    const reason = { ok: false, reason: 'the file holds no key and certificate' };
    expect(openP12(partialP12({ cert: true }), PASSWORD)).toEqual(reason);
    expect(openP12(partialP12({ key: true }), PASSWORD)).toEqual(reason);
    expect(openP12(partialP12({ key: true, cert: true }), PASSWORD).ok).toBe(true);
    const broken = openP12(Buffer.from('not a p12').toString('base64'), PASSWORD);
    expect(broken.ok).toBe(false);
  });
});
