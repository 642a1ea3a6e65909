import { describe, expect, it } from 'vitest';
import { install, run } from '../../test-support/scenario.ts';
import { contentsOf } from '../../test-support/folderFiles.ts';
import { stateHazards } from '../cluster/hazards.ts';
import { folderOfState } from './folderOfState.ts';
import { importCluster } from './importCluster.ts';

/** A cluster's folder with no ITL or CTL file in it: cluster.json and phones.csv only, so no certificate shows. */
function bareFolder(version: string, rollback = false): Map<string, Uint8Array> {
  const lines = [install({ version })];
  if (rollback) lines.push({ type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true });
  const state = run(lines).final.cluster!;
  return new Map([...folderOfState(state)].filter(([name]) => !name.startsWith('tftp/')));
}

describe('a folder that shows no ITLRecovery certificate (docs/cluster-folder.md, placeholders)', () => {
  it('should give every node of a 12.5+ cluster the one placeholder ITLRecovery, the publisher’s', () => {
    for (const version of ['12.5(1)', '14']) {
      const imported = importCluster(contentsOf(bareFolder(version)));
      const [pub, sub] = imported.state.nodes;
      expect(sub!.certs.ITLRecovery!.cert.sha1).toBe(pub!.certs.ITLRecovery!.cert.sha1);
      expect(sub!.recoveryFqdn).toBe(pub!.recoveryFqdn);
      expect(imported.placeholders.filter((p) => p.cert === 'ITLRecovery')).toEqual([
        { node: 'pub', cert: 'ITLRecovery' },
      ]);
    }
  });

  it('should give each node of a 12.0 cluster a placeholder of its own (each node has its own ITLRecovery there)', () => {
    const imported = importCluster(contentsOf(bareFolder('12.0(1)')));
    const [pub, sub] = imported.state.nodes;
    expect(sub!.certs.ITLRecovery!.cert.sha1).not.toBe(pub!.certs.ITLRecovery!.cert.sha1);
    expect(imported.placeholders.filter((p) => p.cert === 'ITLRecovery').map((p) => p.node)).toEqual(['pub', 'sub']);
  });

  it('H13: should count the day of a rollback parameter left True from the folder’s time', () => {
    const imported = importCluster(contentsOf(bareFolder('12.5(1)', true)));
    expect(imported.state.parameters.prepareRollbackPre80).toBe(true);
    const later = (seconds: number) => new Date(Date.parse(imported.at) + seconds * 1000).toISOString();
    const h13 = (seconds: number) =>
      stateHazards(imported.state, later(seconds)).some((h) => h.kind === 'rollback-parameter-left-true');
    expect([h13(86_400), h13(86_401)]).toEqual([false, true]);
    expect(importCluster(contentsOf(bareFolder('12.5(1)'))).state.rollbackSince).toBeUndefined();
  });
});
