/**
 * The what-if questions `fleet` (model/folder/fleet.ts) asks of a state: a phone's next boot (the
 * phone's own step), the state after `utils itl reset localkey` or `utils itl reset remotekey` (with a
 * backup of an older ITLRecovery; the model's own fold), whether a boot left the phone trusting
 * (`accepted`), and the older ITLRecovery certificates a phone's ITL names as SAST, the backups a
 * remotekey reset could use (`olderRecoveries`). The classes only ask; answering means running the
 * model on a copy of the state, a job of its own, so a module of its own. Pure.
 */
import type { Identity } from '../certs/issueCertificate.ts';
import { publisherOf } from '../cluster/buildItls.ts';
import type { Backup, ClusterState, PhoneState } from '../cluster/clusterState.ts';
import { writeP12 } from '../cluster/p12.ts';
import { modelOptions } from '../cluster/install.ts';
import type { StoredItl } from '../cluster/itlStore.ts';
import { Role } from '../itl/tags.ts';
import { foldFrom, modelStep } from '../replay/fold.ts';
import { bootOf, ctlBootOf, phoneTrust } from '../trust/boot.ts';
import { trustCrypto } from '../trust/cryptos.ts';
import { phoneStep } from '../trust/phoneStep.ts';
import { commonName, isItlRecoveryName } from './certNames.ts';
import { IMPORTED_CRYPTO } from './importCluster.ts';

/** What a phone's next boot does on a state: the CTL step (when its node serves a CTL), then the ITL step. Pure. */
export function nextBoot(state: ClusterState, phone: PhoneState): PhoneState {
  const crypto = trustCrypto(IMPORTED_CRYPTO);
  const ctl = ctlBootOf(state, phone, 0, crypto);
  const middle = ctl ? phoneStep(phone, { type: 'CTL', boot: ctl }) : phone;
  return phoneStep(middle, { type: 'BOOT', boot: bootOf(state, middle, 0, crypto, phone.ctl !== undefined) });
}

/** The state after `utils itl reset localkey` on the publisher, replayed by the model's fold. Pure. */
export function afterLocalkey(state: ClusterState, at: string): ClusterState {
  const event = { type: 'itl.reset' as const, at, node: publisherOf(state).id, key: 'localkey' as const };
  const context = {
    cluster: state,
    events: 0,
    last: null,
    options: modelOptions(state.options),
    crypto: IMPORTED_CRYPTO,
  };
  return foldFrom(modelStep, context, [event]).final.cluster!;
}

/**
 * The state after `utils itl reset remotekey` with a backup of `identity` (an ITLRecovery the phone's
 * ITL holds): the backup is written as a real p12 with the stand-in key, and the command replayed on
 * the state by the model's fold. Pure.
 */
export function afterRemotekey(state: ClusterState, identity: Identity, at: string): ClusterState {
  const path = `/itlrecovery-${identity.cert.sha1}.p12`;
  const backup: Backup = {
    location: `fleet@backup:${path}`,
    p12: writeP12(identity.key, identity.cert, state.secrets.p12Password, `fleet:${identity.cert.sha1}`),
    key: identity.key,
    cert: identity.cert,
    at,
  };
  const event = {
    type: 'itl.reset' as const,
    at,
    node: publisherOf(state).id,
    key: 'remotekey' as const,
    host: 'backup',
    user: 'fleet',
    path,
  };
  const context = {
    cluster: { ...state, backups: [...state.backups, backup] },
    events: 0,
    last: null,
    options: modelOptions(state.options),
    crypto: IMPORTED_CRYPTO,
  };
  return foldFrom(modelStep, context, [event]).final.cluster!;
}

/** Whether a boot left the phone trusting what it was offered (both regions). */
export const accepted = (after: PhoneState) => phoneTrust(after) !== 'locked' && after.unloadableItl === undefined;

/** The ITLRecovery SAST records of a stored file that are not the cluster's current one. */
export function olderRecoveries(state: ClusterState, itl: StoredItl | undefined): StoredItl['records'] {
  const current = publisherOf(state).certs.ITLRecovery?.cert.sha1;
  return (itl?.records ?? []).filter(
    (r) => r.role === Role.SAST && isItlRecoveryName(commonName(r.subject)) && r.certSha1 !== current && !!r.cert,
  );
}
