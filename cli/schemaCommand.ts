import { eventLogJsonSchema } from '../model/eventLogSchema.ts';
import type { Io } from './io.ts';

/** `itl-model schema`: prints the JSON Schema of one event-log line (what docs/event-log.schema.json holds). */
export async function schema(io: Io): Promise<number> {
  io.out(JSON.stringify(eventLogJsonSchema(), null, 2));
  return 0;
}
