import type { Advice } from '../machines/diagnose.ts';
import { nodeLabel } from './noteText.ts';

/** 12.0+: the reset ITL is signed by the CallManager key only until TFTP restarts (SG125's procedure). */
const TWO_STEP = '; once it is registered, restart Cisco Tftp on every TFTP node and reset it again';

const BECAUSE = {
  forged: 'an attacker impersonates its TFTP server',
  corrupted: 'it serves its ITL with a broken signature',
} as const;

/** What to do for a locked phone, in the words of the reports. Pure. */
export function adviceText(a: Advice): string {
  const first = a.restartFirst;
  const prefix = first ? `restart Cisco Tftp on ${nodeLabel(first.node)} first (${BECAUSE[first.because]}), then ` : '';
  switch (a.recovery) {
    case 'tftp-restart':
      return `restart Cisco Tftp on ${nodeLabel(first!.node)} (${BECAUSE[first!.because]}), then reset the phone`;
    case 'itl-reset-localkey':
      return `${prefix}utils itl reset localkey on ${nodeLabel(a.publisher)}, then reset the phone${a.twoStep ? TWO_STEP : ''}`;
    case 'itl-reset-remotekey':
      return `${prefix}utils itl reset remotekey ${a.backup!.host} ${a.backup!.user} ${a.backup!.path} on ${nodeLabel(a.publisher)}, then reset the phone${a.twoStep ? TWO_STEP : ''}`;
    case 'ctl-reset-localkey':
      return `${prefix}utils ctl reset localkey on ${nodeLabel(a.publisher)}, reset the phone, then utils ctl update CTLFile and reset it again`;
    case 'manual-itl-delete':
      return `${prefix}erase the ITL on the phone (Settings > Security Configuration > Trust List), or factory reset it`;
    case 'manual-ctl-delete':
      return `${prefix}erase the CTL on the phone (Settings > Security Configuration > CTL File > Unlock, Erase)`;
    case 'factory-reset':
      return `${prefix}factory reset the phone (its CTL and ITL are erased)`;
    default: {
      const never: never = a.recovery;
      return String(never);
    }
  }
}
