import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../../properties/arbitraries.ts';
import type { ClusterState } from '../cluster/clusterState.ts';
import { modelOptions } from '../cluster/install.ts';
import type { LogEvent } from '../events.ts';
import { caseArb, logFor, type Case } from '../../test-support/clusterHistory.ts';
import { foldFrom, modelStep, replayModel, type Replay } from '../replay/fold.ts';
import { phoneTrust } from '../trust/boot.ts';
import { folderOfState } from './folderOfState.ts';
import { contentsOf } from '../../test-support/folderFiles.ts';
import { importCluster, IMPORTED_CRYPTO, type ImportedCluster } from './importCluster.ts';

/*
 * Import-then-replay equals the full replay (issue 15, item 2): a cluster built by replaying a history
 * with real keys, written as a folder (only what an engineer can collect: cluster.json, phones.csv, the
 * served files, history/), imported, and continued with more events, gives every phone the same
 * outcomes as replaying history and continuation in full: at every event the same phones boot, lock
 * and change their ITL, and each phone ends in the same trust state. The import holds no private key:
 * what it signs is signed by stand-ins of the real certificates, and verified symbolically.
 *
 * A folder cannot show whether a phone is locked (it reports the file it holds, not the last one it
 * rejected): `recovered` is compared for the phones that were not locked when the folder was taken.
 * Nor can it show an ITLRecovery certificate regenerated on the publisher that no TFTP node has
 * loaded yet (no file holds it), nor a phone that holds no ITL (it reports no hash, like a phone
 * whose hash is unknown): such histories are left out.
 */

/** What the phones did in a replay's steps: per event, who booted, locked (or stayed locked) and changed its ITL. */
function outcomes(result: Replay, from: number) {
  return result.reports.slice(from).map((r) => ({
    booted: [...r.booted].sort(),
    locked: [...r.locked, ...r.stillLocked].sort(),
    updated: [...r.updated].sort(),
  }));
}

/** The continuation from an imported folder: the fold from its state, with the crypto of imported states. */
function continueFrom(imported: ImportedCluster, events: LogEvent[]): Replay {
  return foldFrom(
    modelStep,
    { cluster: imported.state, events: 0, last: null, options: modelOptions(), crypto: IMPORTED_CRYPTO },
    events,
  );
}

/** Runs one case: the full replay and the import-then-replay, and what is compared. */
function compare(c: Case, importer: (s: ClusterState) => ImportedCluster = importOf) {
  const { events, split } = logFor(c);
  const full = replayModel(events);
  const history = replayModel(events.slice(0, split)).settled.cluster!;
  // A regenerated ITLRecovery no TFTP node has loaded yet is in no file: the folder cannot show it.
  fc.pre(history.nodes.every((n) => n.tftp?.signer.recovery !== 'pending'));
  // A phone holding no ITL reports no hash, which phones.csv cannot tell from an unknown one (the import
  // takes the cautious reading: an ITL it knows nothing of).
  fc.pre(history.phones.every((p) => p.itl !== null));
  const resumed = continueFrom(importer(history), events.slice(split));
  const bootedLater = new Set(full.reports.slice(split).flatMap((r) => r.booted));
  const lockedBefore = new Set(history.phones.filter((p) => phoneTrust(p) === 'locked').map((p) => p.id));
  const finalOf = (cluster: ClusterState) =>
    cluster.phones.filter((p) => bootedLater.has(p.id)).map((p) => [p.id, phoneTrust(p)]);
  const recovered = (r: Replay, from: number) =>
    r.reports.slice(from).map((x) => x.recovered.filter((id) => !lockedBefore.has(id)).sort());
  return {
    expected: {
      steps: outcomes(full, split),
      final: finalOf(full.settled.cluster!),
      recovered: recovered(full, split),
    },
    actual: { steps: outcomes(resumed, 0), final: finalOf(resumed.settled.cluster!), recovered: recovered(resumed, 0) },
  };
}

function importOf(state: ClusterState): ImportedCluster {
  return importCluster(contentsOf(folderOfState(state, { history: true })));
}

describe('import then replay', () => {
  it('should give every phone the outcomes of the full replay with real keys', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { expected, actual } = compare(c);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40, seed: seedFromEnv() },
    );
  });

  it('should fail on a wrong import: phones taken to hold nothing accept the next ITL on faith', () => {
    // A deliberately wrong import: every phone imported as holding no ITL (as a naive import of a
    // phone inventory would). A phone unplugged while the publisher's CallManager and TVS
    // certificates and both TVS certificates are regenerated locks when plugged in again (10.5: neither its SAST nor its TVS
    // record is still valid), but a phone taken to hold nothing takes the new ITL on faith.
    const c: Case = {
      version: '10.5(2)',
      tftps: ['pub', 'pub', 'sub'],
      mixed: false,
      history: [],
      continuation: [
        { type: 'phone.power', phone: 'SEP00000000000A', on: false },
        { type: 'cert.regenerate', node: 'pub', cert: 'CallManager' },
        { type: 'cert.regenerate', node: 'pub', cert: 'TVS', after: 6 },
        { type: 'cert.regenerate', node: 'sub', cert: 'TVS', after: 6 },
        { type: 'phone.power', phone: 'SEP00000000000A', on: true },
      ],
    };
    const wrong = (s: ClusterState): ImportedCluster => {
      const imported = importOf(s);
      return {
        ...imported,
        state: { ...imported.state, phones: imported.state.phones.map((p) => ({ ...p, itl: null, trust: 'noItl' })) },
      };
    };
    const right = compare(c);
    expect(right.actual).toEqual(right.expected);
    expect(right.expected.steps[4]!.locked).toEqual(['SEP00000000000A']);
    const bad = compare(c, wrong);
    expect(bad.actual).not.toEqual(bad.expected);
  });
});
