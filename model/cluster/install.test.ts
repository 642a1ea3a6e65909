import { describe, expect, it } from 'vitest';
import { install, logOf, type Line } from '../../test-support/scenario.ts';
import type { ClusterInstallEvent, ItlRecoveryBackupEvent } from '../events.ts';
import { backupItlRecovery } from './backupEvents.ts';
import { installCluster } from './install.ts';
import { openP12, p12Password } from './p12.ts';

const installEvent = (line: Line) => logOf([line])[0] as ClusterInstallEvent;

describe('cluster.install (docs/log-format.md)', () => {
  it("should size only the publisher's ITLRecovery key by itlRecoveryKeyBits (10.x: a subscriber's own keeps the node's size)", () => {
    const state = installCluster(installEvent(install({ keyBits: 1024, itlRecoveryKeyBits: 2048 })));
    const [pub, sub] = state.nodes;
    expect(pub!.certs.ITLRecovery!.key.bits).toBe(2048);
    expect(pub!.certs.CallManager.key.bits).toBe(1024);
    expect(sub!.certs.ITLRecovery!.key.bits).toBe(1024);
    expect(sub!.certs.CallManager.key.bits).toBe(1024);
  });

  it("should install the same cluster when itlRecoveryKeyBits names the default (the publisher's keyBits) as when it is absent", () => {
    const plain = installCluster(installEvent(install({ keyBits: 1024 })));
    expect(installCluster(installEvent(install({ keyBits: 1024, itlRecoveryKeyBits: 1024 })))).toStrictEqual(plain);
  });

  it('should start non-secure, with no CTL (so none stale), no backup, and no hazard raised yet', () => {
    expect(installCluster(installEvent(install()))).toMatchObject({
      securityMode: 'non-secure',
      ctl: null,
      ctlStale: false,
      backups: [],
      itlRecoveryBackedUp: false,
      activeHazards: [],
    });
  });

  it("should protect the ITLRecovery.p12 with the cluster's security password", () => {
    const event = installEvent(install({ securityPassword: 'Secret-Two' }));
    const backup: ItlRecoveryBackupEvent = {
      type: 'itlrecovery.backup',
      at: event.at,
      node: 'pub',
      user: 'admin',
      host: 'sftp.example.lab',
      path: '/backup',
    };
    const [saved] = backupItlRecovery(installCluster(event), backup).state.backups;
    expect(openP12(saved!.p12, p12Password('Secret-Two')).ok).toBe(true);
    expect(openP12(saved!.p12, p12Password('Secret-One')).ok).toBe(false);
  });
});
