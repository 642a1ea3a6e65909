import { scopeOf, type SpecScope } from '../properties/spec/scope.ts';

/**
 * One small scope of each kind the spec has (releases, mixed mode, an upgrade from before 10.0 or
 * from 11.5, more nodes, two phones alike), each with the depth to which the tests that walk every
 * state of it go: for the properties of the packed explorer's short cuts (phonesOnly.prop.test.ts,
 * clusterMemo.prop.test.ts).
 */
export const SCOPE_KINDS: ReadonlyArray<{ name: string; scope: SpecScope; depth: number }> = [
  { name: '10.x, 2 nodes, 3 phones', scope: scopeOf(2, 3), depth: 3 },
  { name: '10.x, 2 nodes, 4 phones (phones 0 and 3 alike)', scope: scopeOf(2, 4), depth: 3 },
  { name: '10.x, 3 nodes, 2 phones', scope: scopeOf(3, 2), depth: 3 },
  { name: 'installed before 10.0, 2 nodes, 2 phones', scope: scopeOf(2, 2, { pre10: true }), depth: 4 },
  { name: '12.5 mixed mode, 2 nodes, 2 phones', scope: scopeOf(2, 2, { release: '12.5', mixed: true }), depth: 4 },
  {
    name: '12.5 mixed mode installed at 11.5, 2 nodes, 2 phones',
    scope: scopeOf(2, 2, { release: '12.5', mixed: true, pre12: true }),
    depth: 4,
  },
];
