/**
 * Phones alike decide alike (issue 17: boots far cheaper than a signature check).
 *
 * Within one step of a replay the cluster does not change while its phones boot: what a phone
 * decides is a function of the cluster (the same for every phone of the step), the event, and the
 * phone's own fields, never of its id, nor of the event numbers stamped in its last decision and
 * its CTL (`{ ..., event }`: when they were made; no rule reads them). So two phones equal but for
 * those reach states equal but for those, and a step decides each *shape* of phone once: 100,000
 * phones on four TFTP nodes are a handful of shapes. A stamp the decision left alone stays the
 * phone's own; one it made is the step's. `Decisions` keeps the decisions of one step by shape.
 * A property (phoneShape.prop.test.ts) holds a replay with these decisions equal to one that
 * decides every phone; the key's test holds that every field but `id` and the stamps changes it.
 */
import type { PhoneState } from '../cluster/clusterState.ts';

/** The event number an object is stamped with (`{ ..., event: N }`), else undefined. */
function stampOf(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const event = (value as { event?: unknown }).event;
  return typeof event === 'number' ? event : undefined;
}

/** The content of each object met (a phone's TVS list, last decision, CTL), as JSON without its stamp, written once per object. */
const contents = new WeakMap<object, string>();

function contentOf(value: object): string {
  let content = contents.get(value);
  if (content === undefined) {
    if (stampOf(value) === undefined) content = JSON.stringify(value);
    else {
      const { event: _, ...rest } = value as { event: number };
      content = `stamped ${JSON.stringify(rest)}`;
    }
    contents.set(value, content);
  }
  return content;
}

/**
 * A namer of phone shapes, for one step: the key of a phone is each field but `id`, by name and by
 * the number this namer gave its value (a primitive by itself, an object by its JSON without its
 * stamp, numbered apart: objects count down from -1, primitives up from 0). Field names hold no
 * digit or minus sign, so no two shapes share a key. Pure as a function of the phones named.
 */
export function shapeKeys(): (phone: PhoneState) => string {
  const primitives = new Map<unknown, number>();
  const objects = new Map<string, number>();
  const numberOf = (value: unknown): number => {
    if (value !== null && typeof value === 'object') {
      const content = contentOf(value);
      let n = objects.get(content);
      if (n === undefined) objects.set(content, (n = -1 - objects.size));
      return n;
    }
    let n = primitives.get(value);
    if (n === undefined) primitives.set(value, (n = primitives.size));
    return n;
  };
  return (phone) => {
    let key = '';
    for (const field in phone) {
      if (field === 'id') continue;
      key += `${field}${numberOf(phone[field as keyof PhoneState])},`;
    }
    return key;
  };
}

/** After this many look-ups in a step, deciding by shape stops when fewer than a quarter hit (a fleet of unlike phones). */
const TRIAL = 512;

/** The decisions of one step (event number `event`), by kind of phone event and shape of phone. */
export class Decisions {
  private readonly byShape = new Map<string, { before: PhoneState; after: PhoneState }>();
  private readonly shapeOf = shapeKeys();
  private lookups = 0;
  private hits = 0;

  constructor(private readonly event: number) {}

  /** What `run` decides for `phone`, or what it decided for a phone of the same shape, copied. */
  decide(phone: PhoneState, kind: string, run: () => PhoneState): PhoneState {
    if (this.lookups >= TRIAL && this.hits * 4 < this.lookups) return run();
    this.lookups++;
    const key = `${kind}|${this.shapeOf(phone)}`;
    const hit = this.byShape.get(key);
    if (hit) {
      const copy = this.copy(hit.before, hit.after, phone);
      if (copy) {
        this.hits++;
        return copy;
      }
      return run();
    }
    const after = run();
    this.byShape.set(key, { before: phone, after });
    return after;
  }

  /**
   * The decision `before` → `after` applied to a phone of the same shape: `after` with the phone's
   * id, and each stamped object the decision left alone the phone's own. Undefined when a stamped
   * object was changed but not stamped by this step (whose stamp it keeps cannot be told apart).
   */
  private copy(before: PhoneState, after: PhoneState, phone: PhoneState): PhoneState | undefined {
    // A phone the decision left as it was stays the very same object.
    if (after === before) return phone;
    const copy: Record<string, unknown> = { ...after, id: phone.id };
    for (const field in after) {
      const made = (after as unknown as Record<string, unknown>)[field];
      const stamp = stampOf(made);
      if (stamp === undefined) continue;
      const had = (before as unknown as Record<string, unknown>)[field];
      if (made === had) copy[field] = (phone as unknown as Record<string, unknown>)[field];
      else if (stamp !== this.event || stampOf(had) === this.event) return undefined;
    }
    return copy as unknown as PhoneState;
  }
}
