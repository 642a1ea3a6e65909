/**
 * The explorer's canonical form as Promela (promela.ts): properties/explorer/canonical.ts's steps
 * (keys renumbered in order of first use, dead keys collapsed, restart ranks made dense, an unserved
 * reset ITL dropped) run at the end of every step, with key tables for Spin's single-core verifier
 * and as straight-line code for its multi-core one, and the scratch variables a step uses.
 */
import { PUBLISHER } from '../spec/constants.ts';
import { DEAD, type Ctx } from './promelaNames.ts';

/** A key field of the cluster part in the order canonical.ts gives ids: its variable, whether it must be live to get one (`liveIdOf`), and when it is read at all. */
interface KeyField {
  v: string;
  liveOnly: boolean;
  /** A Promela condition; '1' always. */
  when: string;
}

/** The cluster's key fields in canonical.ts's order of first use (canonicalCodes' cluster part). */
function keyFields(c: Ctx): KeyField[] {
  const f = (v: string, liveOnly: boolean, when = '1'): KeyField => ({ v, liveOnly, when });
  const out = [f('rec', false), f('bak', false)];
  for (const n of c.nodes)
    out.push(
      f(`cm${n}`, false, n === PUBLISHER ? '1' : '!from12'),
      f(`tv${n}`, false),
      f(`lr${n}`, true),
      f(`at${n}`, false),
    );
  for (const v of ['rs', 'rA', 'rB', 'rR', ...c.nodes.map((t) => `rT${t}`)]) out.push(f(v, true, 'found'));
  if (c.scope.mixed) {
    for (const v of ['cs', 'cA', 'cB']) out.push(f(v, true, 'cs != 0'));
    for (const n of c.nodes.slice(1)) out.push(f(`cC${n}`, true, 'cs != 0 && !from12'));
  }
  return out;
}

/** The scratch variables of a step. */
export function scratch(c: Ctx): string[] {
  return [
    'fresh',
    'rank',
    'before',
    'first',
    'rule',
    'k',
    'found',
    'held',
    'locked',
    'withinHold',
    'vouch',
    'xS',
    'xA',
    'xB',
    'xR',
    ...c.nodes.map((t) => `xT${t}`),
    'xF',
    'xBad',
    'nid',
    ...c.phones.map((p) => `nr${p}`),
    ...keyFields(c).map((_, i) => `a${i}`),
  ];
}

/** The canonical form with key tables (hidden arrays: compact code; Spin's single-core verifier). */
export function canonicalArrays(c: Ctx): string[] {
  const { nodes, phones, scope } = c;
  const mixed = scope.mixed;
  const b: string[] = [];
  b.push('gen = gen + 1; nid = 0;');
  // Step 2: the live keys.
  for (const n of nodes) {
    b.push(n === PUBLISHER ? `markLive(cm${n});` : `if :: !from12 -> markLive(cm${n}) :: else -> skip fi;`);
    b.push(`markLive(tv${n}); markLive(at${n});`);
  }
  b.push('markLive(rec); markLive(bak);');
  b.push(`found = (rs != 0 && (${nodes.map((n) => `sr${n}`).join(' || ')}));`);
  b.push('if :: found -> markLive(rs) :: else -> skip fi;');
  if (mixed) b.push('if :: cs != 0 -> markLive(cs) :: else -> skip fi;');
  b.push(`if :: from12 -> ${nodes.map((n) => `markLive(lr${n})`).join('; ')} :: else -> skip fi;`);
  // Step 1: ids in order of first use (the cluster part of the key).
  for (const f of keyFields(c)) {
    const call = `${f.liveOnly ? 'liveIdOf' : 'idOf'}(${f.v})`;
    b.push(f.when === '1' ? `${call};` : `if :: ${f.when} -> ${call} :: else -> skip fi;`);
  }
  // The representative: every key field renumbered (dead: DEAD).
  b.push('repKey(rec); repKey(bak);');
  for (const n of nodes) {
    b.push(n === PUBLISHER ? `repKey(cm${n});` : `if :: from12 -> cm${n} = ${DEAD} :: else -> repKey(cm${n}) fi;`);
    b.push(`repKey(tv${n}); repKey(lr${n}); repKey(at${n});`);
  }
  b.push(
    `if :: found -> repKey(rs); repKey(rA); repKey(rB); repKey(rR); ${nodes.map((t) => `repKey(rT${t})`).join('; ')} :: else -> rs = 0; rA = 0; rB = 0; rR = 0; ${nodes.map((t) => `rT${t} = 0`).join('; ')} fi;`,
  );
  if (mixed)
    b.push(
      `if :: cs != 0 -> repKey(cs); repKey(cA); repKey(cB); ${
        nodes
          .slice(1)
          .map((n) => `if :: from12 -> cC${n} = ${DEAD} :: else -> repKey(cC${n}) fi`)
          .join('; ') || 'skip'
      } :: else -> skip fi;`,
    );
  for (const p of phones) {
    const list = scope.configs[p]!.tvs;
    b.push(`if :: iS${p} != 0 -> repKey(iS${p}); repKey(iA${p}); repKey(iB${p}); repKey(iR${p}) :: else -> skip fi;`);
    for (const t of nodes)
      b.push(
        list.includes(t)
          ? `repKey(iT${p}_${t});`
          : `if :: iT${p}_${t} >= 3 -> iT${p}_${t} = ${DEAD} :: else -> skip fi;`,
      );
    if (mixed)
      b.push(
        `if :: qB${p} != 0 -> repKey(qA${p}); repKey(qB${p}); ${
          nodes
            .slice(1)
            .map((n) => `if :: from12 -> qC${p}_${n} = ${DEAD} :: else -> repKey(qC${p}_${n}) fi`)
            .join('; ') || 'skip'
        } :: else -> qX${p} = 0 fi;`,
      );
    b.push(`if :: pe${p} == tf${p} + 1 -> pe${p} = 0 :: else -> skip fi;`);
  }
  b.push(...denseRanks(phones));
  return [
    'inline markLive(k) { if :: k >= 3 -> liveAt[k] = gen :: else -> skip fi }',
    'inline idOf(k) { if :: k >= 3 && idAt[k] != gen -> idAt[k] = gen; ids[k] = nid; nid = nid + 1 :: else -> skip fi }',
    'inline liveIdOf(k) { if :: k >= 3 && liveAt[k] == gen -> idOf(k) :: else -> skip fi }',
    `inline repKey(k) { if :: k >= 3 && liveAt[k] == gen -> k = ids[k] + 3 :: k >= 3 && liveAt[k] != gen -> k = ${DEAD} :: else -> skip fi }`,
    '',
    'inline canonical() {',
    ...b.map((l) => `  ${l}`),
    '}',
    '',
  ];
}

/** Step 9: restart ranks made dense (1 = ends first). */
function denseRanks(phones: number[]): string[] {
  const b: string[] = [];
  for (const p of phones) {
    const smaller = phones.map((q) => {
      const earlier = phones
        .filter((r) => r < q)
        .map((r) => ` && rr${r} != rr${q}`)
        .join('');
      return `if :: rr${q} > 0 && rr${q} < rr${p}${earlier} -> nr${p} = nr${p} + 1 :: else -> skip fi;`;
    });
    b.push(`if :: rr${p} > 0 -> nr${p} = 1; ${smaller.join(' ')} :: else -> nr${p} = 0 fi;`);
  }
  b.push(phones.map((p) => `rr${p} = nr${p}`).join('; ') + ';');
  return b;
}

/**
 * The canonical form (canonicalCodes.ts canonicalCodes and canonical.ts representative), for
 * phones of distinct configurations, as straight-line code: a{i} is 1 + the id of cluster key field
 * i (0: it gets none), given in order of first use to live keys; every other key field takes the id
 * of the field it equals, or DEAD.
 */
export function canonicalStraight(c: Ctx): string[] {
  const { nodes, phones, scope } = c;
  const mixed = scope.mixed;
  const fields = keyFields(c);
  // Step 2: the live keys (a current CallManager (from 12.0 the publisher's only) or TVS key, an attacker's, the ITLRecovery, an opened backup, the served reset ITL's signer, the CTL's signer, from 12.0 a loaded ITLRecovery).
  const live = (v: string) =>
    `(${v} >= 3 && (${[
      ...nodes.map((n) => (n === PUBLISHER ? `${v} == cm${n}` : `(!from12 && ${v} == cm${n})`)),
      ...nodes.map((n) => `${v} == tv${n} || ${v} == at${n}`),
      `${v} == rec || ${v} == bak || (found && ${v} == rs)`,
      ...(mixed ? [`${v} == cs`] : []),
      `(from12 && (${nodes.map((n) => `${v} == lr${n}`).join(' || ')}))`,
    ].join(' || ')}))`;
  const b: string[] = [];
  b.push(`found = (rs != 0 && (${nodes.map((n) => `sr${n}`).join(' || ')}));`);
  b.push('nid = 0;');
  // Step 1: ids in order of first use.
  fields.forEach((f, i) => {
    const gets = [f.when === '1' ? '' : `(${f.when}) && `, f.liveOnly ? live(f.v) : `${f.v} >= 3`].join('');
    const same = fields.slice(0, i).map((g, j) => `:: a${j} != 0 && ${g.v} == ${f.v} -> a${i} = a${j}`);
    b.push(`if :: ${gets} -> if ${same.join(' ')} :: else -> nid = nid + 1; a${i} = nid fi :: else -> a${i} = 0 fi;`);
  });
  // The representative: phone fields first (they look up the cluster's old values), then the cluster's.
  const rep = (v: string) =>
    `if :: ${v} >= 3 -> if ${fields.map((g, j) => `:: a${j} != 0 && ${g.v} == ${v} -> ${v} = a${j} + 2`).join(' ')} :: else -> ${v} = ${DEAD} fi :: else -> skip fi;`;
  for (const p of phones) {
    const list = scope.configs[p]!.tvs;
    b.push(`if :: iS${p} != 0 ->`);
    for (const v of [`iS${p}`, `iA${p}`, `iB${p}`, `iR${p}`]) b.push(`  ${rep(v)}`);
    for (const t of nodes)
      b.push(
        list.includes(t)
          ? `  ${rep(`iT${p}_${t}`)}`
          : `  if :: iT${p}_${t} >= 3 -> iT${p}_${t} = ${DEAD} :: else -> skip fi;`,
      );
    b.push(':: else -> skip fi;');
    if (mixed) {
      b.push(`if :: qB${p} != 0 ->`);
      b.push(`  ${rep(`qA${p}`)}`, `  ${rep(`qB${p}`)}`);
      for (const n of nodes.slice(1))
        b.push(`  if :: from12 -> qC${p}_${n} = ${DEAD} :: else -> ${rep(`qC${p}_${n}`)} fi;`);
      b.push(`:: else -> qX${p} = 0 fi;`);
    }
    // Step 6: a pending change to the current node is none.
    b.push(`if :: pe${p} == tf${p} + 1 -> pe${p} = 0 :: else -> skip fi;`);
  }
  fields.forEach((f, i) => {
    if (f.v.startsWith('cm') && f.when !== '1')
      b.push(`if :: from12 -> ${f.v} = ${DEAD} :: else -> ${f.v} = a${i} + 2 fi;`);
    else b.push(`if :: a${i} != 0 -> ${f.v} = a${i} + 2 :: ${f.v} >= 3 -> ${f.v} = ${DEAD} :: else -> skip fi;`);
  });
  // Step 7: an unserved reset ITL is dropped; from 12.0 a CTL's subscriber records are DEAD.
  b.push(
    `if :: !found -> rs = 0; rA = 0; rB = 0; rR = 0; ${nodes.map((t) => `rT${t} = 0`).join('; ')} :: else -> skip fi;`,
  );
  if (mixed)
    b.push(
      `if :: cs != 0 && from12 -> ${
        nodes
          .slice(1)
          .map((n) => `cC${n} = ${DEAD}`)
          .join('; ') || 'skip'
      } :: else -> skip fi;`,
    );
  b.push(...denseRanks(phones));
  b.push(
    `${scratch(c)
      .map((v) => `${v} = 0`)
      .join('; ')};`,
  );
  return ['inline canonical() {', ...b.map((l) => `  ${l}`), '  skip', '}', ''];
}
