/**
 * Where things are in a cluster folder (docs/cluster-folder.md), and how large each may be. Names
 * found in a folder are checked here before they are used as paths: a folder under `tftp/` must be a
 * node of cluster.json, and a node folder holds only the four files below. Pure.
 */
import type { ClusterConfig, FolderNode } from './clusterConfig.ts';
import { nameKey } from '../names.ts';

/** Folder of the files each TFTP node serves: `tftp/<node>/`. */
export const TFTP_DIR = 'tftp';

/** Folder of ITL and CTL files served earlier: `history/*.tlv`. */
export const HISTORY_DIR = 'history';

/** The files a node folder may hold: each one's kind and whether it is the file itself or a `show` listing of it. */
export const NODE_FILES = {
  'ITLFile.tlv': { kind: 'itl', form: 'binary' },
  'CTLFile.tlv': { kind: 'ctl', form: 'binary' },
  'show-itl.txt': { kind: 'itl', form: 'text' },
  'show-ctl.txt': { kind: 'ctl', form: 'text' },
} as const;

/** The name of a file a node folder may hold. */
export type NodeFileName = keyof typeof NODE_FILES;

/** Size caps, in bytes, checked before a file is read. */
export const FOLDER_CAPS = {
  /** cluster.json: a few hundred bytes in practice. */
  clusterJson: 1024 * 1024,
  /** phones.csv: 100 bytes a phone; 64 MiB is over half a million phones. */
  phonesCsv: 64 * 1024 * 1024,
  /** An ITL or CTL: a phone loads at most 64 KB. */
  tlv: 1024 * 1024,
  /** A `show itl` listing: a few hundred bytes a record. */
  listing: 1024 * 1024,
  /** Files read from history/. */
  historyFiles: 1000,
  /** Entries a listed folder may hold. */
  entries: 10_000,
} as const;

/** The node-folder file a name is, compared without case (`itlfile.tlv` is `ITLFile.tlv`), or undefined. Pure. */
export function nodeFileName(name: string): NodeFileName | undefined {
  return (Object.keys(NODE_FILES) as NodeFileName[]).find((known) => known.toLowerCase() === name.toLowerCase());
}

/** The node of cluster.json a folder under tftp/ is named after (its name, without case), or undefined. Pure. */
export function nodeOfFolder(config: Pick<ClusterConfig, 'nodes'>, name: string): FolderNode | undefined {
  return config.nodes.find((n) => nameKey(n.name) === nameKey(name));
}

/** Whether a name in history/ is read: a `.tlv` file (any case) whose name has no control character. Pure. */
export function isHistoryFile(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return /\.tlv$/i.test(name) && !/[\u0000-\u001f\u007f-\u009f]/.test(name);
}
