/**
 * The adapter's own DAP requests (custom requests, `ims/…`), as data: each names the worker
 * request that answers it, the key its result goes under in the response body, and whether it
 * changes the machine (then every view is told to refresh, as after setVariable).
 */
import type { Command } from '../runtime/protocol';
import { SNAPSHOT_REQUEST } from './launch-args';
import { SVD_REQUEST } from './memory';
import { TRACE_REQUEST } from './trace-request';
import { EXPORT_REQUEST, INJECT_REQUEST, MASK_ENTRY_REQUEST, PAGE_REQUEST } from './view-requests';

export interface CustomRequest {
  /** The worker request (src/runtime/protocol.ts RequestMap) that answers it. */
  readonly worker: Command;
  /** The response body is `{ [bodyKey]: result }`. */
  readonly bodyKey: string;
  /** True when the request changes the machine: `invalidated` and `memory` events follow. */
  readonly writes?: boolean;
}

/** What the model's kernel calls did on some lines of a file, to show beside the code. */
export const INLINE_VALUES_REQUEST = 'ims/inlineValues';

export const CUSTOM_REQUESTS: Readonly<Record<string, CustomRequest>> = {
  /** One versioned platform snapshot for the views (src/platform/snapshot). */
  [SNAPSHOT_REQUEST]: { worker: 'snapshot', bodyKey: 'snapshot' },
  /** The CMSIS-SVD XML of the machine's DSA registers and IMS tables. */
  [SVD_REQUEST]: { worker: 'svd', bodyKey: 'svd' },
  /** The interrupt timeline so far, as Chrome/Perfetto trace events (trace-request.ts). */
  [TRACE_REQUEST]: { worker: 'trace', bodyKey: 'trace' },
  /** The views' requests (view-requests.ts): pages of long lists, and the views' actions. */
  [PAGE_REQUEST]: { worker: 'page', bodyKey: 'page' },
  [MASK_ENTRY_REQUEST]: { worker: 'maskEntry', bodyKey: 'result', writes: true },
  [INJECT_REQUEST]: { worker: 'inject', bodyKey: 'result', writes: true },
  [EXPORT_REQUEST]: { worker: 'exportState', bodyKey: 'export' },
  /** `{ path, startLine, endLine, frameId? }` (lines 1-based) → `{ inlineValues: InlineValues }`. */
  [INLINE_VALUES_REQUEST]: { worker: 'inlineValues', bodyKey: 'inlineValues' },
};
