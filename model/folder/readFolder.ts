/**
 * A cluster folder's files, read from their bytes into typed values: phones.csv into rows, each ITL
 * and CTL decoded, each `show itl` listing parsed. The walk through the file system (what exists,
 * caps, symbolic links) is the CLI's (cli/folderIo.ts); this is pure.
 */
import { invalidUtf8At } from '../invalidUtf8.ts';
import { decodeItl } from '../itl/decodeItl.ts';
import { ItlFormatError, type ItlFile } from '../itl/itlTypes.ts';
import { ListingError, parseShowItl, type ShowItlListing } from '../itl/parseShowItl.ts';
import type { ClusterConfig } from './clusterConfig.ts';
import { capProblems, FolderError, type FolderProblem } from './folderError.ts';
import { NODE_FILES, type NodeFileName } from './folderLayout.ts';
import { parsePhonesCsv, PHONES_CSV, type PhoneRow } from './phonesCsv.ts';

/** Where a file was found: in a node's folder (what that node serves), or in history/. */
export type FilePlace = { kind: 'node'; node: string; name: NodeFileName } | { kind: 'history' };

/** A file of the folder as bytes: `path` is relative to the folder, `/`-separated (`tftp/pub/ITLFile.tlv`). */
export interface RawFile {
  path: string;
  place: FilePlace;
  bytes: Uint8Array;
}

/** What the CLI's walk hands over: cluster.json already read (it names the node folders), phones.csv and the other files as bytes. */
export interface RawFolder {
  cluster: ClusterConfig;
  phones: Uint8Array;
  files: RawFile[];
}

/** An ITL or CTL of the folder, read: the file itself (decoded) or a `show itl`/`show ctl` listing of it (parsed). */
export type FolderFile = { path: string; place: FilePlace } & (
  { form: 'binary'; bytes: Uint8Array; file: ItlFile } | { form: 'text'; listing: ShowItlListing }
);

/** A cluster folder, read and ready for `snapshot`. */
export interface FolderContents {
  cluster: ClusterConfig;
  phones: PhoneRow[];
  /** Node files in cluster.json's node order, then history/ by name. */
  files: FolderFile[];
}

function readFile(raw: RawFile): FolderFile | FolderProblem {
  const form = raw.place.kind === 'history' ? 'binary' : NODE_FILES[raw.place.name].form;
  if (form === 'binary') {
    try {
      return { path: raw.path, place: raw.place, form, bytes: raw.bytes, file: decodeItl(raw.bytes) };
    } catch (error) {
      if (!(error instanceof ItlFormatError)) throw error;
      return { file: raw.path, offset: error.offset, reason: error.reason };
    }
  }
  const bad = invalidUtf8At(raw.bytes);
  if (bad !== -1) return { file: raw.path, offset: bad, reason: 'not UTF-8 text' };
  try {
    return { path: raw.path, place: raw.place, form, listing: parseShowItl(new TextDecoder().decode(raw.bytes)) };
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    return { file: raw.path, line: error.line, reason: error.reason };
  }
}

/**
 * Reads a folder's files; throws FolderError listing every problem (a bad phones.csv line, an ITL
 * malformed at an offset, a listing wrong at a line). Pure.
 */
export function parseFolder(raw: RawFolder): FolderContents {
  const problems: FolderProblem[] = [];
  let phones: PhoneRow[] = [];
  try {
    phones = parsePhonesCsv(raw.phones, PHONES_CSV);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    problems.push(...error.problems);
  }
  const files: FolderFile[] = [];
  for (const file of raw.files) {
    const read = readFile(file);
    if ('reason' in read) problems.push(read);
    else files.push(read);
  }
  if (problems.length > 0) throw new FolderError(capProblems(problems));
  return { cluster: raw.cluster, phones, files };
}
