import type { Advice } from '../machines/diagnose.ts';
import { nodeLabel } from './noteText.ts';

const BECAUSE = {
  forged: 'an attacker impersonates its TFTP server',
  corrupted: 'it serves its ITL with a broken signature',
} as const;

/** The words that name the locked phone(s) a remedy is for: one phone, or every phone of a group. */
function phoneWords(count: number) {
  return count === 1
    ? { the: 'the phone', it: 'it', each: 'the phone', once: 'once it is registered' }
    : { the: `the ${count} phones`, it: 'them', each: 'each phone', once: 'once they are registered' };
}

/** What to do for a locked phone (or, with `count`, for each of `count` phones that share the advice), in the words of the reports. Pure. */
export function adviceText(a: Advice, count = 1): string {
  const w = phoneWords(count);
  const first = a.restartFirst;
  const prefix = first ? `restart Cisco Tftp on ${nodeLabel(first.node)} first (${BECAUSE[first.because]}), then ` : '';
  const twoStep = a.twoStep ? `; ${w.once}, restart Cisco Tftp on every TFTP node and reset ${w.it} again` : '';
  switch (a.recovery) {
    case 'tftp-restart':
      return `restart Cisco Tftp on ${nodeLabel(first!.node)} (${BECAUSE[first!.because]}), then reset ${w.the}`;
    case 'itl-reset-localkey':
      return `${prefix}utils itl reset localkey on ${nodeLabel(a.publisher)}, then reset ${w.the}${twoStep}`;
    case 'itl-reset-remotekey':
      return `${prefix}utils itl reset remotekey ${a.backup!.host} ${a.backup!.user} ${a.backup!.path} on ${nodeLabel(a.publisher)}, then reset ${w.the}${twoStep}`;
    case 'ctl-reset-localkey':
      return `${prefix}utils ctl reset localkey on ${nodeLabel(a.publisher)}, reset ${w.the}, then utils ctl update CTLFile and reset ${w.it} again`;
    case 'manual-itl-delete':
      return `${prefix}erase the ITL on ${w.each} (Settings > Security Configuration > Trust List), or factory reset ${w.it}`;
    case 'manual-ctl-delete':
      return `${prefix}erase the CTL on ${w.each} (Settings > Security Configuration > CTL File > Unlock, Erase)`;
    case 'factory-reset':
      return `${prefix}factory reset ${w.each} (its CTL and ITL are erased)`;
    default: {
      const never: never = a.recovery;
      return String(never);
    }
  }
}

/** Whether a recovery needs someone at the phone: no command on the cluster brings it back. Pure. */
export function needsVisit(recovery: Advice['recovery']): boolean {
  return recovery === 'manual-itl-delete' || recovery === 'manual-ctl-delete' || recovery === 'factory-reset';
}
