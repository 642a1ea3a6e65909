import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { clusterAfter, install, type Line, logOf, nodeOf, threeNodes } from '../../test-support/scenario.ts';
import { replayModel } from '../replay/fold.ts';
import { Role } from '../itl/tags.ts';
import {
  buildNodeItl,
  buildRollbackItl,
  certInputs,
  genuineItl,
  localkeySigner,
  normalSigner,
  publisherOf,
  servedCtl,
  servedItl,
} from './buildItls.ts';
import type { ClusterState, NodeState, TftpState } from './clusterState.ts';
import { INITIAL_SIGNER, type SignerState } from './signer.ts';

const AT = '2024-03-04T10:00:00Z';
/** `pub` and `sub` run Cisco Tftp, `bare` does not. */
const NODES = threeNodes('bare');
const rollbackOn: Line = { type: 'cluster.parameter', name: 'prepareRollbackPre80', value: true };

describe('the ITLs a cluster builds (docs/rules.md §8, §15; A11, A12, A25)', () => {
  it('should find the publisher wherever it is listed, and fail loudly (a bug) in a cluster without one', () => {
    const cluster = clusterAfter([install({ nodes: NODES })]);
    expect(publisherOf({ nodes: [...cluster.nodes].reverse() }).id).toBe('pub');
    expect(() => publisherOf({ nodes: cluster.nodes.slice(1) })).toThrow(/^bug:/);
  });

  it('should build the rollback ITL while the parameter is True: the signer as SAST (whole certificate) and the CAPF as a hash', () => {
    const cluster = clusterAfter([install({ nodes: NODES }), rollbackOn]);
    const pub = nodeOf(cluster, 'pub');
    const rollback = cluster.itls[pub.tftp!.rollbackItl!]!;
    expect(rollback.rollbackForm).toBe(true);
    expect(rollback.records.map((r) => [r.role, r.cert !== undefined, r.certSha1])).toEqual([
      [Role.SAST, true, pub.certs.CallManager.cert.sha1],
      [Role.CAPF, false, pub.certs.CAPF!.cert.sha1],
    ]);
    expect(rollback.records[0]!.cert).toBe(pub.certs.CallManager.cert.der);
    // Without a CAPF certificate (not a state the log can reach): the SAST record alone.
    const noCapf = produce(cluster, (d) => void delete publisherOf(d as ClusterState).certs.CAPF);
    expect(buildRollbackItl(noCapf, nodeOf(noCapf, 'pub'), AT).records.map((r) => r.role)).toEqual([Role.SAST]);
  });

  it('should re-sign the rollback ITL as the reset ITL when utils itl reset runs while the parameter is True (A25)', () => {
    const cluster = clusterAfter([
      install({ nodes: NODES }),
      rollbackOn,
      { type: 'itl.reset', node: 'pub', key: 'localkey' },
    ]);
    const pub = nodeOf(cluster, 'pub');
    const reset = cluster.itls[pub.tftp!.resetItl!]!;
    // Still the empty ITL, under the reset's signature: a phone that installs it accepts any ITL (R0e, §17.2).
    expect(reset).toMatchObject({ origin: 'reset', rollbackForm: true, node: 'pub' });
    expect(reset.records.map((r) => r.role)).toEqual([Role.SAST, Role.CAPF]);
    // Before 12.0 utils itl reset signs with the ITLRecovery key.
    expect(reset.records[0]!.certSha1).toBe(pub.certs.ITLRecovery!.cert.sha1);
    expect(servedItl(pub)).toBe(reset.sha1);
  });

  it('should leave a phone that took that reset ITL holding the empty ITL: it takes the next ITL by R0e, forged or genuine', () => {
    const phone = 'SEP00000000000A';
    const after = (more: Line[]) =>
      replayModel(
        logOf([
          install({ version: '12.5(1)SU3', nodes: NODES }),
          { type: 'phone.add', phone, tftp: 'pub', tvs: ['pub'] },
          rollbackOn,
          { type: 'itl.reset', node: 'pub', key: 'localkey' },
          { type: 'phone.reset', phone },
          ...more,
        ]),
      ).settled.cluster!;
    const phoneOf = (cluster: ClusterState) => cluster.phones.find((p) => p.id === phone)!;
    // It holds the reset ITL: the rollback ITL's two records, re-signed by the publisher's CallManager.
    const before = after([]);
    const held = before.itls[phoneOf(before).itl!]!;
    expect([held.origin, held.records.length, held.rollbackForm]).toEqual(['reset', 2, true]);
    // The documented procedure's next step: TFTP restarts serve the rollback ITL again, signed by
    // ITLRecovery, which the held file does not name. R0e takes it; a reset ITL that were not the empty
    // one would lock the phone (R4), and `check` found that the documented recovery then fails.
    const restarted = after([
      ...NODES.filter((n) => n['tftp']).map((n): Line => ({ type: 'tftp.restart', node: n['name'] })),
      { type: 'phone.reset', phone },
    ]);
    expect([phoneOf(restarted).trust, phoneOf(restarted).lastDecision?.rule]).toEqual(['trusted', 'R0e']);
    // The weakness the parameter opens (H13): a forged ITL is taken the same way.
    const forged = after([
      { type: 'tftp.forge', node: 'pub' },
      { type: 'phone.reset', phone },
    ]);
    expect([phoneOf(forged).lastDecision?.rule, forged.itls[phoneOf(forged).itl!]!.origin]).toEqual(['R0e', 'forged']);
  });

  it('should fail loudly (a bug) when a signing key the release needs is missing', () => {
    const v10 = clusterAfter([install({ nodes: NODES })]);
    const noRecovery = produce(v10, (d) => void delete publisherOf(d as ClusterState).certs.ITLRecovery);
    expect(() => localkeySigner(noRecovery)).toThrow(/^bug:/);
    const v12 = clusterAfter([install({ version: '12.0(1)', nodes: NODES })]);
    expect(() => normalSigner(v12, nodeOf(v12, 'bare'))).toThrow(/^bug:/);
  });

  it('should build the ITL of a node without Cisco Tftp before 12.0 without an ITLRecovery record, signed by its CallManager key', () => {
    const cluster = clusterAfter([install({ nodes: NODES })]);
    const bare = nodeOf(cluster, 'bare');
    const itl = buildNodeItl(cluster, bare, AT);
    expect(itl.records.map((r) => r.subject).filter((s) => s.includes('ITLRECOVERY'))).toEqual([]);
    expect(itl.records[itl.signer.recordIndex]!.certSha1).toBe(bare.certs.CallManager.cert.sha1);
    expect(certInputs(cluster, bare)).not.toBe(certInputs(cluster, nodeOf(cluster, 'sub')));
    const noCapf = produce(cluster, (d) => void delete publisherOf(d as ClusterState).certs.CAPF);
    expect(certInputs(noCapf, bare)).not.toBe(certInputs(cluster, bare));
  });

  it('should serve what the signer machine says: reset, rollback, forged or broken files only in those states', () => {
    const tftp = (signer: Partial<SignerState>): TftpState => ({
      normalItl: 'normal',
      inputs: '',
      signer: { ...INITIAL_SIGNER, ...signer },
      resetItl: 'reset',
      rollbackItl: 'rollback',
      forgery: { itl: 'forged', identity: undefined as never },
      corruption: { itl: 'broken' },
    });
    const served = (signer: Partial<SignerState>) => servedItl({ tftp: tftp(signer) } as NodeState);
    expect(served({})).toBe('normal');
    expect(served({ serving: 'reset' })).toBe('reset');
    expect(served({ rollback: 'on' })).toBe('rollback');
    expect(served({ serving: 'forged' })).toBe('forged');
    expect(served({ file: 'corrupted' })).toBe('broken');
    // A state without the file its signer names falls back to the node's own ITL.
    const { resetItl: _r, forgery: _f, corruption: _c, ...bare } = tftp({});
    expect(genuineItl(bare)).toBe('normal');
    expect(servedItl({ tftp: { ...bare, signer: { ...INITIAL_SIGNER, serving: 'forged' } } } as NodeState)).toBe(
      'normal',
    );
    expect(servedItl({ tftp: { ...bare, signer: { ...INITIAL_SIGNER, file: 'corrupted' } } } as NodeState)).toBe(
      'normal',
    );
  });

  it('should offer the one CTL from every node but an impersonated one, and none before the first utils ctl', () => {
    const lines: Line[] = [install({ nodes: NODES }), { type: 'tftp.forge', node: 'sub' }];
    const before = clusterAfter(lines);
    expect(before.nodes.map((n) => servedCtl(before, n))).toEqual([undefined, undefined, undefined]);
    const mixed = clusterAfter([...lines, { type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }]);
    expect(mixed.ctl).toBeTruthy();
    expect(mixed.nodes.map((n) => servedCtl(mixed, n))).toEqual([mixed.ctl, undefined, mixed.ctl]);
  });
});
