/**
 * The session's services, wired together: each answers one group of requests (session.ts hands
 * every request to one of them), and they share the model worker (runtime-host.ts), the way to
 * the client (client.ts), the replays of step back, and the views' refresh after a write.
 */
import { TimeTravel } from '../runtime/replay';
import { Breakpoints } from './breakpoints';
import type { DapClient } from './client';
import { CustomDispatch } from './custom-dispatch';
import { Execution } from './execution';
import { Inspection } from './inspection';
import { Lifecycle } from './lifecycle';
import { toOutputEvent } from './mapping';
import { MemoryViews } from './memory';
import { MemoryRequests } from './memory-requests';
import { RuntimeEvents } from './runtime-events';
import { RuntimeHost } from './runtime-host';
import { ViewRefresh } from './view-refresh';

/** The services a session dispatches to. */
export interface Services {
  readonly lifecycle: Lifecycle;
  readonly breakpoints: Breakpoints;
  readonly execution: Execution;
  readonly inspection: Inspection;
  readonly memory: MemoryRequests;
  readonly custom: CustomDispatch;
}

/**
 * The services of one session.
 * @param client the session's messages and the client's conventions
 * @param workerScript the bundled worker's path, read each time a worker is created
 */
export function createServices(client: DapClient, workerScript: () => string): Services {
  const host = new RuntimeHost(workerScript, (ev) => events.forward(ev));
  const breakpoints = new Breakpoints(client, host);
  // Step back and reverse continue: replays in a fresh worker (src/runtime/replay.ts).
  const timeTravel = new TimeTravel(
    () => host.replica(),
    (rt) => breakpoints.configure(rt),
    (text) =>
      client.sendEvent(toOutputEvent({ type: 'output', category: 'console', text: text + '\n' })),
  );
  const events = new RuntimeEvents(client, timeTravel);
  const memoryViews = new MemoryViews();
  const refresh = new ViewRefresh(client, memoryViews);
  return {
    lifecycle: new Lifecycle(client, host, timeTravel, breakpoints, memoryViews),
    breakpoints,
    execution: new Execution(client, host, timeTravel),
    inspection: new Inspection(client, host, refresh),
    memory: new MemoryRequests(client, host, memoryViews, refresh),
    custom: new CustomDispatch(client, host, refresh),
  };
}
