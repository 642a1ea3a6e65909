import { describe, expect, it } from 'vitest';
import { contentsOf } from '../../test-support/folderFiles.ts';
import { install, run } from '../../test-support/scenario.ts';
import { fleet } from './fleet.ts';
import { folderOfState } from './folderOfState.ts';
import { importCluster } from './importCluster.ts';

describe('fleet order', () => {
  it('should list the TVS lists in code-unit order, the same in every locale (Ib before ia)', () => {
    // A locale's collation puts "ia" before "Ib" (letters first, case after); code units put "I" (0x49) before "i" (0x69).
    const state = run([
      install({
        nodes: [
          { name: 'Ib', role: 'publisher', tftp: true },
          { name: 'ia', role: 'subscriber', tftp: true },
        ],
      }),
      { type: 'phone.add', phone: 'SEP00000000000A', tftp: 'ia', tvs: ['ia', 'Ib'] },
      { type: 'phone.add', phone: 'SEP00000000000B', tftp: 'Ib', tvs: ['Ib', 'ia'] },
    ]).final.cluster!;
    const byTvs = fleet(importCluster(contentsOf(folderOfState(state)))).byTvs.map((g) => g.tvs.join(';'));
    expect(byTvs).toEqual(['Ib;ia', 'ia;Ib']);
  });
});
