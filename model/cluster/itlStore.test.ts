import { describe, expect, it } from 'vitest';
import { install, run } from '../../test-support/scenario.ts';
import { Role } from '../itl/tags.ts';
import { buildItl } from '../itl/buildItl.ts';
import { itlRecoveryRecord, recordsOf, storeItl, tvsHashes } from './itlStore.ts';

describe('stored ITLs as the trust rules see them', () => {
  it("should list exactly the TVS records' hashes and find the ITLRecovery record only where there is one", () => {
    const cluster = run([install(), { type: 'tftp.forge', node: 'sub' }]).final.cluster!;
    const [pub, sub] = cluster.nodes;
    const normal = cluster.itls[pub!.tftp!.normalItl]!;
    expect(tvsHashes(normal)).toEqual([pub!.certs.TVS.cert.sha1, sub!.certs.TVS.cert.sha1]);
    expect(recordsOf(normal, Role.CAPF).map((r) => r.certSha1)).toEqual([pub!.certs.CAPF!.cert.sha1]);
    expect(itlRecoveryRecord(normal)?.certSha1).toBe(pub!.certs.ITLRecovery!.cert.sha1);
    // The attacker's ITL (A12): its certificate as SAST and TFTP, no TVS, no ITLRecovery.
    const forged = cluster.itls[sub!.tftp!.forgery!.itl]!;
    expect(tvsHashes(forged)).toEqual([]);
    expect(itlRecoveryRecord(forged)).toBeUndefined();
    // Only a SAST record is the ITLRecovery record: its certificate in another role is not.
    const { CallManager, ITLRecovery } = pub!.certs;
    const odd = storeItl(
      buildItl({
        signer: CallManager,
        records: [
          { role: Role.TFTP, cert: ITLRecovery!.cert, form: 'certificate' },
          { role: Role.SAST, cert: CallManager.cert, form: 'certificate' },
        ],
        timestamp: 0,
      }),
      'normal',
      'pub',
    );
    expect(itlRecoveryRecord(odd)).toBeUndefined();
  });

  it('should summarise a record without a certificate (a non-secure CTL node record, A34) with no hash', () => {
    const cluster = run([
      install(),
      { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' },
      { type: 'ctl.setCluster', node: 'pub', mode: 'non-secure' },
    ]).final.cluster!;
    const ctl = cluster.itls[cluster.ctl!]!;
    const empty = ctl.records.filter((r) => r.cert === undefined);
    expect(empty.length).toBeGreaterThan(0);
    for (const r of empty) expect(r.certSha1).toBe('');
  });
});
