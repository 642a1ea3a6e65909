import type { Certificate } from '../certs/certificate.ts';
import type { RecordSpec } from './buildItl.ts';
import { Role } from './tags.ts';

/** The certificates that go into the ITL of one TFTP node (CUCM 10.x, non-secure mode). */
export interface ItlContents {
  /** The TFTP node's own CallManager certificate (SAST and TFTP). */
  callManager: Certificate;
  /** The publisher's CAPF certificate, when CAPF runs. */
  capf?: Certificate;
  /** Every node's TVS certificate, the publisher's first. */
  tvs: Certificate[];
  /** The publisher's ITLRecovery certificate (absent before 10.0(1)). */
  itlRecovery?: Certificate;
}

/**
 * The records of a TFTP node's ITL in the seed's order: SAST(CM_X), TFTP(CM_X), CAPF (hash),
 * the publisher's TVS (hash), ITLRECOVERY (SAST, whole certificate), then the other nodes' TVS (hash). Pure.
 */
export function cucmItlRecords(contents: ItlContents): RecordSpec[] {
  const [publisherTvs, ...otherTvs] = contents.tvs;
  return [
    { role: Role.SAST, cert: contents.callManager, form: 'certificate' },
    { role: Role.TFTP, cert: contents.callManager, form: 'certificate' },
    ...(contents.capf ? [{ role: Role.CAPF, cert: contents.capf, form: 'hash' as const }] : []),
    ...(publisherTvs ? [{ role: Role.TVS, cert: publisherTvs, form: 'hash' as const }] : []),
    ...(contents.itlRecovery ? [{ role: Role.SAST, cert: contents.itlRecovery, form: 'certificate' as const }] : []),
    ...otherTvs.map((cert) => ({ role: Role.TVS, cert, form: 'hash' as const })),
  ];
}
