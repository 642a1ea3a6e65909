import { describe, expect, it } from 'vitest';
import { install, logOf } from '../../test-support/scenario.ts';
import type { ClusterInstallEvent, ItlRecoveryBackupEvent } from '../events.ts';
import { backupItlRecovery } from './backupEvents.ts';
import type { ClusterState } from './clusterState.ts';
import { installCluster } from './install.ts';

const installed = installCluster(logOf([install()])[0] as ClusterInstallEvent);
const backup = (path: string, at: string): ItlRecoveryBackupEvent => ({
  type: 'itlrecovery.backup',
  at,
  node: 'pub',
  user: 'admin',
  host: 'sftp.example.lab',
  path,
});

describe('itlrecovery.backup (docs/rules.md §9)', () => {
  it('should overwrite the p12 saved at the same SFTP location and keep those saved elsewhere', () => {
    const steps: Array<[string, string]> = [
      ['/a', '2024-03-04T10:00:00Z'],
      ['/b', '2024-03-04T11:00:00Z'],
      ['/a', '2024-03-04T12:00:00Z'],
    ];
    const state = steps.reduce<ClusterState>(
      (s, [path, at]) => backupItlRecovery(s, backup(path, at)).state,
      installed,
    );
    expect(state.backups.map((b) => [b.location, b.at])).toEqual([
      ['admin@sftp.example.lab:/b', '2024-03-04T11:00:00Z'],
      ['admin@sftp.example.lab:/a', '2024-03-04T12:00:00Z'],
    ]);
    expect(state.itlRecoveryBackedUp).toBe(true);
  });
});
