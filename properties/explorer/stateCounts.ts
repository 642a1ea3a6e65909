import { ALPHABET_12_5, ALPHABET_12_5_MIXED } from '../checkScopes.ts';
import { WEAKNESSES } from '../registry.ts';
import type { Alphabet } from '../spec/events.ts';
import { scopeOf, type Release, type SpecScope } from '../spec/scope.ts';
import { explore } from './explore.ts';

/** One pinned scope of the manifest: what is explored, and the counts it must give. */
export interface PinnedScope {
  name: string;
  nodes: number;
  phones: number;
  /** Index into the scope's phone configurations when only one phone configuration is explored. */
  config?: number;
  release?: Release;
  pre10?: boolean;
  pre12?: boolean;
  mixed?: boolean;
  holdTimer?: boolean;
  alphabet?: string[];
  maxDepth: number;
  distinctStates: number;
  statesExplored: number;
  depth: number;
  complete: boolean;
}

/** A pinned scope before its counts. */
type Pin = Omit<PinnedScope, 'distinctStates' | 'statesExplored' | 'depth' | 'complete'>;

/** The scopes the manifest pins (as TLA+ Examples' manifest.json does): small, each explored in about a second at most. */
export function pinnedScopes(): Pin[] {
  return [
    { name: 'phone C (TVS list [pub]) alone, every event, to depth 6', nodes: 2, phones: 3, config: 2, maxDepth: 6 },
    {
      name: 'phone C alone, 12.5 non-secure, its events, to depth 6',
      nodes: 2,
      phones: 3,
      config: 2,
      release: '12.5',
      alphabet: [...ALPHABET_12_5].sort(),
      maxDepth: 6,
    },
    {
      name: 'phone C alone, 12.5 mixed mode, its events, to depth 6',
      nodes: 2,
      phones: 3,
      config: 2,
      release: '12.5',
      mixed: true,
      alphabet: [...ALPHABET_12_5_MIXED].sort(),
      maxDepth: 6,
    },
    ...WEAKNESSES.map(({ id, options: { phoneConfig, ...options }, alphabet }) => ({
      name: `known weakness ${id}, complete`,
      nodes: 2,
      phones: 3,
      ...(phoneConfig === undefined ? {} : { config: phoneConfig }),
      ...options,
      alphabet: [...alphabet].sort(),
      maxDepth: 60,
    })),
  ];
}

/** Explores a pinned scope and returns its counts. Pure. */
export function countStates(pin: Pin): PinnedScope {
  const full = scopeOf(pin.nodes, pin.phones, {
    ...(pin.release ? { release: pin.release } : {}),
    pre10: pin.pre10 ?? false,
    pre12: pin.pre12 ?? false,
    mixed: pin.mixed ?? false,
    holdTimer: pin.holdTimer ?? true,
  });
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
