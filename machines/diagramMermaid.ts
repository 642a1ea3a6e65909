import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

type Named = string | { type?: string; params?: unknown; name?: string } | ((...args: never[]) => unknown);

/** A guard's or action's name as written in the machine (`servesMode(reset)` for a parameterised one). */
function nameOf(item: Named): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'function') return item.name || 'inline';
  const params =
    item.params && typeof item.params === 'object'
      ? Object.values(item.params as Record<string, unknown>).filter((v) => typeof v !== 'object')
      : [];
  return `${item.type ?? item.name ?? 'inline'}${params.length ? `(${params.join(',')})` : ''}`;
}

/** Mermaid ids must be unique in a diagram: a state's key when unique in its machine, else its path. */
function idsOf(root: AnyStateNode): Map<AnyStateNode, string> {
  const all: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    all.push(node);
    Object.values(node.states).forEach(visit);
  };
  visit(root);
  const count = new Map<string, number>();
  for (const node of all) count.set(node.key, (count.get(node.key) ?? 0) + 1);
  return new Map(
    all.map((node) => [node, node === root || count.get(node.key) === 1 ? node.key : node.path.join('_')]),
  );
}

/** `EVENT [guard] / action, action`: what a transition shows on its arrow. */
function label(transition: AnyTransitionDefinition, event: string): string {
  const guard = transition.guard ? ` [${nameOf(transition.guard as Named)}]` : '';
  const actions = transition.actions.map((a) => nameOf(a as Named));
  return `${event}${guard}${actions.length ? ` / ${actions.join(', ')}` : ''}`;
}

/** Every transition leaving a state, as `from --> to : label`; targetless ones loop; equal arrows merge their events. */
function edges(node: AnyStateNode, ids: Map<AnyStateNode, string>): string[] {
  const arrows = new Map<string, string[]>();
  const add = (transition: AnyTransitionDefinition, event: string) => {
    const targets = transition.target?.length ? transition.target : [node];
    for (const target of targets) {
      const suffix = label(transition, '');
      const key = `${ids.get(node)} --> ${ids.get(target)}\u0000${suffix}`;
      arrows.set(key, [...(arrows.get(key) ?? []), event]);
    }
  };
  for (const [event, transitions] of node.transitions) for (const t of transitions) add(t, event);
  for (const t of node.always ?? []) add(t, 'always');
  return [...arrows].map(([key, events]) => {
    const [arrow, suffix] = key.split('\u0000') as [string, string];
    return `${arrow} : ${events.join(', ')}${suffix}`;
  });
}

/** The lines of a compound or parallel state's body: initial arrow, children, regions, their transitions. */
function body(node: AnyStateNode, ids: Map<AnyStateNode, string>, indent: string): string[] {
  const children = Object.values(node.states) as AnyStateNode[];
  const lines: string[] = [];
  if (node.type === 'compound')
    for (const target of node.initial.target) lines.push(`${indent}[*] --> ${ids.get(target)}`);
  children.forEach((child, i) => {
    if (node.type === 'parallel' && i > 0) lines.push(`${indent}--`);
    lines.push(...stateLines(child, ids, indent));
  });
  for (const child of children) lines.push(...edges(child, ids).map((e) => indent + e));
  return lines;
}

/** One state: a declaration (with its label when the id is a path), a block for compound/parallel ones, `--> [*]` for final ones. */
function stateLines(node: AnyStateNode, ids: Map<AnyStateNode, string>, indent: string): string[] {
  const id = ids.get(node)!;
  const declare = id === node.key ? `state ${id}` : `state "${node.key}" as ${id}`;
  const lines = Object.keys(node.states).length
    ? [`${indent}${declare} {`, ...body(node, ids, indent + '  '), `${indent}}`]
    : [`${indent}${declare}`];
  if (node.type === 'final') lines.push(`${indent}${id} --> [*]`);
  return lines;
}

/**
 * A machine as a Mermaid `stateDiagram-v2`, walked from its state nodes (not hand-written): the root
 * is one composite state so parallel regions (`--`) and root-level transitions have a place. Pure.
 */
export function mermaidOf(machine: AnyStateMachine, heading: string): string {
  const root = machine.root as AnyStateNode;
  const ids = idsOf(root);
  const lines = [
    `%% ${heading}`,
    'stateDiagram-v2',
    `  [*] --> ${ids.get(root)}`,
    ...stateLines(root, ids, '  '),
    ...edges(root, ids).map((e) => `  ${e}`),
  ];
  return `${lines.join('\n')}\n`;
}
