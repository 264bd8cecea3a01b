import { strict as assert } from 'node:assert';
import type { IrqSnapshot } from '../../../../src/platform/snapshot/types';
import { buildMachine } from '../../../../src/runtime/setup';
import { deviceLayouts } from '../../../../src/runtime/worker/reg-targets';
import { registersOf } from '../../../../src/runtime/worker/register-at';
import {
  accessText,
  fieldsText,
  irqErrorText,
  irqPathText,
  MAX_FIELDS_TEXT,
  repeatText,
} from '../../../../src/runtime/worker/inline-text';

describe('runtime/worker: inline texts', () => {
  const { machine: m } = buildMachine({});
  const devices = deviceLayouts(m);
  const dev = [...devices.values()][0]!;
  const pieces = (offset: number, bytes: number, value: bigint) =>
    registersOf(devices, m.memory, dev.bar0 + offset, bytes, value);

  it('decodes enumerated fields by name and single bits by name when set', () => {
    assert.equal(fieldsText(pieces(0x90, 4, 1n)[0]!), 'state=ENABLED');
    // GENCTRL: softerr_int_en (bit 0) and halt_int_en (bit 1).
    assert.equal(fieldsText(pieces(0x88, 4, 3n)[0]!), 'softerr_int_en, halt_int_en');
    assert.equal(fieldsText(pieces(0x88, 4, 0n)[0]!), '');
  });

  it("shows the first enumerated field's zero value and leaves other zero fields out", () => {
    // GENSTS = 0: state DISABLED (0) shows; reset_type 0 does not.
    assert.equal(fieldsText(pieces(0x90, 4, 0n)[0]!), 'state=DISABLED');
  });

  it('decodes only the fields an access covers', () => {
    // TABLE's low qword: grpcfg, wqcfg, msix_perm and ims offsets in 0x100 units.
    const [low] = pieces(0x60, 8, 0x0080_0003_0005_0004n);
    assert.equal(fieldsText(low!), 'grpcfg=4, wqcfg=5, msix_perm=3, ims=0x80');
    // Its high dword alone holds msix_perm and ims only.
    const [high] = pieces(0x64, 4, 0x0080_0003n);
    assert.equal(high!.name, 'TABLE[63:32]');
    assert.equal(fieldsText(high!), 'msix_perm=3, ims=0x80');
  });

  it('leaves out a field that is the whole register', () => {
    const [data] = pieces(dev.imsOffset + 8, 4, 0x22n);
    assert.equal(data!.name, 'IMS[0].data');
    assert.equal(fieldsText(data!), '');
    assert.equal(accessText([data!], true), 'IMS[0].data ← 0x22');
  });

  it('decodes a message address as the IR unit reads it (VT-d §5.1.2)', () => {
    // Remappable: handle 9 in bits 19:5, bit 4 format, bit 3 SHV.
    const [remap] = pieces(dev.imsOffset, 4, BigInt(0xfee00000 | (9 << 5) | 0x10 | 0x8));
    assert.equal(
      accessText([remap!], true),
      'IMS[0].address_lo ← 0xfee00138 (remappable, handle=9, SHV)',
    );
    // Handle bit 15 lives in address bit 2.
    const [high] = pieces(dev.imsOffset, 4, BigInt((0xfee00000 | (1 << 5) | 0x10 | 0x4) >>> 0));
    assert.equal(fieldsText(high!), 'remappable, handle=32769');
    // Compatibility: destination APIC ID in bits 19:12.
    const [compat] = pieces(dev.imsOffset, 4, BigInt(0xfee03000));
    assert.equal(fieldsText(compat!), 'compatibility, destid=3');
    // Outside the interrupt window nothing is decoded.
    assert.equal(fieldsText(pieces(dev.imsOffset, 4, 0x1000n)[0]!), '');
  });

  it('keeps the field list short and ends it with …', () => {
    const [cmdcap] = pieces(0xb0, 4, 0xffffffffn);
    const text = fieldsText(cmdcap!);
    assert.ok(text.endsWith(', …'), text);
    assert.ok(text.length <= MAX_FIELDS_TEXT + 3, text);
  });

  it('writes a read with =, a write with ←, and the value now when it differs', () => {
    const gensts = pieces(0x90, 4, 1n);
    assert.equal(accessText(gensts, false), 'GENSTS = 0x1 (state=ENABLED)');
    assert.equal(accessText(gensts, false, [1n]), 'GENSTS = 0x1 (state=ENABLED)');
    const intcause = pieces(0x98, 4, 2n);
    assert.equal(accessText(intcause, true, [0n]), 'INTCAUSE ← 0x2 (cmd) · now 0x0');
    const two = pieces(0x14, 8, 0n);
    assert.equal(two.length, 2);
    assert.match(accessText(two, false), /^GENCAP\[63:32\] = 0x0; /);
  });

  it('says how often a line made its accesses', () => {
    assert.equal(repeatText(1, 1, 64), '');
    assert.equal(repeatText(3, 1, 64), ' ×3');
    assert.equal(repeatText(8, 8, 64), ' · last of 8 accesses to 8 registers');
    assert.equal(repeatText(100, 64, 64), ' · last of 100 accesses to 64+ registers');
  });

  const irq = (over: Partial<IrqSnapshot>): IrqSnapshot =>
    ({
      irq: 33,
      domain: 'IR-PCI-IDXD-0000:6a:01.0',
      hwirq: 0,
      chip: 'PCI-IDXD',
      action: 'idxd-portal',
      device: '0000:6a:01.0',
      source: 'ims',
      index: 0,
      msg: null,
      irte: 9,
      ir: 'INTEL-IR-0',
      vector: 0x22,
      cpu: 1,
      reserved: false,
      prevVector: null,
      prevCpu: null,
      moveInProgress: false,
      state: ['IRQD_ACTIVATED'],
      count: 0,
      perCpu: [],
      unhandled: 0,
      icookie: '0x1',
      ...over,
    }) as IrqSnapshot;

  it('renders an irq path slot → IRTE → vector → CPU', () => {
    assert.equal(
      irqPathText(33, irq({}), false),
      'irq 33: IMS slot 0 → IRTE 9 → vector 0x22 → CPU 1',
    );
    assert.equal(
      irqPathText(33, irq({}), true),
      'irq 33: 6a:01.0 IMS slot 0 → IRTE 9 → vector 0x22 → CPU 1',
    );
    assert.equal(
      irqPathText(24, irq({ irq: 24, source: 'msix', irte: null, vector: 0x20, cpu: 0 }), false),
      'irq 24: MSI-X 0 → vector 0x20 → CPU 0',
    );
  });

  it('says when an irq is not activated, moving, masked or gone', () => {
    assert.equal(
      irqPathText(33, irq({ reserved: true, state: ['IRQD_IRQ_MASKED'] }), false),
      'irq 33: IMS slot 0 → IRTE 9 → not activated (vector reserved)',
    );
    assert.equal(
      irqPathText(33, irq({ moveInProgress: true, prevVector: 0x21, prevCpu: 0 }), false),
      'irq 33: IMS slot 0 → IRTE 9 → vector 0x22 → CPU 1 (moving from 0x21 on CPU 0)',
    );
    assert.equal(
      irqPathText(33, irq({ state: ['IRQD_IRQ_MASKED'] }), false),
      'irq 33: IMS slot 0 → IRTE 9 → vector 0x22 → CPU 1, masked',
    );
    assert.equal(irqPathText(33, undefined, false), 'irq 33: freed');
    assert.equal(irqErrorText('pci_ims_alloc_irq', -28), 'pci_ims_alloc_irq failed: -28');
  });
});
