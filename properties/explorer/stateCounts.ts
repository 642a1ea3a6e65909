import { WEAKNESSES } from '../registry.ts';
import type { Alphabet } from '../spec/events.ts';
import { scopeOf, type SpecScope } from '../spec/scope.ts';
import { explore } from './explore.ts';

/** One pinned scope of the manifest: what is explored, and the counts it must give. */
export interface PinnedScope {
  name: string;
  nodes: number;
  phones: number;
  /** Index into the scope's phone configurations when only one phone configuration is explored. */
  config?: number;
  pre10?: boolean;
  holdTimer?: boolean;
  alphabet?: string[];
  maxDepth: number;
  distinctStates: number;
  statesExplored: number;
  depth: number;
  complete: boolean;
}

/** The scopes the manifest pins (as TLA+ Examples' manifest.json does): small, each explored in well under a second. */
export function pinnedScopes(): Array<Omit<PinnedScope, 'distinctStates' | 'statesExplored' | 'depth' | 'complete'>> {
  return [
    { name: 'phone C (TVS list [pub]) alone, every event, to depth 6', nodes: 2, phones: 3, config: 2, maxDepth: 6 },
    ...WEAKNESSES.map((w) => ({
      name: `known weakness ${w.id}, complete`,
      nodes: 2,
      phones: 3,
      ...w.options,
      alphabet: [...w.alphabet].sort(),
      maxDepth: 60,
    })),
  ];
}

/** Explores a pinned scope and returns its counts. Pure. */
export function countStates(
  pin: Omit<PinnedScope, 'distinctStates' | 'statesExplored' | 'depth' | 'complete'>,
): PinnedScope {
  const full = scopeOf(pin.nodes, pin.phones, { pre10: pin.pre10 ?? false, holdTimer: pin.holdTimer ?? true });
  const scope: SpecScope =
    pin.config === undefined ? full : { ...full, phones: 1, configs: [full.configs[pin.config]!] };
  const r = explore({
    scope,
    properties: [],
    maxDepth: pin.maxDepth,
    ...(pin.alphabet ? { alphabet: new Set(pin.alphabet) as Alphabet } : {}),
  });
  return {
    ...pin,
    distinctStates: r.distinctStates,
    statesExplored: r.statesExplored,
    depth: r.depth,
    complete: r.complete,
  };
}
