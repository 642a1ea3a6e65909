import { describe, expect, it } from 'vitest';
import { install, run } from '../../test-support/scenario.ts';
import { contentsOf } from '../../test-support/folderFiles.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { RecordTag } from '../itl/tags.ts';
import { findSigner } from '../itl/verifyItl.ts';
import { folderOfState } from './folderOfState.ts';
import { importCluster } from './importCluster.ts';

const PUB_ITL = 'tftp/pub/ITLFile.tlv';

/** The folder of a fresh cluster of `version` with the first byte of the publisher's ITL signer certificate's DER changed: the file decodes, the certificate does not read. */
function damagedFolder(version: string): Map<string, Uint8Array> {
  const files = folderOfState(run([install({ version })]).final.cluster!);
  const bytes = Uint8Array.from(files.get(PUB_ITL)!);
  const file = decodeItl(bytes);
  const cert = file.records[findSigner(file)]!.elements.find((e) => e.tag === RecordTag.CERTIFICATE)!;
  // The element is its tag, a 2-byte length, then the DER, which starts with a SEQUENCE (0x30).
  expect(bytes[cert.offset + 3]).toBe(0x30);
  bytes[cert.offset + 3] = 0x00;
  return new Map([...files, [PUB_ITL, bytes]]);
}

describe('a folder whose ITL carries a certificate that does not read (docs/cluster-folder.md)', () => {
  // Signed by the publisher's CallManager before 12.0, by its ITLRecovery from 12.0.
  for (const version of ['10.5(2)', '12.5(1)']) {
    it(`should import the file as damaged (its signature fails), its signer known by its hash, rather than stop (${version})`, () => {
      const imported = importCluster(contentsOf(damagedFolder(version)));
      const pub = imported.state.nodes[0]!;
      expect(pub.tftp!.signer.file).toBe('corrupted');
      expect(pub.tftp!.corruption).toBeDefined();
    });

    it(`should keep the certificates the other files show whole (${version})`, () => {
      const imported = importCluster(contentsOf(damagedFolder(version)));
      const whole = importCluster(contentsOf(folderOfState(run([install({ version })]).final.cluster!)));
      expect(imported.state.nodes[1]!.certs.CallManager.cert).toEqual(whole.state.nodes[1]!.certs.CallManager.cert);
    });
  }
});
