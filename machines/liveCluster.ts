import { createActor, type AnyActorRef, type InspectionEvent, type Observer } from 'xstate';
import type { LogEvent } from '../model/events.ts';
import { shownSteps, type Replay } from './replay.ts';
import { clusterLive, nodeLive, phoneLive } from './liveMachines.ts';
import { clusterView, logEventView, nodeView, phoneView } from './liveViews.ts';

/** The ids of the live actors: `cluster`, `node:<id>`, `phone:<id>`. */
export const liveId = { cluster: 'cluster', node: (id: string) => `node:${id}`, phone: (id: string) => `phone:${id}` };

/**
 * Plays a replay through live actors so an inspector can watch it: the cluster actor receives every log
 * event; each node and phone gets an actor when it appears and an event whenever the replay changed it.
 * Needs the replay's contexts (`keepContexts: true`). Every actor is stopped at the end.
 */
export function runLive(events: LogEvent[], result: Replay, inspect: Observer<InspectionEvent>): void {
  // Automatic restarts still under way at the end of the log end after it (A14): one more step, a `clock` event.
  const { reports, contexts } = shownSteps(result);
  const views = contexts.map(clusterView);
  const cluster = createActor(
    clusterLive(views, clusterView({ cluster: null, events: 0, last: null, options: { holdTimer: true } })),
    { id: liveId.cluster, inspect },
  ).start();
  const actors = new Map<string, { ref: AnyActorRef; json: string }>();
  const sync = (id: string, json: string, start: () => AnyActorRef, send: (ref: AnyActorRef) => void) => {
    const known = actors.get(id);
    if (!known) actors.set(id, { ref: start(), json });
    else if (known.json !== json) {
      send(known.ref);
      known.json = json;
    }
  };
  contexts.forEach((context, i) => {
    const report = reports[i]!;
    cluster.send(report.type === 'clock' ? { type: 'clock', at: report.at } : logEventView(events[i]!));
    const state = context.cluster;
    if (!state) return;
    const cause = `#${i + 1} ${report.type}`;
    for (const n of state.nodes) {
      const node = nodeView(state, n, report.at);
      sync(
        liveId.node(n.id),
        JSON.stringify(node),
        () => createActor(nodeLive, { id: liveId.node(n.id), input: node, inspect }).start(),
        (ref) => ref.send({ type: 'CHANGED', event: i + 1, cause, node }),
      );
    }
    for (const p of state.phones) {
      const phone = phoneView(state, p);
      const type = report.booted.includes(p.id) ? 'BOOT' : 'CHANGED';
      sync(
        liveId.phone(p.id),
        JSON.stringify(phone),
        () => createActor(phoneLive, { id: liveId.phone(p.id), input: phone, inspect }).start(),
        (ref) => ref.send({ type, event: i + 1, cause, phone }),
      );
    }
  });
  for (const { ref } of actors.values()) ref.stop();
  cluster.stop();
}
