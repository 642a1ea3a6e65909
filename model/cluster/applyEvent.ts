import type { LogEvent } from '../events.ts';
import { backupItlRecovery, changePassword, dailyAlert } from './backupEvents.ts';
import { changeDomain, regenerateCert, rebuildPublisher, renameNode, upgradeCluster } from './certEvents.ts';
import type { ClusterState, ModelOptions } from './clusterState.ts';
import { DEFAULT_OPTIONS, installCluster } from './install.ts';
import { setClusterMode, resetCtl, updateCtl } from './ctlEvents.ts';
import { changeParameter, restartService, reuseCertificate } from './parameterEvents.ts';
import {
  addPhone,
  changePhoneTftp,
  deletePhoneCtl,
  deletePhoneItl,
  factoryResetPhone,
  powerPhone,
  resetDevices,
  resetPhone,
} from './phoneEvents.ts';
import { nodeName } from './notes.ts';
import { stepOf, type Step } from './step.ts';
import { corruptTftp, forgeTftp, resetItl, restartTftp } from './tftpEvents.ts';

function dispatch(state: ClusterState, event: LogEvent): Step {
  switch (event.type) {
    case 'cluster.install':
      throw new Error('bug: cluster.install after the first event (the parser refuses such logs)');
    case 'cluster.upgrade':
      return upgradeCluster(state, event);
    case 'phone.add':
      return addPhone(state, event);
    case 'cert.regenerate':
      return regenerateCert(state, event);
    case 'node.rename':
      return renameNode(state, event);
    case 'cluster.domain':
      return changeDomain(state, event);
    case 'tftp.restart':
      return restartTftp(state, event);
    case 'itl.reset':
      return resetItl(state, event);
    case 'itlrecovery.backup':
      return backupItlRecovery(state, event);
    case 'cluster.password':
      return changePassword(state, event);
    case 'publisher.rebuild':
      return rebuildPublisher(state, event);
    case 'devices.reset':
      return resetDevices(state, event);
    case 'phone.reset':
      return resetPhone(state, event);
    case 'phone.power':
      return powerPhone(state, event);
    case 'phone.deleteItl':
      return deletePhoneItl(state, event);
    case 'phone.tftp':
      return changePhoneTftp(state, event);
    case 'tftp.forge':
      return forgeTftp(state, event);
    case 'tftp.corrupt':
      return corruptTftp(state, event);
    case 'ctl.setCluster':
      return setClusterMode(state, event);
    case 'ctl.update':
      return updateCtl(state, event);
    case 'ctl.reset':
      return resetCtl(state, event);
    case 'cluster.parameter':
      return changeParameter(state, event);
    case 'service.restart':
      return restartService(state, event);
    case 'phone.deleteCtl':
      return deletePhoneCtl(state, event);
    case 'phone.factoryReset':
      return factoryResetPhone(state, event);
    case 'cert.reuse':
      return reuseCertificate(state, event);
    default: {
      const never: never = event;
      throw new Error(`bug: unhandled event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The cluster side of one log event (the decider's evolve): certificates, ITLs, TFTP, backups,
 * CLI messages, alerts, and which phones boot. The boots themselves are the phone machine's.
 * `state` is null before `cluster.install`. Pure.
 */
export function applyEvent(state: ClusterState | null, event: LogEvent, options: ModelOptions = DEFAULT_OPTIONS): Step {
  let step: Step;
  if (event.type === 'cluster.install') {
    const state = installCluster(event, options);
    step = stepOf(state, { notes: [{ kind: 'installed', version: event.version, nodes: state.nodes.map(nodeName) }] });
  } else if (!state) throw new Error('bug: an event before cluster.install (the parser refuses such logs)');
  else step = dispatch(state, event);
  return withAlert(step, event.at);
}

/** Adds the daily not-backed-up alert to a step when one is due at this event's time. Pure. */
export function withAlert(step: Step, at: string): Step {
  const alert = dailyAlert(step.state, at);
  return { ...step, state: alert.state, alerts: [...step.alerts, ...alert.alerts] };
}
