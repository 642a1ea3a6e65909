import type { Refusal } from '../model/cluster/refusals.ts';

/** What the CUCM CLI prints for a refused or failed command (the seed's texts where it has them; A6 generalises the hold timer's). Pure. */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'holdTimer':
      return `${r.lastCert} certificate was modified in the last 5 minutes. Please re-try regenerating ${r.cert} certificate at a later time`;
    case 'capfNotOnNode':
      return 'CAPF certificate does not exist on this node: from 14 CAPF runs on the publisher only';
    case 'itlRecoveryOnPublisher':
      return '(model) ITLRecovery is generated on the publisher only from 12.5; the subscribers hold its copy';
    case 'ctlBefore10':
      return `Invalid command: utils ctl needs 10.0 or later (cluster runs ${r.version})`;
    case 'noCtl':
      return '(model) There is no CTL file: run utils ctl set-cluster mixed-mode first';
    case 'notInRelease':
      return r.feature === 'phoneInteractionOnCertificateUpdate'
        ? `(model) Phone Interaction on Certificate Update exists from 14 (cluster runs ${r.version}); nothing changed`
        : `(model) certificate reuse exists from 14 (cluster runs ${r.version}); nothing changed`;
    case 'noItlRecovery':
      return `ITLRecovery certificate does not exist before 10.0(1) (cluster runs ${r.version})`;
    case 'notPublisher':
      return 'This is not a Publisher Node';
    case 'resetBefore10':
      return `Invalid command: utils itl reset needs 10.0(1) or later (cluster runs ${r.version})`;
    case 'remoteP12Missing':
      return `Failed to download ${r.path} from ${r.host}: file not found`;
    case 'p12WrongPassword':
      return `Unable to open ITLRecovery.p12 with the current cluster security password (${r.reason})`;
    case 'recoveryKeyTooShort':
      // REGEN: "the ITL recovery command fails"; the text is the model's own (A28), the same for utils itl reset and utils ctl reset.
      return '(model, A28) ITLRecovery key length (1024) does not match the server certificates; the reset file was not generated';
    case 'tftpNotActive':
      return `Cisco Tftp is not activated on ${r.hostname}`;
    case 'fileNotFound':
      return 'file not found';
    default: {
      const never: never = r;
      return String(never);
    }
  }
}
