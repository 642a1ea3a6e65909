import type { InspectOptions, InspectWaits } from '../cli/inspectCommand.ts';
import { inspectReplay } from '../cli/inspectCommand.ts';
import type { Io } from '../cli/io.ts';
import { DEFAULT_OPTIONS } from '../model/cluster/install.ts';
import { parseLog } from '../model/parseLog.ts';

/** `replay LOG --inspect…` on its own (for the inspector tests): reads the log, then inspects it. */
export async function inspectFile(
  file: string,
  options: InspectOptions,
  io: Io,
  waits: InspectWaits = {},
): Promise<number> {
  const log = parseLog(new TextDecoder().decode(await io.readFile(file)), file);
  return inspectReplay(log.events, DEFAULT_OPTIONS, options, io, waits);
}
