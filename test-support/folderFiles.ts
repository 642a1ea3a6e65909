/**
 * Test support: a folder as a map of folder-relative paths (what `folderOfState` writes) read the way
 * the CLI's walk hands it to the model, without a file system.
 */
import { parseClusterConfig } from '../model/folder/clusterConfig.ts';
import { nodeFileName, nodeOfFolder } from '../model/folder/folderLayout.ts';
import { parseFolder, type FolderContents, type RawFile } from '../model/folder/readFolder.ts';

/** Reads a folder given as a map of paths to bytes. */
export function contentsOf(files: Map<string, Uint8Array>): FolderContents {
  const cluster = parseClusterConfig(files.get('cluster.json')!);
  const raw: RawFile[] = [];
  for (const [path, bytes] of files) {
    const [top, node, name] = path.split('/');
    if (top === 'tftp') {
      const folder = nodeOfFolder(cluster, node!)!;
      raw.push({ path, bytes, place: { kind: 'node', node: folder.name, name: nodeFileName(name!)! } });
    } else if (top === 'history') raw.push({ path, bytes, place: { kind: 'history' } });
  }
  return parseFolder({ cluster, phones: files.get('phones.csv')!, files: raw });
}
