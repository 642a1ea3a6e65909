/**
 * A phone's boot as a Promela inline (promela.ts): effects.ts `boot`, with the CTL step and the ITL
 * step of rules.ts (decideCtl, decide) written out for one phone of the scope.
 */
import { NO, type Ctx } from './promelaNames.ts';

/** `boot` (effects.ts) for phone p: the CTL step, then the ITL step from the node it boots from. */
export function boot(c: Ctx, p: number): string[] {
  const { nodes, scope } = c;
  const mixed = scope.mixed;
  const body: string[] = [];
  body.push(`rr${p} = 0; tb${p} = 0;`);
  body.push(`if :: pe${p} != 0 -> tf${p} = pe${p} - 1; pe${p} = 0 :: else -> skip fi;`);
  body.push(mixed ? `held = (qB${p} != 0);` : 'held = 0;');
  // The candidate ITL of the node it boots from (rules.ts servedItl).
  body.push('if');
  for (const n of nodes) {
    body.push(`:: tf${p} == ${n} ->`);
    body.push(`  if`);
    body.push(
      `  :: at${n} != ${NO} -> xS = at${n}; xA = at${n}; xB = ${NO}; xR = ${NO}; xF = 1; xBad = 0; ${nodes.map((t) => `xT${t} = ${NO}`).join('; ')}`,
    );
    body.push(
      `  :: at${n} == ${NO} && sr${n} && rs != 0 -> xS = rs; xA = rA; xB = rB; xR = rR; xF = 0; xBad = co${n}; ${nodes.map((t) => `xT${t} = rT${t}`).join('; ')}`,
    );
    body.push(
      `  :: else -> if :: from12 -> xS = lr${n} :: else -> xS = cm${n} fi; xA = cm${n}; xB = lr${n}; xR = lr${n}; xF = 0; xBad = co${n}; ${nodes.map((t) => `xT${t} = tv${t}`).join('; ')}`,
    );
    body.push(`  fi`);
  }
  body.push('fi;');
  if (mixed) body.push(...ctlStep(c, p));
  // The ITL step (rules.ts decide): 1 R0, 2 R2, 3 R3, 4 R4, 6 I1, 7 I2, 8 I3.
  const sast = `(xS == iA${p} || xS == iB${p})`;
  body.push('if');
  body.push(`:: iS${p} == 0 && !held -> rule = 1`);
  const noCtl = mixed ? `qB${p} == 0` : '1';
  body.push(`:: else ->`);
  body.push(`  if`);
  body.push(`  :: ${noCtl} ->`);
  body.push(`    if`);
  body.push(`    :: iS${p} == 0 -> rule = 4`);
  body.push(`    :: iS${p} != 0 && ${sast} && !xBad -> rule = 2`);
  body.push(
    `    :: else -> vouch = 0; if :: !xBad -> tvsVouches${p}(xS, vouch) :: else -> skip fi; if :: vouch -> rule = 3 :: else -> rule = 4 fi`,
  );
  body.push(`    fi`);
  if (mixed) {
    const anchors = `(xS != ${NO} && (xS == qA${p} || xS == qB${p}${nodes
      .slice(1)
      .map((n) => ` || xS == qC${p}_${n}`)
      .join('')}))`;
    const mayAsk = scope.itlViaTvsWithCtl ? '1' : '!from12';
    body.push(`  :: else ->`);
    body.push(`    if`);
    body.push(`    :: !xBad && ${anchors} -> rule = 6`);
    body.push(`    :: else ->`);
    body.push(`      if`);
    body.push(`      :: ${scope.sharedSastPool ? '1' : '0'} && !xBad && iS${p} != 0 && ${sast} -> rule = 7`);
    body.push(
      `      :: else -> vouch = 0; if :: ${mayAsk} && !xBad && iS${p} != 0 -> tvsVouches${p}(xS, vouch) :: else -> skip fi; if :: vouch -> rule = 3 :: else -> rule = 8 fi`,
    );
    body.push(`      fi`);
    body.push(`    fi`);
  }
  body.push(`  fi`);
  body.push('fi;');
  body.push('if');
  body.push(`:: rule == 4 || rule == 8 -> locked = 1`);
  body.push(
    `:: else -> iS${p} = xS; iA${p} = xA; iB${p} = xB; iR${p} = xR; iF${p} = xF; ${nodes.map((t) => `iT${p}_${t} = xT${t}`).join('; ')}`,
  );
  body.push('fi');
  return [`inline boot${p}() {`, ...body.map((l) => `  ${l}`), '}', ''];
}

/** The CTL step of a boot (rules.ts decideCtl), when the node it boots from serves the cluster's CTL (not impersonated). */
function ctlStep(c: Ctx, p: number): string[] {
  const { nodes, scope } = c;
  const served = `cs != 0 && (${nodes.map((n) => `(tf${p} == ${n} && at${n} == ${NO})`).join(' || ')})`;
  const same = `(qA${p} == cA && qB${p} == cB${nodes
    .slice(1)
    .map((n) => ` && qC${p}_${n} == cC${n}`)
    .join('')})`;
  const mayAsk = scope.ctlTvsRescueOwn ? '1' : '!from12';
  // rule: 0 none, 10 C0, 11 C1, 12 C2, 13 C3
  return [
    'rule = 0;',
    'if',
    `:: ${served} ->`,
    '  if',
    `  :: qB${p} == 0 -> rule = 10`,
    `  :: qB${p} != 0 && ${same} -> if :: qX${p} -> rule = 11 :: else -> rule = 0 fi`,
    `  :: else ->`,
    '    if',
    `    :: cs == qA${p} || cs == qB${p} -> rule = 11`,
    `    :: else ->`,
    '      if',
    `      :: ${scope.sharedSastPool ? '1' : '0'} && iS${p} != 0 && (cs == iA${p} || cs == iB${p}) -> rule = 11`,
    `      :: else -> vouch = 0; if :: ${mayAsk} && iS${p} != 0 -> tvsVouches${p}(cs, vouch) :: else -> skip fi; if :: vouch -> rule = 12 :: else -> rule = 13 fi`,
    '      fi',
    '    fi',
    '  fi',
    ':: else -> skip',
    'fi;',
    'if',
    `:: rule == 13 -> qX${p} = 1; locked = 1`,
    `:: rule != 0 && rule != 13 -> qA${p} = cA; qB${p} = cB; ${nodes
      .slice(1)
      .map((n) => `qC${p}_${n} = cC${n}; `)
      .join('')}qX${p} = 0`,
    ':: else -> skip',
    'fi;',
  ];
}
