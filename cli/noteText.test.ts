import { describe, expect, it } from 'vitest';
import { install, run, type Line } from '../test-support/scenario.ts';
import { noteText } from './noteText.ts';

/** The notes of a replay's last event, in words, with the node states after it. */
function lastNotes(lines: Line[]) {
  const outcome = run(lines, { keepContexts: true });
  return { text: outcome.reports.at(-1)!.notes.map(noteText), final: outcome.final };
}

const rename: Line = { type: 'node.rename', node: 'sub', hostname: 'sub2' };
const domain: Line = { type: 'cluster.domain', domain: 'example.net' };
const A: Line = { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'pub', tvs: ['pub'] };

describe('noteText: rename and domain change name only the certificates a node has (docs/rules.md §6, §15)', () => {
  it('should not name CAPF for a renamed 14 subscriber (it has none), and name it on 12.5', () => {
    const on14 = lastNotes([install({ version: '14' }), A, rename]);
    expect(on14.final.cluster!.nodes.find((n) => n.id === 'sub')!.certs.CAPF).toBeUndefined();
    expect(on14.text[0]).toBe('sub renamed to sub2.example.lab: CallManager and TVS regenerated at once');
    const on125 = lastNotes([install({ version: '12.5(1)SU3' }), A, rename]);
    expect(on125.final.cluster!.nodes.find((n) => n.id === 'sub')!.certs.CAPF).toBeDefined();
    expect(on125.text[0]).toBe('sub renamed to sub2.example.lab: CallManager, TVS and CAPF regenerated at once');
  });

  it('should name CAPF for a renamed 14 publisher, which keeps one', () => {
    const pub: Line = { type: 'node.rename', node: 'pub', hostname: 'pub2' };
    expect(lastNotes([install({ version: '14' }), A, pub]).text[0]).toBe(
      'pub renamed to pub2.example.lab: CallManager, TVS and CAPF regenerated at once',
    );
  });

  it('should name CAPF on 14 only for the publisher after a domain change, and for every node on 12.5', () => {
    expect(lastNotes([install({ version: '14' }), A, domain]).text[0]).toBe(
      "domain changed to example.net: every node's CallManager and TVS regenerated at once, and CAPF on pub",
    );
    expect(lastNotes([install({ version: '12.5(1)SU3' }), A, domain]).text[0]).toBe(
      "domain changed to example.net: every node's CallManager, TVS and CAPF regenerated at once",
    );
  });
});
