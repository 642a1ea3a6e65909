import { join } from 'node:path';
import { commonName } from '../model/folder/certNames.ts';
import type { Location, SnapshotIssue, Variant } from '../model/folder/snapshot.ts';
import { verdictReason } from '../model/itl/showItlFields.ts';

/** A hash as reports show it: the first 12 hex digits (enough to tell files apart). Pure. */
export function shortHash(hash: string | undefined): string {
  return hash === undefined || hash === '' ? '-' : hash.slice(0, 12);
}

function variantsText(variants: Variant[]): string {
  return variants
    .map((v) => `${commonName(v.subject) || v.subject} (SHA-1 ${shortHash(v.certSha1)}) in ${v.files.join(', ')}`)
    .join('; ');
}

/** An issue in words, without its location (the CLI's words: no model code reads them). Pure. */
export function issueText(issue: SnapshotIssue): string {
  switch (issue.kind) {
    case 'signature-failed':
      return `the signature does not verify (${verdictReason(issue.verdict)}): the file is not trusted`;
    case 'listing-not-verified':
      return 'the listing says the file could not be verified';
    case 'listing-differs':
      return `a listing of another file (SHA-1 ${shortHash(issue.listingSha1)}) than ${issue.file} (SHA-1 ${shortHash(issue.fileSha1)}): the listing is not used`;
    case 'wrong-kind':
      return `holds ${issue.found === 'ctl' ? 'a CTL' : 'an ITL'}, not ${issue.expected === 'ctl' ? 'a CTL' : 'an ITL'}`;
    case 'files-on-non-tftp-node':
      return `${issue.node} runs no TFTP in cluster.json, but tftp/${issue.node}/ holds files`;
    case 'no-itl':
      return `TFTP node ${issue.node}: tftp/${issue.node}/ has neither ITLFile.tlv nor show-itl.txt, so what it serves is unknown`;
    case 'itl-names-other-node':
      return `the ITL ${issue.node} serves is not its own: its TFTP record is ${issue.names ?? (commonName(issue.subject) || issue.subject)}${issue.names ? "'s" : ', no node of cluster.json'} (a copied file, or the reset ITL of utils itl reset)`;
    case 'tvs-unknown-node':
      return `TVS record ${commonName(issue.subject) || issue.subject} names no node of cluster.json`;
    case 'no-itl-recovery':
      return 'no ITLRecovery record: utils itl reset cannot reach a phone that holds this ITL';
    case 'itl-recovery-differs':
      return `${issue.variants.length} different ITLRecovery certificates ${issue.rule === 'one-per-cluster' ? '(from 12.5 the cluster has one)' : "(every ITL should carry the publisher's; a node that did not restart TFTP since a regeneration has the old one)"}: ${variantsText(issue.variants)}`;
    case 'tvs-differs':
      return `${issue.variants.length} different TVS certificates of ${issue.node} (an ITL not rebuilt since TVS changed): ${variantsText(issue.variants)}`;
    case 'capf-differs':
      return `${issue.variants.length} different CAPF certificates: ${variantsText(issue.variants)}`;
    case 'ctl-differs':
      return `nodes serve ${issue.variants.length} different CTLs (a cluster has one): ${issue.variants.map((v) => `${shortHash(v.sha1)} by ${v.nodes.join(', ')}`).join('; ')}`;
    case 'ctl-missing':
      return 'securityMode is mixed, but no node folder holds a CTL (CTLFile.tlv or show-ctl.txt)';
    case 'phone-tftp-unknown':
      return `${issue.device}: TFTP ${issue.tftp} is no node of cluster.json`;
    case 'phone-tftp-not-tftp':
      return `${issue.device}: TFTP ${issue.node} runs no TFTP (cluster.json)`;
    case 'phone-tvs-unknown':
      return `${issue.device}: TVS ${issue.tvs} is no node of cluster.json`;
    case 'phone-hash-unexplained':
      return `${issue.device}: its ${issue.fileKind.toUpperCase()} hash ${issue.hash} is no file of the folder, served or in history/ (another cluster's file, or one nobody kept)`;
    default: {
      const never: never = issue;
      throw new Error(`bug: unknown issue ${JSON.stringify(never)}`);
    }
  }
}

/** `DIR/FILE:LINE: text`, `DIR/FILE: offset N: text` or `DIR/FILE: text`. Pure. */
export function locatedText(dir: string, at: Location, text: string): string {
  const file = join(dir, ...at.file.split('/'));
  if (at.line !== undefined) return `${file}:${at.line}: ${text}`;
  if (at.offset !== undefined) return `${file}: offset ${at.offset}: ${text}`;
  return `${file}: ${text}`;
}
