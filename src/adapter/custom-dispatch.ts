/**
 * Answers the adapter's custom requests (`ims/…`, the table in custom-requests.ts) through the
 * worker request each names; after one that changes the machine, the views refresh.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { forward, type DapClient } from './client';
import { CUSTOM_REQUESTS } from './custom-requests';
import type { RuntimeHost } from './runtime-host';
import type { ViewRefresh } from './view-refresh';

/** The session's `customRequest` handler. */
export class CustomDispatch {
  constructor(
    private readonly client: DapClient,
    private readonly host: RuntimeHost,
    private readonly refresh: ViewRefresh,
  ) {}

  /** Answers `command`, or an error response for a command the adapter does not know. */
  async request(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const spec = Object.hasOwn(CUSTOM_REQUESTS, command) ? CUSTOM_REQUESTS[command] : undefined;
    if (spec === undefined) {
      this.client.sendErrorResponse(response, { id: 1010, format: `unknown request ${command}` });
      return;
    }
    await forward(this.client, response, async () => {
      const result = await this.host.rt().request(spec.worker, args ?? {});
      response.body = { [spec.bodyKey]: result };
      if (spec.writes === true) this.refresh.written(null);
    });
  }
}
