/**
 * Walks a cluster folder (docs/cluster-folder.md) through Io and hands its bytes to the model:
 * cluster.json first (it names the node folders), then phones.csv, `tftp/<node>/` and `history/`.
 * Every name is checked before it becomes a path; symbolic links and anything but regular files
 * are refused; every file is read under its cap. Nothing is written.
 */
import { join } from 'node:path';
import { CLUSTER_JSON, parseClusterConfig, type ClusterConfig } from '../model/folder/clusterConfig.ts';
import { capProblems, FolderError, type FolderProblem } from '../model/folder/folderError.ts';
import {
  FOLDER_CAPS,
  HISTORY_DIR,
  isHistoryFile,
  NODE_FILES,
  nodeFileName,
  nodeOfFolder,
  TFTP_DIR,
} from '../model/folder/folderLayout.ts';
import { parsePhonesCsv, PHONES_CSV } from '../model/folder/phonesCsv.ts';
import { parseFolder, type FolderContents, type RawFile } from '../model/folder/readFolder.ts';
import { IoError, type DirEntry, type Io } from './io.ts';

/** Reads through Io, turning IoError into a problem about the folder-relative path. */
class FolderWalk {
  readonly problems: FolderProblem[] = [];

  constructor(
    readonly dir: string,
    readonly io: Io,
  ) {}

  path(relative: string): string {
    return relative === '' ? this.dir : join(this.dir, ...relative.split('/'));
  }

  problem(file: string, reason: string): undefined {
    this.problems.push({ file, reason });
    return undefined;
  }

  async list(relative: string): Promise<DirEntry[] | undefined> {
    try {
      const entries = await this.io.listDir(this.path(relative));
      if (entries.length > FOLDER_CAPS.entries)
        return this.problem(relative, `holds ${entries.length} entries, more than the ${FOLDER_CAPS.entries} read`);
      return entries;
    } catch (error) {
      if (!(error instanceof IoError)) throw error;
      return this.problem(relative, error.reason);
    }
  }

  /** Whether an entry may be read: a regular file, not a symbolic link or anything else. */
  regular(relative: string, entry: DirEntry): boolean {
    if (entry.type === 'file') return true;
    this.problem(
      relative,
      entry.type === 'symlink'
        ? 'is a symbolic link: refused (copy the file itself into the folder)'
        : entry.type === 'folder'
          ? 'is a folder, not a file'
          : 'is not a regular file',
    );
    return false;
  }

  async read(relative: string, cap: number): Promise<Uint8Array | undefined> {
    try {
      return await this.io.readFile(this.path(relative), cap);
    } catch (error) {
      if (!(error instanceof IoError)) throw error;
      return this.problem(relative, error.reason);
    }
  }

  /** A top-level file that must be there. */
  async required(entries: DirEntry[], name: string, cap: number): Promise<Uint8Array | undefined> {
    const entry = entries.find((e) => e.name === name);
    if (!entry) return this.problem(name, 'missing: a cluster folder must have it (docs/cluster-folder.md)');
    return this.regular(name, entry) ? this.read(name, cap) : undefined;
  }

  /** An optional top-level folder: undefined when absent (or refused). */
  async folder(entries: DirEntry[], name: string): Promise<DirEntry[] | undefined> {
    const entry = entries.find((e) => e.name === name);
    if (!entry) return undefined;
    if (entry.type !== 'folder')
      return this.problem(name, entry.type === 'symlink' ? 'is a symbolic link: refused' : 'is not a folder');
    return this.list(name);
  }
}

/** The files of `tftp/<node>/` folders, each folder checked to be a node of cluster.json, in cluster.json's node order. */
async function nodeFiles(walk: FolderWalk, cluster: ClusterConfig, entries: DirEntry[]): Promise<RawFile[]> {
  const found: Array<{ order: number; files: RawFile[] }> = [];
  // Names are matched ignoring case: a second folder (or file) of one node would serve it twice.
  const folderOf = new Map<string, string>();
  for (const entry of entries) {
    const relative = `${TFTP_DIR}/${entry.name}`;
    const node = nodeOfFolder(cluster, entry.name);
    if (!node) {
      walk.problem(
        relative,
        `is not a node of ${CLUSTER_JSON} (its nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`,
      );
      continue;
    }
    const first = folderOf.get(node.name);
    if (first !== undefined) {
      walk.problem(relative, `is node ${node.name} again (names ignore case): ${TFTP_DIR}/${first} is its folder`);
      continue;
    }
    folderOf.set(node.name, entry.name);
    if (entry.type !== 'folder') {
      walk.problem(relative, entry.type === 'symlink' ? 'is a symbolic link: refused' : 'is not a folder');
      continue;
    }
    const files: RawFile[] = [];
    const fileOf = new Map<string, string>();
    for (const inner of (await walk.list(relative)) ?? []) {
      const path = `${relative}/${inner.name}`;
      const name = nodeFileName(inner.name);
      if (!name) {
        walk.problem(path, `unexpected: a node folder holds ${Object.keys(NODE_FILES).join(', ')}`);
        continue;
      }
      const same = fileOf.get(name);
      if (same !== undefined) {
        walk.problem(path, `is ${name} again (names ignore case): ${relative}/${same} is that file`);
        continue;
      }
      fileOf.set(name, inner.name);
      if (!walk.regular(path, inner)) continue;
      const cap = NODE_FILES[name].form === 'binary' ? FOLDER_CAPS.tlv : FOLDER_CAPS.listing;
      const bytes = await walk.read(path, cap);
      if (bytes) files.push({ path, place: { kind: 'node', node: node.name, name }, bytes });
    }
    const slot = (f: RawFile) => (f.place.kind === 'node' ? Object.keys(NODE_FILES).indexOf(f.place.name) : 0);
    found.push({ order: cluster.nodes.indexOf(node), files: files.sort((a, b) => slot(a) - slot(b)) });
  }
  return found.sort((a, b) => a.order - b.order).flatMap((f) => f.files);
}

/** The `.tlv` files of history/, by name (other entries are left alone). */
async function historyFiles(walk: FolderWalk, entries: DirEntry[]): Promise<RawFile[]> {
  const wanted = entries.filter((e) => isHistoryFile(e.name));
  if (wanted.length > FOLDER_CAPS.historyFiles) {
    walk.problem(HISTORY_DIR, `holds ${wanted.length} .tlv files, more than the ${FOLDER_CAPS.historyFiles} read`);
    return [];
  }
  const files: RawFile[] = [];
  for (const entry of wanted) {
    const path = `${HISTORY_DIR}/${entry.name}`;
    if (!walk.regular(path, entry)) continue;
    const bytes = await walk.read(path, FOLDER_CAPS.tlv);
    if (bytes) files.push({ path, place: { kind: 'history' }, bytes });
  }
  return files;
}

/**
 * Reads a cluster folder: its contents ready for `snapshot`, or every problem found (paths
 * relative to the folder; at most MAX_FOLDER_PROBLEMS and a last line saying so).
 */
export async function readClusterFolder(dir: string, io: Io): Promise<FolderContents | FolderProblem[]> {
  const walk = new FolderWalk(dir, io);
  const top = await walk.list('');
  if (!top) return walk.problems;
  const clusterBytes = await walk.required(top, CLUSTER_JSON, FOLDER_CAPS.clusterJson);
  const phones = await walk.required(top, PHONES_CSV, FOLDER_CAPS.phonesCsv);
  let cluster: ClusterConfig | undefined;
  if (clusterBytes) {
    try {
      cluster = parseClusterConfig(clusterBytes, CLUSTER_JSON);
    } catch (error) {
      if (!(error instanceof FolderError)) throw error;
      walk.problems.push(...error.problems);
    }
  }
  const files: RawFile[] = [];
  if (cluster) {
    const tftp = await walk.folder(top, TFTP_DIR);
    if (tftp) files.push(...(await nodeFiles(walk, cluster, tftp)));
  }
  const history = await walk.folder(top, HISTORY_DIR);
  if (history) files.push(...(await historyFiles(walk, history)));
  let contents: FolderContents | undefined;
  try {
    // phones.csv's own problems are reported with the others, also when cluster.json is refused.
    if (cluster && phones) contents = parseFolder({ cluster, phones, files });
    else if (phones) parsePhonesCsv(phones, PHONES_CSV);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    walk.problems.push(...error.problems);
  }
  return walk.problems.length > 0 || !contents ? capProblems(walk.problems) : contents;
}
