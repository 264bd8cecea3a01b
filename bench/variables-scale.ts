/**
 * Stop → Variables view at scale: `bench/models/many-ims.js` on 8 DSAs and 64 CPUs (every DSA
 * with all 2,048 IMS slots allocated, and all 65,536 IRTEs of the IR table in use), stepped with
 * `next` through the stdio adapter. Each stop is timed from the `stopped` event to the first page
 * of every platform scope read, as VS Code reads them when the scopes are open: `stackTrace`,
 * `scopes` of the top frame, then for each platform scope (hint `registers`) a `variables`
 * request — for a scope that reports `indexedVariables`, the first page
 * (`filter: 'indexed', start: 0, count: 100`, the chunk VS Code shows first), else its children.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchManyIms, median, percentile } from './adapter-client';

export interface VariablesScaleResult {
  stops: number;
  p50: number;
  p90: number;
  /** Medians of the parts: stackTrace + scopes, then the variables of every platform scope. */
  scopesMs: number;
  variablesMs: number;
  /** Platform scopes read per stop, variables they returned, and bytes of those responses. */
  scopes: number;
  variables: number;
  bytes: number;
  /** Rows the paged scopes hold in all (IMS slots, MSI-X entries, IRTEs). */
  indexed: number;
}

/** Rows of a chunk VS Code shows first under a scope with indexed variables. */
const PAGE = 100;

/** The first page of `scope` as VS Code asks for it. */
function firstPage(
  dc: DebugClient,
  scope: DebugProtocol.Scope,
): Promise<DebugProtocol.VariablesResponse> {
  const n = scope.indexedVariables ?? 0;
  return n > 0
    ? dc.variablesRequest({
        variablesReference: scope.variablesReference,
        filter: 'indexed',
        start: 0,
        count: Math.min(PAGE, n),
      })
    : dc.variablesRequest({ variablesReference: scope.variablesReference });
}

export async function variablesScale(root: string, stops: number): Promise<VariablesScaleResult> {
  const dc = await launchManyIms(root);
  try {
    const totals: number[] = [];
    const scopesMs: number[] = [];
    const variablesMs: number[] = [];
    let counts = { scopes: 0, variables: 0, bytes: 0, indexed: 0 };
    const warmup = 5;
    for (let i = 0; i < stops + warmup; i++) {
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId: 1 });
      const ev = (await stopped) as DebugProtocol.StoppedEvent;
      const t0 = performance.now();
      const st = await dc.stackTraceRequest({ threadId: ev.body.threadId!, levels: 20 });
      const sc = await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
      const platform = sc.body.scopes.filter((s) => s.presentationHint === 'registers');
      const t1 = performance.now();
      const pages = await Promise.all(platform.map((s) => firstPage(dc, s)));
      const t2 = performance.now();
      if (i >= warmup) {
        totals.push(t2 - t0);
        scopesMs.push(t1 - t0);
        variablesMs.push(t2 - t1);
      }
      counts = {
        scopes: platform.length,
        variables: pages.reduce((n, p) => n + p.body.variables.length, 0),
        bytes: pages.reduce((n, p) => n + JSON.stringify(p.body).length, 0),
        indexed: platform.reduce((n, s) => n + (s.indexedVariables ?? 0), 0),
      };
    }
    return {
      stops,
      p50: median(totals),
      p90: percentile(totals, 0.9),
      scopesMs: median(scopesMs),
      variablesMs: median(variablesMs),
      ...counts,
    };
  } finally {
    await dc.stop();
  }
}
