/** The attributes CUCM puts in its certificate names, in the order it writes them. */
export interface NameAttributes {
  CN: string;
  OU?: string;
  O?: string;
  L?: string;
  ST?: string;
  C?: string;
}

/** The organisation part of a cluster's certificate names (cluster.install `subject`). */
export type SubjectDefaults = Omit<NameAttributes, 'CN'>;

/** CUCM's attribute order: CN first, then OU, O, L, ST, C. */
export const NAME_ORDER = ['CN', 'OU', 'O', 'L', 'ST', 'C'] as const;

/**
 * A name as CUCM writes it in ITL files: `CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US`
 * (CN first, `;` between, absent attributes left out). Pure.
 */
export function cucmName(name: NameAttributes): string {
  return NAME_ORDER.filter((k) => name[k] !== undefined && name[k] !== '')
    .map((k) => `${k}=${name[k]}`)
    .join(';');
}

/** Common names of a node's certificates (docs/rules.md §2). Pure. */
export const commonNames = {
  callManager: (fqdn: string) => fqdn,
  tvs: (fqdn: string) => fqdn,
  /** `CAPF-` and 8 hex digits. */
  capf: (suffix: string) => `CAPF-${suffix}`,
  /** Keeps the publisher's FQDN of the day the key was created. */
  itlRecovery: (publisherFqdn: string) => `ITLRECOVERY_${publisherFqdn}`,
};
