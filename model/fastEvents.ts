/**
 * A fast way through the field checks for the commonest events of a big log (`phone.add` and the
 * other per-phone events, cluster-wide resets and regenerations). The zod schemas of
 * `eventSchemas.ts` stay the definition of the language and of every message: this path only
 * accepts what it is sure they accept, builds the very event they build, and answers "not sure"
 * (undefined) for anything else, which the parser then hands to zod.
 *
 * Sure means: the object's own keys are all fields of its type and the required ones are there; `at`
 * passes the timestamp functions the schema's `at` calls; a device name, a node name and a TVS list
 * match the patterns and limits of `names.ts` and `MAX_TVS` that the schemas use; and any other
 * field holds a value zod has already accepted for that field of that type on an earlier line of
 * the same log (`learn`). Each type here is a strict object whose fields are checked one by one, so
 * a value accepted once is accepted on every line; a type whose schema relates its fields (as
 * `itl.reset`'s does) must not be added. fastEvents.prop.test.ts (by line) and
 * fastEventsLog.prop.test.ts (by log) hold the two paths equal.
 */
import { DEFAULT_FIRMWARE, MAX_TVS, timestampOf } from './eventSchemas.ts';
import type { EventType, LogEvent } from './events.ts';
import { DEVICE_NAME, DNS_LABEL } from './names.ts';
import { inTimestampRange } from './timestamps.ts';

/**
 * How a field is checked: the event's own `type`, a timestamp, a device name, a node name, a list
 * of node names (a TVS list), or a value zod accepted before for this field of this type (`learned`).
 */
type Check = 'type' | 'at' | 'device' | 'node' | 'nodes' | 'learned';

/** A field of an event as this path reads it; `fill`: the value when the line omits it. */
interface Field {
  name: string;
  check: Check;
  required: boolean;
  fill?: (event: Record<string, unknown>) => unknown;
}

/** The fields of a type in the order of the schema's output (phone.add: the defaults come last). */
const SHAPES: Partial<Record<EventType, Field[]>> = {
  'phone.add': [
    field('type', 'type'),
    field('at', 'at'),
    field('phone', 'device'),
    field('tftp', 'node'),
    field('sbd', 'learned', false),
    field('securityProfile', 'learned', false),
    { ...field('tvs', 'nodes', false), fill: (event) => [event.tftp] },
    { ...field('firmware', 'learned', false), fill: () => DEFAULT_FIRMWARE },
  ],
  'phone.reset': phoneOnly(),
  'phone.power': [...phoneOnly(), field('on', 'learned')],
  'phone.deleteItl': phoneOnly(),
  'phone.deleteCtl': phoneOnly(),
  'phone.factoryReset': phoneOnly(),
  'phone.tftp': [...phoneOnly(), field('tftp', 'node')],
  'devices.reset': [field('type', 'type'), field('at', 'at')],
  'cert.regenerate': [
    field('type', 'type'),
    field('at', 'at'),
    field('node', 'node'),
    field('cert', 'learned'),
    field('keyBits', 'learned', false),
    field('years', 'learned', false),
  ],
  'tftp.restart': [field('type', 'type'), field('at', 'at'), field('node', 'node')],
  'ctl.setCluster': [field('type', 'type'), field('at', 'at'), field('node', 'node'), field('mode', 'learned')],
};

/** A field, required unless told. Pure. */
function field(name: string, check: Check, required = true): Field {
  return { name, check, required };
}

/** The fields of an event that names one phone. Pure. */
function phoneOnly(): Field[] {
  return [field('type', 'type'), field('at', 'at'), field('phone', 'device')];
}

/** The most values learned for one field (a field with more distinct values goes on through zod). */
export const MAX_LEARNED = 64;

/** A shape with its fields found by name. */
interface Reader {
  fields: Field[];
  index: Map<string, number>;
  /** The values zod accepted, one set per learned field (by index). */
  learned: Map<number, Set<unknown>>;
}

/**
 * The fast path of one log (what it learns is the log's own): `read` an event, and `learn` from
 * each line zod accepted. Its answers do not depend on what it learned, only its speed does.
 */
export class FastEvents {
  private readonly readers = new Map<string, Reader>();

  constructor() {
    for (const [type, fields] of Object.entries(SHAPES)) {
      const learned = new Map<number, Set<unknown>>();
      fields.forEach((f, i) => f.check === 'learned' && learned.set(i, new Set()));
      this.readers.set(type, { fields, index: new Map(fields.map((f, i) => [f.name, i])), learned });
    }
  }

  /**
   * The event the schema of `type` makes of `input` (a JSON object whose `type` is `type`), or
   * undefined when this path is not sure the schema accepts it.
   */
  read(input: Record<string, unknown>, type: EventType): LogEvent | undefined {
    const reader = this.readers.get(type);
    if (reader === undefined) return undefined;
    const { fields, index } = reader;
    const values: unknown[] = new Array(fields.length);
    for (const key of Object.keys(input)) {
      const i = index.get(key);
      if (i === undefined) return undefined;
      values[i] = input[key];
    }
    const event: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const value = values[i];
      if (value === undefined) {
        if (f.required) return undefined;
        if (f.fill) event[f.name] = f.fill(event);
        continue;
      }
      const ok = valueOk(f.check, value, reader.learned.get(i));
      if (ok === false) return undefined;
      event[f.name] = ok === true ? value : ok;
    }
    return event as LogEvent;
  }

  /** Notes the values of a line zod accepted as an event of `type`, for the fields it learns. */
  learn(input: Record<string, unknown>, type: EventType): void {
    const reader = this.readers.get(type);
    if (reader === undefined) return;
    for (const [i, values] of reader.learned) {
      const value = input[reader.fields[i]!.name];
      if (values.size < MAX_LEARNED && isPrimitive(value) && Object.hasOwn(input, reader.fields[i]!.name))
        values.add(value);
    }
  }
}

/** Whether a field's value passes: true, false, or (a TVS list) the copy to keep. Pure. */
function valueOk(check: Check, value: unknown, learned: Set<unknown> | undefined): boolean | string[] {
  switch (check) {
    case 'type':
      return true; // the parser found the type before asking
    case 'at':
      return typeof value === 'string' && inTimestampRange(timestampOf(value));
    case 'device':
      return typeof value === 'string' && DEVICE_NAME.test(value);
    case 'node':
      return typeof value === 'string' && DNS_LABEL.test(value);
    case 'nodes':
      return nodeList(value);
    case 'learned':
      return learned!.has(value);
  }
}

/** A copy of a TVS list (1 to MAX_TVS node names), or false. Pure. */
function nodeList(value: unknown): string[] | false {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_TVS) return false;
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const name: unknown = value[i];
    if (typeof name !== 'string' || !DNS_LABEL.test(name)) return false;
    out.push(name);
  }
  return out;
}

/** Whether a value is a string, number or boolean (compared by value in a set). Pure. */
function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
