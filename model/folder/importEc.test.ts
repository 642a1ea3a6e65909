import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../cli/memoryIo.ts';
import { run } from '../../cli/main.ts';
import { contentsOf } from '../../test-support/folderFiles.ts';
import { importCluster } from './importCluster.ts';

/**
 * A real cluster's ITL may carry a certificate whose key is EC (tlvfile, test-support/fixtures/tlvfile/ec/,
 * writes one in any role; here the CAPF record). The model's keys are all RSA (ECDSA is not modelled,
 * docs/rules.md A35), so such a certificate is held as a stand-in known by its identity, like a CERTHASH
 * record's (docs/cluster-folder.md): the folder reads, and a change the model rebuilds the ITL for replays.
 */
const EC = fileURLToPath(new URL('../../test-support/fixtures/tlvfile/ec/', import.meta.url));
const itl = new Uint8Array(readFileSync(`${EC}ITLFile.tlv`));
const capf = new X509Certificate(readFileSync(`${EC}capf.crt`));
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

const cluster = JSON.stringify({
  version: '12.5(1)SU3',
  securityMode: 'non-secure',
  nodes: [{ name: 'cucm-pub', hostname: 'cucm-pub.example.com', role: 'publisher', tftp: true }],
});
const phones =
  'Device Name,Description,Model,TFTP,TVS,Status,ITL Hash,Firmware\r\n' +
  `SEP0011AA000001,desk,Cisco 8845,cucm-pub,cucm-pub,Registered,${sha1(itl)},sip8845_65.14-2-1-0001-14\r\n`;
const files = new Map<string, Uint8Array>([
  ['cluster.json', new TextEncoder().encode(cluster)],
  ['phones.csv', new TextEncoder().encode(phones)],
  ['tftp/cucm-pub/ITLFile.tlv', itl],
]);

// The fixture's TIMESTAMP is 2026-11-30: the continuation comes after it.
const next = [
  { type: 'itl.reset', at: '2027-01-04T09:00:00Z', node: 'cucm-pub', key: 'localkey' },
  { type: 'devices.reset', at: '2027-01-04T09:05:00Z' },
  { type: 'cert.regenerate', at: '2027-01-04T10:00:00Z', node: 'cucm-pub', cert: 'TVS' },
  { type: 'tftp.restart', at: '2027-01-04T10:10:00Z', node: 'cucm-pub' },
  { type: 'devices.reset', at: '2027-01-04T10:15:00Z' },
];

describe('a folder whose ITL carries a certificate with an EC key (A35)', () => {
  it('should be an EC key in the fixture, in the CAPF record of a file that verifies', () => {
    expect(capf.publicKey.asymmetricKeyType).toBe('ec');
    expect(readFileSync(`${EC}ITLFile.parsed.txt`, 'utf8')).toMatch(/Key Algorithm: +EC[\s\S]*Valid signature\n$/);
  });

  it('should import the CAPF certificate as a stand-in with its real identity and dates, and a 2048-bit RSA key', () => {
    const node = importCluster(contentsOf(files)).state.nodes[0]!;
    const held = node.certs.CAPF!;
    expect(held.cert.sha1).toBe(capf.fingerprint.replace(/:/g, '').toLowerCase());
    expect(held.cert.serial).toBe(capf.serialNumber.toLowerCase());
    expect(held.cert.notBefore).toBe(new Date(capf.validFrom).toISOString());
    expect(held.cert.notAfter).toBe(new Date(capf.validTo).toISOString());
    // No RSA size to take: 2048 bits, the size no key-size rule flags (a CERTHASH stand-in gets 1024).
    expect(held.cert.bits).toBe(2048);
    expect(held.key.bits).toBe(2048);
    expect(new X509Certificate(Buffer.from(held.cert.der, 'base64')).publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('should replay a continuation that rebuilds the ITL, the phone trusted throughout', async () => {
    const io = memoryIo({
      ...Object.fromEntries([...files].map(([path, bytes]) => [`c/${path}`, bytes])),
      'next.jsonl': next.map((e) => JSON.stringify(e)).join('\n'),
    });
    expect(await run(['replay', '--from', 'c', 'next.jsonl', '--json'], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    const doc = JSON.parse(io.stdout.join('\n')) as { phones: Record<string, { trust: string }> };
    expect(doc.phones['SEP0011AA000001']!.trust).toBe('trusted');
  });
});
