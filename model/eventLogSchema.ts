import { z } from 'zod';
import { EVENT_SCHEMAS } from './eventSchemas.ts';
import { EVENT_TYPES } from './events.ts';

/** Where the schema is published in the repository. */
export const EVENT_LOG_SCHEMA_PATH = 'docs/event-log.schema.json';

/**
 * The JSON Schema (draft 2020-12) of one line of the event log, generated from the parser's own zod
 * schemas by zod's `z.toJSONSchema` (the input side: fields as written, before defaults are filled
 * in). It states each line's shape; the rules between lines (known nodes and phones, one install,
 * time order) and the value checks a pattern cannot express are in docs/log-format.md. Pure.
 */
export function eventLogJsonSchema(): Record<string, unknown> {
  const line = z.union(EVENT_TYPES.map((type) => EVENT_SCHEMAS[type]));
  const schema = z.toJSONSchema(line, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'itl-model event log line',
    description: `One line of an itl-model event log (JSON Lines): an event of one of the ${EVENT_TYPES.length} types, discriminated by "type". Generated from model/eventSchemas.ts; see docs/log-format.md.`,
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
