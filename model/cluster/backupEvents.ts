import { produce, type Draft } from 'immer';
import type { ClusterPasswordEvent, ItlRecoveryBackupEvent } from '../events.ts';
import { publisherOf } from './buildItls.ts';
import type { ClusterState } from './clusterState.ts';
import { p12Password, writeP12 } from './p12.ts';
import { secondsBetween, stepOf, type Alert, type Step } from './step.ts';

/** `file get tftp ITLRecovery.p12` to an SFTP location (docs/rules.md §9). Pure. */
export function backupItlRecovery(state: ClusterState, event: ItlRecoveryBackupEvent): Step {
  const node = state.nodes.find((n) => n.id === event.node)!;
  const recovery = node.role === 'publisher' ? node.certs.ITLRecovery : undefined;
  // Subscribers have no ITLRecovery.p12 (SEED); nor has any node before 10.0(1).
  if (!recovery) return stepOf(state, { refusals: [{ kind: 'fileNotFound', node: node.id }] });
  const location = `${event.user}@${event.host}:${event.path}`;
  const p12 = writeP12(recovery.key, recovery.cert, state.secrets.p12Password, `${state.seed}/${location}/${event.at}`);
  const next = produce(state, (draft) => {
    draft.backups = draft.backups.filter((b) => b.location !== location);
    draft.backups.push({ location, p12, key: recovery.key, cert: recovery.cert, at: event.at });
    draft.itlRecoveryBackedUp = true;
  });
  return stepOf(next, { notes: [{ kind: 'backupSaved', location }] });
}

/** The saved p12 no longer matches (new key or new password): the daily alert starts again at once. Mutates the draft. */
export function markNotBackedUp(draft: Draft<ClusterState>): void {
  draft.itlRecoveryBackedUp = false;
  delete draft.lastAlertAt;
}

/** `cluster.password`: the p12 password changes with it, so the not-backed-up alert is re-armed (SEED). Pure. */
export function changePassword(state: ClusterState, event: ClusterPasswordEvent): Step {
  const next = produce(state, (draft) => {
    draft.secrets.p12Password = p12Password(event.securityPassword);
    markNotBackedUp(draft);
  });
  return stepOf(next, { notes: [{ kind: 'passwordChanged' }] });
}

/** The daily syslog/RTMT alert while ITLRecovery.p12 is not saved (docs/rules.md §9): at most one per 24 hours of log time. Pure. */
export function dailyAlert(state: ClusterState, at: string): { state: ClusterState; alerts: Alert[] } {
  const due =
    !state.itlRecoveryBackedUp &&
    publisherOf(state).certs.ITLRecovery &&
    (!state.lastAlertAt || secondsBetween(state.lastAlertAt, at) >= 86_400);
  if (!due) return { state, alerts: [] };
  return {
    state: produce(state, (d) => void (d.lastAlertAt = at)),
    alerts: [{ kind: 'itlrecovery-not-backed-up' }],
  };
}
