import { strict as assert } from 'node:assert';
import { RenderContext } from '../../../src/extension/model/context';
import { renderText } from '../../../src/extension/model/node';
import { imsSlotsView } from '../../../src/extension/views/ims-slots';
import { remappingView } from '../../../src/extension/views/remapping';
import type { PlatformSnapshot } from '../../../src/platform/snapshot/types';
import { exampleHandlerStops } from './stops';

/**
 * The example's snapshot grown to a full IR table (65,536 IRTEs) and a full IMS store (2,048
 * slots in use), by repeating its real entries at new indices: the views must stay lazy.
 */
function grown(s: PlatformSnapshot): PlatformSnapshot {
  const unit = s.ir[0]!;
  const irte = unit.irtes.at(-1)!;
  const dsa = s.devices[0]!.dsa!;
  const slot = dsa.ims.inUse[0]!;
  return {
    ...s,
    ir: [
      {
        ...unit,
        irtes: Array.from({ length: 65536 }, (_, index) => ({ ...irte, index, irq: null })),
        irteCount: 65536,
      },
    ],
    devices: [
      {
        ...s.devices[0]!,
        imsInUseCount: dsa.ims.slots,
        dsa: {
          ...dsa,
          ims: {
            ...dsa.ims,
            inUse: Array.from({ length: dsa.ims.slots }, (_, i) => ({ ...slot, slot: i })),
          },
        },
      },
    ],
  };
}

describe('views: large tables', function () {
  this.timeout(60_000);

  it('render one page of 65,536 IRTEs and 2,048 IMS slots quickly, twice with highlights', () => {
    const big = grown(exampleHandlerStops().second);
    const prev = grown(exampleHandlerStops().first);
    const t0 = performance.now();
    const ctx = new RenderContext(big, prev, { format: 'hex' });
    const ir = renderText(remappingView(ctx), 3).split('\n');
    const ims = renderText(imsSlotsView(ctx), 2).split('\n');
    const ms = performance.now() - t0;
    assert.ok(ir.length < 150, `IR rows ${ir.length}`);
    assert.ok(ir.some((l) => l.includes('Show 100 more — 65,436 of 65,536 not shown')));
    assert.ok(ims.length < 110, `IMS rows ${ims.length}`);
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });
});
