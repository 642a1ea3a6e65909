/**
 * Test support: generated cluster histories (a 2-node cluster of a generated release, three phones,
 * a few events) and their continuations, a day later, for the import properties.
 */
import fc from 'fast-check';
import { install, logOf, type Line } from './scenario.ts';
import type { LogEvent } from '../model/events.ts';

/** The phones of every generated cluster. */
export const PHONES = ['SEP00000000000A', 'SEP00000000000B', 'SEP00000000000C'];
const NODES = ['pub', 'sub'];

const phone = fc.constantFrom(...PHONES);
const node = fc.constantFrom(...NODES);
/** One event of a history or a continuation: resets, power, ITL deletes, regenerations, TFTP restarts, utils itl reset localkey. */
export const eventArb: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ type: fc.constant('phone.reset'), phone }),
  fc.record({ type: fc.constant('devices.reset') }),
  fc.record({ type: fc.constant('phone.power'), phone, on: fc.boolean() }),
  fc.record({ type: fc.constant('phone.deleteItl'), phone }),
  fc.record({
    type: fc.constant('cert.regenerate'),
    node,
    cert: fc.constantFrom('CallManager', 'TVS', 'ITLRecovery'),
    after: fc.constantFrom(1, 6),
  }),
  fc.record({ type: fc.constant('tftp.restart'), node }),
  fc.record({ type: fc.constant('itl.reset'), node: fc.constant('pub'), key: fc.constant('localkey') }),
);

/** A release, each phone's TFTP node, a history and a continuation. */
export const caseArb = fc.record({
  version: fc.constantFrom('10.5(2)', '12.5(1)SU3', '14SU2'),
  tftps: fc.tuple(fc.constantFrom(...NODES), fc.constantFrom(...NODES), fc.constantFrom(...NODES)),
  history: fc.array(eventArb, { maxLength: 6 }),
  continuation: fc.array(eventArb, { minLength: 1, maxLength: 6 }),
  /** Mixed mode (12.5 and later): `utils ctl set-cluster mixed-mode` and a reset after the phones are added. */
  mixed: fc.boolean(),
});

/** A generated case. */
export type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The install, the phones and the history, then (a day later) the continuation: one log, and where it splits. */
export function logFor(c: Case): { events: LogEvent[]; split: number } {
  const phones: Line[] = PHONES.map((id, i) => ({
    type: 'phone.add',
    phone: id,
    tftp: c.tftps[i],
    tvs: c.tftps[i] === 'pub' ? ['pub', 'sub'] : ['sub', 'pub'],
  }));
  const mixed: Line[] =
    c.mixed && c.version !== '10.5(2)'
      ? [{ type: 'ctl.setCluster', node: 'pub', mode: 'mixed' }, { type: 'devices.reset' }]
      : [];
  const head = [install({ version: c.version }), ...phones, ...mixed, ...c.history];
  const [first, ...rest] = c.continuation;
  const events = logOf([...head, { ...first!, after: 1440 }, ...rest]);
  return { events, split: head.length };
}
