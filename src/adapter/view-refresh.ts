/**
 * What follows a write from the debugger (setVariable, setExpression, writeMemory, a view's
 * action): every view refreshes — `invalidated` for the variables and custom views, and `memory`
 * events for the open memory views the write may have changed.
 */
import { InvalidatedEvent } from '@vscode/debugadapter';
import type { DapClient } from './client';
import type { MemoryViews } from './memory';

/** What a write may have changed (null: unknown, e.g. an assignment that ran model code). */
export type WriteRange = { address: number; size: number } | null;

/** Sends the refresh events after a write. */
export class ViewRefresh {
  constructor(
    private readonly client: DapClient,
    private readonly memoryViews: MemoryViews,
  ) {}

  /** After a write from the debugger: every view refreshes (variables, custom views, memory). */
  written(changed: WriteRange | undefined): void {
    this.client.sendEvent(new InvalidatedEvent(['variables']));
    for (const ev of this.memoryViews.events(changed)) this.client.sendEvent(ev);
  }
}
