/**
 * The scopes `itl-model export --promela --scope NAME` renders: each part of `check`'s per-phone
 * decomposition (a check scope with one phone configuration, on `check`'s default 2 nodes), and each
 * known weakness's own complete scope. The same run (scope and alphabet) is what the explorer
 * explores, so Spin's counts can be held against the explorer's.
 */
import { CHECK_SCOPES, specScopeOf } from '../checkScopes.ts';
import { phoneParts } from '../explorer/checkRuns.ts';
import { WEAKNESSES } from '../registry.ts';
import type { Alphabet } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';

/** A named run: a scope and its alphabet (absent: every event). */
export interface ExportScope {
  name: string;
  /** In words, for the model's header and `--list`. */
  about: string;
  scope: SpecScope;
  alphabet?: Alphabet;
}

/** The default: the per-phone part of the default `check` whose phone asks only the publisher's TVS (part C). */
export const DEFAULT_EXPORT_SCOPE = '10.x-phone-C';

const LETTERS = ['A', 'B', 'C', 'D'];

/** Every scope `export --promela` can render, by name. Pure. */
export function exportScopes(): ExportScope[] {
  const out: ExportScope[] = [];
  for (const c of CHECK_SCOPES) {
    const slug = c.name
      .replace(/ non-secure/, '')
      .replace(/ mode/, '')
      .replace(/ /g, '-');
    phoneParts(specScopeOf(c, 2, 3)).forEach(({ scope, label }, i) =>
      out.push({
        name: `${slug}-phone-${LETTERS[i]!}`,
        about: `check scope ${c.name}, per-phone part ${label}, 2 nodes${c.alphabet ? ', its events' : ', every event'}`,
        scope,
        ...(c.alphabet ? { alphabet: c.alphabet } : {}),
      }),
    );
  }
  for (const w of WEAKNESSES) {
    const { phoneConfig, ...options } = w.options;
    const full = scopeOf(2, 3, options);
    out.push({
      name: w.id,
      about: `known weakness ${w.id}'s scope, 2 nodes, ${phoneConfig === undefined ? '3 phones' : 'one phone'}, events ${[...w.alphabet].join(' ')}`,
      scope: phoneConfig === undefined ? full : { ...full, phones: 1, configs: [full.configs[phoneConfig]!] },
      alphabet: w.alphabet,
    });
  }
  return out;
}

/** The named scope, or undefined. Pure. */
export function exportScope(name: string): ExportScope | undefined {
  return exportScopes().find((s) => s.name === name);
}
