import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from '../machines/replay.ts';
import { seedFromEnv } from './arbitraries.ts';
import { phoneName } from './concretize.ts';
import { toJsonLines } from './formatLog.ts';
import { concretize } from './schedule.ts';
import { allEvents, enabled, initialState, scopeOf, specStep, type SpecEvent } from './spec/index.ts';

describe('schedule: abstract runs as timed logs', () => {
  // Phone configurations A, B, C are all different, so representatives keep phone order and a raw walk is a trace.
  const scope = scopeOf(2, 3);
  const events = allEvents(scope);

  it('should give every abstract run a log whose replay leaves each phone as the abstract run does when time passes by wait and back', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (choices) => {
        let s = initialState(scope);
        const trace: SpecEvent[] = [];
        for (const c of choices) {
          // Half the choices favour time passing, so hold timers and restarts end in every order.
          const open = events.filter((e) => enabled(s, e));
          const timed = open.filter((e) => e.kind === 'wait' || e.kind === 'back');
          const e = c % 2 === 0 && timed.length ? timed[(c >> 1) % timed.length]! : open[c % open.length]!;
          trace.push(e);
          s = specStep(s, scope, e).state;
        }
        // Time passing after the last event is not in a log (the report settles it instead): compare at the last event.
        while (trace.length && (trace[trace.length - 1]!.kind === 'wait' || trace[trace.length - 1]!.kind === 'back'))
          trace.pop();
        s = trace.reduce((x, e) => specStep(x, scope, e).state, initialState(scope));
        const log = concretize(scope, trace);
        const phones = replay(log).final.cluster!.phones;
        const real = s.phones.map((_, i) => {
          const p = phones.find((x) => x.id === phoneName(i));
          return p ? `${p.trust}${p.restartingUntil ? ' restarting' : ''}` : 'absent';
        });
        const abstract = s.phones.map((p) => (p.added ? `${p.trust}${p.restartRank ? ' restarting' : ''}` : 'absent'));
        expect(real, `abstract run ${JSON.stringify(trace)}; log (JSON Lines):\n${toJsonLines(log)}`).toEqual(abstract);
      }),
      { seed: seedFromEnv(), numRuns: 60 },
    );
  });
});
