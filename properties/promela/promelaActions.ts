/**
 * Each event of a scope as a Promela guarded command (promela.ts): its action's enabling condition and
 * refusal as the guard, its effect as the body (each mirrors its TypeScript in
 * properties/spec/*Actions.ts), the invariants that are single checks as assertions, then the
 * canonical form.
 */
import { PUBLISHER } from '../spec/constants.ts';
import { eventLabel, type SpecEvent } from '../spec/events.ts';
import { NO, freshKey, type Ctx } from './promelaNames.ts';

/** One event as a guarded command: `:: d_step { guard -> effect; assertions; canonical() }`. */
export function action(c: Ctx, e: SpecEvent): string[] {
  const { guard, effect } = rendered(c, e);
  return [
    `/* ${describe(e)} */`,
    `:: d_step { (${guard}) -> fresh = 254; locked = 0; withinHold = 0;`,
    ...effect.map((l) => `    ${l}`),
    ...assertions(c, e).map((l) => `    ${l}`),
    '    canonical()',
    '  }',
  ];
}

function describe(e: SpecEvent): string {
  const parts: string[] = [eventLabel(e)];
  if ('phone' in e) parts.push(`phone ${e.phone}`);
  if ('node' in e) parts.push(`node ${e.node}`);
  if (e.kind === 'power') parts.push(e.on ? 'on' : 'off');
  return parts.join(' ');
}

/** The invariants rendered (properties/spec/invariants.ts): a step's and a state's checks that need no search of their own. */
function assertions(c: Ctx, e: SpecEvent): string[] {
  const out: string[] = [];
  if (e.kind === 'regen')
    out.push(
      c.scope.holdTimer
        ? '/* holdTimer */ assert(!withinHold);'
        : '#ifdef WEAKNESSES\n    /* holdTimer (known weakness d-hold-timer-off) */ assert(!withinHold);\n#endif',
    );
  out.push(
    `#ifdef WEAKNESSES\n    /* noForgedItl (known weakness e-trust-on-first-use) */ assert(${c.phones.map((p) => `!(iS${p} != 0 && iF${p})`).join(' && ')});\n#endif`,
  );
  return out;
}

/** Each action's enabling condition with its refusal, and its effect (properties/spec/*Actions.ts). */
function rendered(c: Ctx, e: SpecEvent): { guard: string; effect: string[] } {
  const { scope, nodes, phones } = c;
  const bootAll = (): string[] => phones.map((p) => `if :: ad${p} && on${p} -> boot${p}() :: else -> skip fi;`);
  const certsChanged = (only: number | null, holdStarted: boolean): string[] => [
    ...nodes.filter((n) => only === null || n === only).map((n) => `sr${n} = 0; co${n} = 0;`),
    `automaticReset(${holdStarted ? 1 : 0});`,
  ];
  const rekey = (n: number) => `${freshKey(`cm${n}`)} ${freshKey(`tv${n}`)}`;
  switch (e.kind) {
    case 'add':
      return { guard: `!ad${e.phone}`, effect: [`ad${e.phone} = 1; on${e.phone} = 1;`, `boot${e.phone}();`] };
    case 'reset':
      return { guard: `ad${e.phone}`, effect: [`if :: on${e.phone} -> boot${e.phone}() :: else -> skip fi;`] };
    case 'power':
      return e.on
        ? { guard: `ad${e.phone} && !on${e.phone}`, effect: [`on${e.phone} = 1;`, `boot${e.phone}();`] }
        : { guard: `ad${e.phone} && on${e.phone}`, effect: [`on${e.phone} = 0; rr${e.phone} = 0; tb${e.phone} = 0;`] };
    case 'deleteItl':
      return {
        guard: `ad${e.phone}`,
        effect: [
          `iS${e.phone} = 0; iA${e.phone} = 0; iB${e.phone} = 0; iR${e.phone} = 0; iF${e.phone} = 0; ${nodes.map((t) => `iT${e.phone}_${t} = 0`).join('; ')};`,
          `if :: on${e.phone} -> boot${e.phone}() :: else -> skip fi;`,
        ],
      };
    case 'deleteCtl':
      return {
        guard: `ad${e.phone} && qB${e.phone} != 0`,
        effect: [
          `qA${e.phone} = 0; qB${e.phone} = 0; ${nodes
            .slice(1)
            .map((n) => `qC${e.phone}_${n} = 0; `)
            .join('')}qX${e.phone} = 0;`,
          `if :: on${e.phone} -> boot${e.phone}() :: else -> skip fi;`,
        ],
      };
    case 'phoneTftp':
      return {
        guard: `ad${e.phone} && pe${e.phone} != ${e.node + 1} && !(pe${e.phone} == 0 && tf${e.phone} == ${e.node})`,
        effect: [`pe${e.phone} = ${e.node + 1};`],
      };
    case 'devicesReset':
      return { guard: '1', effect: bootAll() };
    case 'regen': {
      const refused: string[] = [];
      if (e.cert === 'ITLRecovery') refused.push('pre10');
      if (e.cert === 'ITLRecovery' && e.node !== PUBLISHER) refused.push('from12');
      if (scope.holdTimer) refused.push(`ho${e.node} > 0`);
      const effect = [`withinHold = (ho${e.node} > 0);`, `startHold(ho${e.node});`];
      if (e.cert === 'CallManager') effect.push(freshKey(`cm${e.node}`));
      if (e.cert === 'TVS') effect.push(freshKey(`tv${e.node}`));
      if (e.cert === 'ITLRecovery') {
        if (e.node === PUBLISHER) effect.push(freshKey('rec'));
      } else if (!(e.cert === 'CAPF' && e.node !== PUBLISHER))
        effect.push(...certsChanged(e.cert === 'CallManager' ? e.node : null, true));
      return { guard: refused.length ? `!(${refused.join(' || ')})` : '1', effect };
    }
    case 'rename':
      return { guard: '1', effect: [rekey(e.node), ...certsChanged(null, false)] };
    case 'domain':
      return { guard: '1', effect: [...nodes.map(rekey), ...certsChanged(null, false)] };
    case 'upgrade':
      return {
        guard: '1',
        effect: [
          `if :: pre10 -> pre10 = 0; ${freshKey('rec')} :: else -> skip fi;`,
          ...(scope.release === '12.5' ? [`if :: !from12 -> from12 = 1; ${freshKey('rec')} :: else -> skip fi;`] : []),
          ...nodes.map((n) => `startTftp${n}();`),
        ],
      };
    case 'rebuild':
      return {
        guard: '1',
        effect: [
          rekey(PUBLISHER),
          `if :: !pre10 -> ${freshKey('rec')} :: else -> skip fi;`,
          `stopHold(ho${PUBLISHER});`,
          ...nodes.map((n) =>
            n === PUBLISHER ? `startTftp${n}();` : `if :: from12 -> startTftp${n}() :: else -> skip fi;`,
          ),
          ...nodes.map((n) => `sr${n} = 0; co${n} = 0;`),
        ],
      };
    case 'tftpRestart':
      return { guard: '1', effect: [`startTftp${e.node}();`] };
    case 'forge':
      return { guard: '1', effect: [freshKey(`at${e.node}`)] };
    case 'corrupt':
      return { guard: '1', effect: [`co${e.node} = 1;`] };
    case 'itlReset':
      return {
        guard: e.node !== PUBLISHER ? '0' : '!pre10',
        effect: [`if :: from12 -> serveResetItl(cm${PUBLISHER}) :: else -> serveResetItl(rec) fi;`],
      };
    case 'itlResetRemote':
      return { guard: `!pre10 && bak != ${NO}`, effect: ['rec = bak;', 'serveResetItl(bak);'] };
    case 'backup':
      return { guard: e.node !== PUBLISHER ? '0' : '!pre10', effect: ['bak = rec;'] };
    case 'password':
      return { guard: '1', effect: [`bak = ${NO};`] };
    case 'ctlSetCluster':
      return {
        guard: e.node !== PUBLISHER ? '0' : '1',
        effect: [`if :: from12 -> buildCtl(rec) :: else -> buildCtl(cm${PUBLISHER}) fi;`],
      };
    case 'ctlUpdate':
      return {
        guard: e.node !== PUBLISHER ? '0' : 'cs != 0',
        effect: [`if :: from12 -> buildCtl(rec) :: else -> buildCtl(cm${PUBLISHER}) fi;`],
      };
    case 'ctlReset':
      return { guard: e.node !== PUBLISHER ? '0' : 'cs != 0', effect: [`buildCtl(cm${PUBLISHER});`] };
    case 'wait':
      return {
        guard: `(${nodes.map((n) => `ho${n} > 0`).join(' || ')}) && ${phones.map((p) => `(rr${p} == 0 || tb${p} > 0)`).join(' && ') || '1'}`,
        effect: ['if', ...nodes.map((n) => `:: ho${n} == 1 -> stopHold(ho${n})`), ':: else -> skip', 'fi;'],
      };
    case 'back':
      return {
        guard: phones.map((p) => `rr${p} > 0`).join(' || ') || '0',
        effect: [
          'first = 255;',
          ...phones.map((p) => `if :: rr${p} > 0 && rr${p} < first -> first = rr${p} :: else -> skip fi;`),
          ...phones.map((p) => `if :: rr${p} == first -> boot${p}() :: else -> skip fi;`),
        ],
      };
  }
}
