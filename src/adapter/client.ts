/**
 * How the adapter's services talk to the client: the session's messages (responses, error
 * responses, events) and the client's conventions, handed to each service by the session, and
 * `forward`, which answers a request after its work or with the error that stopped it.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The session's side of the wire, as the services see it. */
export interface DapClient {
  /** Sends a response (its body set) to the client. */
  sendResponse(response: DebugProtocol.Response): void;
  /** Answers a request with an error. */
  sendErrorResponse(response: DebugProtocol.Response, message: DebugProtocol.Message): void;
  /** Sends an event to the client. */
  sendEvent(event: DebugProtocol.Event): void;
  /** A line in the client's convention (linesStartAt1) as the debugger's (1-based). */
  lineToDebugger(line: number): number;
  /** A column in the client's convention (columnsStartAt1) as the debugger's (1-based). */
  columnToDebugger(column: number): number;
  /** A debugger column (1-based) in the client's convention. */
  columnToClient(column: number): number;
  /** The client reads completion items' `start` as a 0-based index (VS Code's Debug Console). */
  completionStartsAt0: boolean;
}

/** Runs `work`, then answers `response` — or an error response with the reason. */
export async function forward(
  client: DapClient,
  response: DebugProtocol.Response,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
    client.sendResponse(response);
  } catch (e) {
    client.sendErrorResponse(response, {
      id: 1000,
      format: e instanceof Error ? e.message : String(e),
    });
  }
}
