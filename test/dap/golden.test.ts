/**
 * Golden DAP transcript: a debugging scenario rendered to text (stopped events, stacks, locals,
 * the IMS slot scope, outputs) and compared with a checked-in file. The platform is
 * deterministic, so the transcript is exact; set UPDATE_GOLDEN=1 to rewrite it after an
 * intended change, and review the diff.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLE, ROOT, launch, lineOf, startClient, vars } from './harness';

const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'golden', 'completion-handler.golden.txt');

async function renderStop(
  dc: DebugClient,
  ev: DebugProtocol.StoppedEvent,
  out: string[],
): Promise<void> {
  const b = ev.body;
  out.push(`stopped: reason=${b.reason} thread=${b.threadId} description=${b.description ?? '-'}`);
  const st = await dc.stackTraceRequest({ threadId: b.threadId! });
  for (const f of st.body.stackFrames)
    out.push(
      `  frame: ${f.name}${f.source ? ` (${path.basename(f.source.path!)}:${f.line})` : ''}`,
    );
  const scopes = (await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id })).body.scopes;
  out.push(`  scopes: ${scopes.map((s) => s.name).join(' | ')}`);
  for (const [name, v] of await vars(dc, scopes[0]!.variablesReference))
    out.push(`  local ${name} = ${v.value}`);
  const ims = scopes.find((s) => s.name.startsWith('IMS slots'))!;
  for (const [name, v] of await vars(dc, ims.variablesReference)) {
    out.push(`  ${name}: ${v.value}`);
    for (const [field, f] of await vars(dc, v.variablesReference))
      out.push(`    ${field} = ${f.value}`);
  }
  const apic = scopes.find((s) => s.name.endsWith('APIC'))!;
  for (const [name, v] of await vars(dc, apic.variablesReference))
    out.push(`  apic ${name} = ${v.value}`);
}

describe('DAP golden transcript', () => {
  it('matches test/fixtures/golden/completion-handler.golden.txt', async () => {
    const dc = await startClient();
    const out: string[] = [];
    const outputs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      outputs.push(e.body.output);
    });
    try {
      const line = lineOf(EXAMPLE, 'const status = wq.comp[0] & DSA_COMP_STATUS_MASK;');
      let stopped = dc.waitForEvent('stopped');
      await launch(dc, { program: EXAMPLE }, () =>
        dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [{ line }] }),
      );
      for (let hit = 0; hit < 2; hit++) {
        const ev = (await stopped) as DebugProtocol.StoppedEvent;
        await renderStop(dc, ev, out);
        stopped = dc.waitForEvent('stopped');
        if (hit === 0) await dc.continueRequest({ threadId: ev.body.threadId! });
      }
      const ended = dc.waitForEvent('terminated');
      await dc.setBreakpointsRequest({ source: { path: EXAMPLE }, breakpoints: [] });
      await dc.continueRequest({ threadId: 1 });
      await ended;
      out.push('output:');
      for (const o of outputs.join('').split('\n')) if (o.trim()) out.push(`  ${o}`);
    } finally {
      await dc.stop();
    }
    const text = out.join('\n') + '\n';
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    assert.equal(text, readFileSync(GOLDEN, 'utf8'));
  });
});
