import type { LogEvent } from '../model/events.ts';
import type { Explanation, PhoneStory } from '../properties/explain.ts';
import { describeEvent } from './describeEvent.ts';

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** When a phone's ITL was installed: the 1-based event of its boot, and the release the cluster ran then. */
export interface Installed {
  event: number;
  version: string;
}

/**
 * A phone's story in words a TAC engineer can paste into an RCA; with `installed`, when its ITL was
 * installed and under which release. Pure.
 */
export function storyText(story: PhoneStory, events: LogEvent[], installed?: Installed): string {
  const parts: string[] = [];
  for (const how of ['unplugged', 'restarting'] as const) {
    const missed = story.missed.filter((m) => m.how === how);
    if (missed.length === 0) continue;
    const what = missed.map(
      (m) =>
        `${describeEvent(events[m.event - 1]!).replace(/^set cert regen (\S+) on (\S+)$/, '$1 on $2 changed')} (event ${m.event})`,
    );
    parts.push(`${story.phone} was ${how === 'unplugged' ? 'unplugged' : 'still restarting'} when ${listed(what)}`);
  }
  if (parts.length === 0) parts.push(`${story.phone} missed no certificate change`);
  parts.push(
    story.tvs.length === 1 ? `its TVS list holds only ${story.tvs[0]}` : `its TVS list is ${story.tvs.join(', ')}`,
  );
  if (!story.itl) parts.push('it holds no ITL');
  else {
    const from =
      story.itl.origin === 'forged'
        ? `an attacker's ITL served as ${story.itl.node}`
        : story.itl.origin === 'reset'
          ? 'the reset ITL'
          : `an ITL built by ${story.itl.node}`;
    const recovery = {
      current: 'the ITLRECOVERY record of the current key',
      stale: 'an ITLRECOVERY record of a key the cluster no longer signs with',
      none: 'no ITLRECOVERY record',
    }[story.itl.itlRecovery];
    const broken = story.itl.corrupted ? ' (with a broken signature)' : '';
    parts.push(
      installed
        ? `its ITL, ${from}${broken}, was installed at event ${installed.event} under ${installed.version} and has ${recovery}`
        : `its ITL is ${from}${broken}, with ${recovery}`,
    );
  }
  return `${parts.join('; ')}.`;
}

/** A counterexample's explanation: where it violates the property and, for a phone, its story. Pure. */
export function explanationText(explanation: Explanation, events: LogEvent[]): string {
  const where = `${explanation.property} is violated at event ${explanation.event} (${describeEvent(events[explanation.event - 1]!)})`;
  return explanation.story ? `${where}: ${storyText(explanation.story, events)}` : `${where}.`;
}
