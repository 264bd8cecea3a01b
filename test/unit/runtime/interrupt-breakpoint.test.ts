import { strict as assert } from 'node:assert';
import {
  matchesInterrupt,
  parseInterruptBreakpoint,
} from '../../../src/runtime/interrupt-breakpoint';
import type { InterruptEnv } from '../../../src/runtime/worker/filters';

const env = (o: Partial<InterruptEnv>): InterruptEnv => ({
  vector: null,
  cpu: null,
  virq: null,
  hwirq: null,
  slot: null,
  index: null,
  source: null,
  bdf: null,
  irte: null,
  pasid: null,
  fault: null,
  ...o,
});

describe('runtime: named interrupt breakpoints', () => {
  it('parses every documented form, hex or decimal, any case and spacing', () => {
    assert.deepEqual(parseInterruptBreakpoint('vector 0x41'), { kind: 'vector', value: 0x41 });
    assert.deepEqual(parseInterruptBreakpoint('Vector 65 @ CPU 2'), {
      kind: 'vector',
      value: 65,
      cpu: 2,
    });
    assert.deepEqual(parseInterruptBreakpoint('vector 0x41@cpu2'), {
      kind: 'vector',
      value: 0x41,
      cpu: 2,
    });
    assert.deepEqual(parseInterruptBreakpoint('ims 3'), { kind: 'ims', value: 3 });
    assert.deepEqual(parseInterruptBreakpoint('ims 0000:6a:01.0/3'), {
      kind: 'ims',
      value: 3,
      bdf: '0000:6a:01.0',
    });
    assert.deepEqual(parseInterruptBreakpoint('msix 1'), { kind: 'msix', value: 1 });
    assert.deepEqual(parseInterruptBreakpoint('irte 17'), { kind: 'irte', value: 17 });
    assert.deepEqual(parseInterruptBreakpoint('irte 1:0x11'), { kind: 'irte', value: 17, unit: 1 });
    assert.deepEqual(parseInterruptBreakpoint('virq 45'), { kind: 'virq', value: 45 });
    assert.deepEqual(parseInterruptBreakpoint('irq 45'), { kind: 'virq', value: 45 });
    assert.deepEqual(parseInterruptBreakpoint('fault'), { kind: 'fault' });
    assert.deepEqual(parseInterruptBreakpoint('fault 0x22'), { kind: 'fault', value: 0x22 });
  });

  it('refuses what does not parse, or is out of range, saying what it expects', () => {
    assert.throws(
      () => parseInterruptBreakpoint('idxd_wq_completion_handler'),
      /is not an interrupt breakpoint: use vector 0x41\[@cpu2\], ims/,
    );
    assert.throws(() => parseInterruptBreakpoint('vector 0x100'), /device vectors are 0x10–0xff/);
    assert.throws(() => parseInterruptBreakpoint('vector 3'), /device vectors/);
    assert.throws(() => parseInterruptBreakpoint('fault 0x3'), /fault reasons are 0x20–0x27/);
    assert.throws(() => parseInterruptBreakpoint('ims 6a:01.0/3'), /not an interrupt breakpoint/);
    assert.throws(() => parseInterruptBreakpoint('vector 0x41@cpu99'), /at most 64 CPUs/);
  });

  it('matches deliveries by vector and CPU, source and device, IRTE and unit, and irq', () => {
    const taken = env({
      vector: 0x41,
      cpu: 2,
      virq: 45,
      source: 'ims',
      index: 3,
      bdf: '0000:6a:01.0',
      irte: 17,
    });
    const m = (name: string, unit: number | null = 0): boolean =>
      matchesInterrupt(parseInterruptBreakpoint(name), taken, unit);
    assert.ok(
      m('vector 0x41') && m('vector 0x41@cpu2') && !m('vector 0x41@cpu1') && !m('vector 0x42'),
    );
    assert.ok(
      m('ims 3') &&
        m('ims 0000:6a:01.0/3') &&
        !m('ims 0000:6f:01.0/3') &&
        !m('msix 3') &&
        !m('ims 4'),
    );
    assert.ok(m('irte 17') && m('irte 0:17') && !m('irte 1:17') && !m('irte 18'));
    assert.ok(m('virq 45') && !m('virq 46'));
    assert.ok(!m('fault'), 'a delivery is not a fault');
  });

  it('matches faults with or without a reason', () => {
    const fault = env({ fault: 0x22, irte: 9, source: 'msix', index: 0 });
    assert.ok(matchesInterrupt(parseInterruptBreakpoint('fault'), fault, 0));
    assert.ok(matchesInterrupt(parseInterruptBreakpoint('fault 0x22'), fault, 0));
    assert.ok(!matchesInterrupt(parseInterruptBreakpoint('fault 0x26'), fault, 0));
  });
});
