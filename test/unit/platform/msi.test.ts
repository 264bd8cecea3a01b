/**
 * Per-device MSI domains (kernel/irq/msi.c msi_create_device_irq_domain; facts §2.3–§2.5): names
 * "<parent prefix><chip name>-<dev>", the hierarchy below INTEL-IR or VECTOR, hwirqs per level,
 * and the message written at activation.
 */
import { strict as assert } from 'node:assert';
import { request_threaded_irq } from '../../../src/platform/irq/manage';
import { msi_domain_alloc_irq_at } from '../../../src/platform/irq/msi';
import {
  IRQ_DOMAIN_FLAG_MSI,
  IRQ_DOMAIN_FLAG_MSI_DEVICE,
  IRQ_HANDLED,
  MSI_DEFAULT_DOMAIN,
} from '../../../src/platform/irq/types';
import { remappableHandle } from '../../../src/platform/remap/irte';
import { DOORBELL_BAR0, TABLE_OFFSET } from '../support/doorbell-device';
import { BDF, boot } from './rig';

describe('MSI device domains', () => {
  it('names the MSI-X domain IR-PCI-MSIX-<bdf> below INTEL-IR-0 and VECTOR', () => {
    const r = boot();
    const dd = r.pdev.msiDomains[MSI_DEFAULT_DOMAIN]!;
    assert.equal(dd.domain.name, `IR-PCI-MSIX-${BDF}`);
    assert.deepEqual(
      dd.domain.chain().map((d) => d.name),
      [`IR-PCI-MSIX-${BDF}`, 'INTEL-IR-0', 'VECTOR'],
    );
    assert.equal(dd.info.chip.name, `IR-PCI-MSIX-${BDF}`, 'the chip takes the domain name');
    const flags = IRQ_DOMAIN_FLAG_MSI | IRQ_DOMAIN_FLAG_MSI_DEVICE;
    assert.equal(dd.domain.flags & flags, flags);
    assert.equal(dd.domain.hwsize, 8, 'the MSI-X table size');
    assert.equal(dd.domain.dev, BDF);
  });

  it('names it PCI-MSIX-<bdf> directly below VECTOR without interrupt remapping', () => {
    const r = boot({ ir: false });
    const dd = r.pdev.msiDomains[MSI_DEFAULT_DOMAIN]!;
    assert.deepEqual(
      dd.domain.chain().map((d) => d.name),
      [`PCI-MSIX-${BDF}`, 'VECTOR'],
    );
  });

  it('gives each level its hwirq: MSI-X index, IRTE index << 16 + subhandle, virq', () => {
    const r = boot();
    const irq = r.irq(5);
    const top = r.m.core.irq_to_desc(irq)!.irq_data;
    const ir = top.parent_data!;
    const vec = ir.parent_data!;
    assert.equal(top.hwirq, 5);
    assert.equal(ir.domain.name, 'INTEL-IR-0');
    assert.equal(ir.hwirq & 0xffff, 0, 'subhandle 0');
    assert.equal(vec.hwirq, irq);
    assert.equal(vec.parent_data, null);
    // Each domain maps its hwirq back to its level.
    assert.equal(top.domain.revmap.get(5), top);
    assert.equal(ir.domain.revmap.get(ir.hwirq), ir);
  });

  it("writes a remappable message naming the irq's IRTE at activation", () => {
    const r = boot();
    const irq = r.irq(2);
    const ir = r.m.core.irq_to_desc(irq)!.irq_data.parent_data!;
    const lo = r.m.memory.read32(DOORBELL_BAR0 + TABLE_OFFSET + 2 * 16);
    assert.equal((lo >>> 4) & 1, 1, 'remappable format');
    assert.equal(remappableHandle(lo), ir.hwirq >>> 16);
    assert.equal(r.m.memory.read32(DOORBELL_BAR0 + TABLE_OFFSET + 2 * 16 + 4), 0);
  });

  it('writes a compatibility-format message without interrupt remapping', () => {
    const r = boot({ ir: false, cpus: 4 });
    const irq = r.irq(1);
    let runs = 0;
    request_threaded_irq(r.m.core, irq, () => (runs++, IRQ_HANDLED), null, 0, 'x', null);
    const a = r.m.vector.apicd(r.m.core.irq_to_desc(irq)!.irq_data)!;
    const entry = DOORBELL_BAR0 + TABLE_OFFSET + 16;
    assert.equal(r.m.memory.read32(entry), (0xfee00000 | (a.hw_irq_cfg.dest_apicid << 12)) >>> 0);
    assert.equal(r.m.memory.read32(entry + 8), a.vector);
    r.ring(1);
    assert.equal(runs, 1);
  });

  it('refuses an index that is allocated already or out of range', () => {
    const r = boot();
    assert.equal(msi_domain_alloc_irq_at(r.m.core, r.pdev, MSI_DEFAULT_DOMAIN, 3, 0).virq, 0);
    assert.ok(msi_domain_alloc_irq_at(r.m.core, r.pdev, MSI_DEFAULT_DOMAIN, 3, 0).index < 0);
    assert.ok(msi_domain_alloc_irq_at(r.m.core, r.pdev, MSI_DEFAULT_DOMAIN, 8, 0).index < 0);
  });
});
