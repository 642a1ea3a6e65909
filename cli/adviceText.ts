import type { Advice } from '../machines/diagnose.ts';
import { nodeLabel } from './noteText.ts';

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
      return `${prefix}utils itl reset localkey on ${nodeLabel(a.publisher)}, then reset the phone`;
    case 'itl-reset-remotekey':
      return `${prefix}utils itl reset remotekey ${a.backup!.host} ${a.backup!.user} ${a.backup!.path} on ${nodeLabel(a.publisher)}, then reset the phone`;
    case 'manual-itl-delete':
      return `${prefix}erase the ITL on the phone (Settings > Security Configuration > Trust List), or factory reset it`;
    default: {
      const never: never = a.recovery;
      return String(never);
    }
  }
}
