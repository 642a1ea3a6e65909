/**
 * A cluster folder written from a replayed state: what an engineer collecting that cluster's files
 * would hold (docs/cluster-folder.md). It lets `snapshot` be checked against a replay whose truth is
 * known, and makes folders of any size for the bench. Pure.
 */
import { servedCtl, servedItl } from '../cluster/buildItls.ts';
import type { ClusterState } from '../cluster/clusterState.ts';
import { CLUSTER_JSON } from './clusterConfig.ts';
import { HISTORY_DIR, TFTP_DIR } from './folderLayout.ts';
import { PHONES_CSV } from './phonesCsv.ts';

/** What to write besides cluster.json, phones.csv and the files the nodes serve. */
export interface FolderOfStateOptions {
  /** Every other ITL and CTL the replay built (older, reset, forged…), as `history/<sha1>.tlv`. */
  history?: boolean;
}

/**
 * The folder's files by folder-relative path: cluster.json (nodes named by their log id, with their
 * FQDN as `hostname`), phones.csv (a phone online is `Registered`, else `Unregistered`; the hashes
 * of the ITL and CTL it holds), `tftp/<node>/ITLFile.tlv` and `CTLFile.tlv` of every TFTP node. Pure.
 */
export function folderOfState(state: ClusterState, options: FolderOfStateOptions = {}): Map<string, Uint8Array> {
  const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  const bytes = (sha1: string) => new Uint8Array(Buffer.from(state.itls[sha1]!.bytes, 'base64'));
  const files = new Map<string, Uint8Array>();
  const cluster = {
    version: state.version,
    securityMode: state.securityMode,
    nodes: state.nodes.map((n) => ({
      name: n.id,
      hostname: `${n.hostname}.${state.domain}`,
      role: n.role,
      tftp: n.tftp !== undefined,
    })),
    parameters: state.parameters,
  };
  files.set(CLUSTER_JSON, text(`${JSON.stringify(cluster, null, 2)}\n`));
  const rows = state.phones.map((p) =>
    [
      p.id,
      p.tftp,
      p.tvs.join(';'),
      p.online ? 'Registered' : 'Unregistered',
      p.itl ?? '',
      p.ctl?.file ?? '',
      p.firmware,
    ].join(','),
  );
  files.set(PHONES_CSV, text(['Device Name,TFTP,TVS,Status,ITL Hash,CTL Hash,Firmware', ...rows, ''].join('\r\n')));
  const served = new Set<string>();
  for (const node of state.nodes) {
    const itl = servedItl(node);
    const ctl = node.tftp ? servedCtl(state, node) : undefined;
    for (const [name, sha1] of [
      ['ITLFile.tlv', itl],
      ['CTLFile.tlv', ctl],
    ] as const) {
      if (sha1 === undefined) continue;
      files.set(`${TFTP_DIR}/${node.id}/${name}`, bytes(sha1));
      served.add(sha1);
    }
  }
  if (options.history)
    for (const sha1 of Object.keys(state.itls).sort())
      if (!served.has(sha1)) files.set(`${HISTORY_DIR}/${sha1}.tlv`, bytes(sha1));
  return files;
}
