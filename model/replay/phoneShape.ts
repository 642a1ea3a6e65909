/**
 * Phones alike decide alike (issue 17: boots far cheaper than a signature check).
 *
 * Within one step of a replay the cluster does not change while its phones boot: what a phone
 * decides is a function of the cluster (the same for every phone of the step), the event, and the
 * phone's own fields, never of its id. So two phones whose fields are equal but for the id reach
 * states equal but for the id, and a step decides each *shape* of phone once: 100,000 phones on four
 * TFTP nodes are a handful of shapes. `shapeKeys` names shapes; model/replay/runPhones.ts keeps the
 * decisions of one step by them. A property (phoneShape.prop.test.ts) holds a replay with these
 * decisions equal to one that decides every phone; the key's test holds that every field but `id`
 * changes the key.
 */
import type { PhoneState } from '../cluster/clusterState.ts';

/** The content of each object met (a phone's TVS list, last decision, CTL), as JSON, written once per object. */
const contents = new WeakMap<object, string>();

function contentOf(value: object): string {
  let content = contents.get(value);
  if (content === undefined) contents.set(value, (content = JSON.stringify(value)));
  return content;
}

/**
 * A namer of phone shapes, for one step: the key of a phone is each field but `id`, by name and by
 * the number this namer gave its value (a primitive by itself, an object by its JSON, numbered
 * apart: objects count down from -1, primitives up from 0). Field names hold no digit or minus
 * sign, so no two shapes share a key. Pure as a function of the phones named.
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
