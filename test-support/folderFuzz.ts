import fc from 'fast-check';
import { folderOfState } from '../model/folder/folderOfState.ts';
import { decodeItl } from '../model/itl/decodeItl.ts';
import { formatShowItl } from '../model/itl/formatShowItl.ts';
import { verifyItl } from '../model/itl/verifyItl.ts';
import { replayModel } from '../model/replay/fold.ts';
import { install, logOf } from './scenario.ts';

/**
 * What the folder fuzz tests (cli/snapshotFuzz.prop.test.ts, cli/importFuzz.prop.test.ts) start
 * from and how they mutate it: a valid folder of a 2-node 10.5 cluster (the subscriber known from
 * its listing, one file in history/), and edits to one of its files: a byte set, the file cut, text
 * inserted (control characters, CR, quotes, a byte order mark).
 */
const state = replayModel(
  logOf([
    install(),
    { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub', 'sub'] },
    { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'sub', tvs: ['sub', 'pub'] },
    { type: 'cert.regenerate', node: 'pub', cert: 'TVS' },
  ]),
).settled.cluster!;
export const files = folderOfState(state, { history: true });
const sub = files.get('tftp/sub/ITLFile.tlv')!;
files.delete('tftp/sub/ITLFile.tlv');
files.set(
  'tftp/sub/show-itl.txt',
  new TextEncoder().encode(formatShowItl(sub, decodeItl(sub), verifyItl(sub, decodeItl(sub))).join('\n')),
);
export const paths = [...files.keys()];

const INSERTS = ['\u0000', '\r', '\n', '"', ',', ';', '\uFEFF', '\u001b[2J', '{', '}', ' ', 'ITL Record #:9'];

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(INSERTS.length - 1) }),
);

export function mutate(
  bytes: Uint8Array,
  edits: Array<{ kind: 'byte' | 'cut' | 'insert'; at: number; value: number }>,
) {
  return edits.reduce((data, e) => {
    const at = e.at % Math.max(data.length, 1);
    if (e.kind === 'cut') return data.subarray(0, at);
    if (e.kind === 'insert') {
      const text = new TextEncoder().encode(INSERTS[e.value]!);
      return Uint8Array.from([...data.subarray(0, at), ...text, ...data.subarray(at)]);
    }
    const copy = Uint8Array.from(data);
    copy[at] = e.value;
    return copy;
  }, bytes);
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
