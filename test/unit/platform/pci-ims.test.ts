/**
 * PCI/IMS (drivers/pci/msi/api.c and irqdomain.c, v6.2–v6.9; facts §1.11, §2.3):
 * pci_create_ims_domain's template checks, pci_ims_alloc_irq / pci_ims_free_irq, and an IMS
 * irq end to end through the IR unit.
 */
import { strict as assert } from 'node:assert';
import type { IrqData } from '../../../src/platform/irq/irqdata';
import { free_irq, request_threaded_irq } from '../../../src/platform/irq/manage';
import type { MsiDomainTemplate } from '../../../src/platform/irq/msi';
import {
  DOMAIN_BUS_PCI_DEVICE_IMS,
  DOMAIN_BUS_PCI_DEVICE_MSIX,
  ENOSPC,
  EBUSY,
  IRQ_DOMAIN_FLAG_MSI_DEVICE,
  IRQ_HANDLED,
  MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS,
  MSI_FLAG_FREE_MSI_DESCS,
  MSI_FLAG_PCI_IMS,
  MSI_SECONDARY_DOMAIN,
  type MsiMsg,
} from '../../../src/platform/irq/types';
import {
  pci_create_ims_domain,
  pci_ims_alloc_irq,
  pci_ims_free_irq,
} from '../../../src/platform/pci-msi/ims';
import { decodeIrte, remappableHandle } from '../../../src/platform/remap/irte';
import { BDF, boot, type Rig } from './rig';

/** What the test IMS chip saw, per slot. */
interface Slots {
  msg: Map<number, MsiMsg>;
  masked: Map<number, boolean>;
}

/** An IDXD-like IMS template ("PCI-IDXD"): slot = msi_index, hwirq = msi_index (facts §1.11). */
function template(slots: Slots): MsiDomainTemplate {
  const slot = (d: IrqData): number => d.common.msi_desc!.msi_index;
  return {
    chip: {
      name: 'PCI-IDXD',
      irq_mask: (d) => slots.masked.set(slot(d), true),
      irq_unmask: (d) => slots.masked.set(slot(d), false),
      irq_write_msi_msg: (d, msg) => slots.msg.set(slot(d), { ...msg }),
    },
    ops: {
      prepare_desc: (_dom, arg, desc) => {
        arg.hwirq = desc.msi_index;
      },
    },
    info: {
      flags: MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS | MSI_FLAG_PCI_IMS,
      bus_token: DOMAIN_BUS_PCI_DEVICE_IMS,
    },
  };
}

function withIms(hwsize: number, opts: { ir?: boolean } = {}): Rig & { slots: Slots } {
  const r = boot({ msix: false, ...opts });
  const slots: Slots = { msg: new Map(), masked: new Map() };
  assert.equal(pci_create_ims_domain(r.m.core, r.pdev, template(slots), hwsize, null), true);
  return { ...r, slots };
}

describe('PCI/IMS', () => {
  describe('pci_create_ims_domain', () => {
    it('creates IR-<chip name>-<bdf> as the secondary domain below INTEL-IR-0', () => {
      const slots: Slots = { msg: new Map(), masked: new Map() };
      const t = template(slots);
      const r = boot({ msix: false });
      assert.equal(pci_create_ims_domain(r.m.core, r.pdev, t, 16, null), true);
      const dd = r.pdev.msiDomains[MSI_SECONDARY_DOMAIN]!;
      assert.equal(dd.domain.name, `IR-PCI-IDXD-${BDF}`);
      assert.deepEqual(
        dd.domain.chain().map((d) => d.name),
        [`IR-PCI-IDXD-${BDF}`, 'INTEL-IR-0', 'VECTOR'],
      );
      assert.equal(dd.domain.flags & IRQ_DOMAIN_FLAG_MSI_DEVICE, IRQ_DOMAIN_FLAG_MSI_DEVICE);
      assert.equal(dd.domain.hwsize, 16);
      assert.equal(t.chip.name, 'PCI-IDXD', 'the template is not changed');
      assert.ok(r.m.core.domains.includes(dd.domain));
    });

    it('names it PCI-IDXD-<bdf> below VECTOR without interrupt remapping', () => {
      const r = withIms(4, { ir: false });
      assert.equal(r.pdev.msiDomains[MSI_SECONDARY_DOMAIN]!.domain.name, `PCI-IDXD-${BDF}`);
    });

    it('refuses a second IMS domain for the device', () => {
      const r = withIms(4);
      const again = template({ msg: new Map(), masked: new Map() });
      assert.equal(pci_create_ims_domain(r.m.core, r.pdev, again, 4, null), false);
    });

    const malformed: [string, (t: MsiDomainTemplate) => void, RegExp][] = [
      [
        'a bus token other than DOMAIN_BUS_PCI_DEVICE_IMS',
        (t) => (t.info.bus_token = DOMAIN_BUS_PCI_DEVICE_MSIX),
        /bus_token/,
      ],
      [
        'flags without MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS',
        (t) => (t.info.flags &= ~MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS),
        /MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS/,
      ],
      [
        'flags without MSI_FLAG_FREE_MSI_DESCS',
        (t) => (t.info.flags &= ~MSI_FLAG_FREE_MSI_DESCS),
        /MSI_FLAG_FREE_MSI_DESCS/,
      ],
      ['no irq_mask', (t) => delete t.chip.irq_mask, /irq_mask/],
      ['no irq_unmask', (t) => delete t.chip.irq_unmask, /irq_unmask/],
      ['no irq_write_msi_msg', (t) => delete t.chip.irq_write_msi_msg, /irq_write_msi_msg/],
      ['an irq_set_affinity', (t) => (t.chip.irq_set_affinity = () => 0), /irq_set_affinity/],
    ];
    for (const [what, spoil, reason] of malformed) {
      it(`refuses a template with ${what}, saying why in the kernel log`, () => {
        const r = boot({ msix: false });
        const t = template({ msg: new Map(), masked: new Map() });
        spoil(t);
        assert.equal(pci_create_ims_domain(r.m.core, r.pdev, t, 8, null), false);
        assert.equal(r.pdev.msiDomains[MSI_SECONDARY_DOMAIN], undefined);
        const line = r.log().find((l) => l.startsWith('pci_create_ims_domain: '));
        assert.ok(line, r.log().join('\n'));
        assert.ok(line.includes(BDF));
        assert.match(line, reason);
      });
    }

    it('refuses a device without an MSI parent domain', () => {
      const r = boot({ msix: false });
      r.pdev.msiParent = null;
      const t = template({ msg: new Map(), masked: new Map() });
      assert.equal(pci_create_ims_domain(r.m.core, r.pdev, t, 8, null), false);
      assert.ok(r.log().some((l) => l.startsWith('pci_create_ims_domain: ')));
    });
  });

  describe('pci_ims_alloc_irq / pci_ims_free_irq', () => {
    it('allocates the first free index, stores the cookie, and -EBUSY when hwsize is used up (xa_alloc)', () => {
      const r = withIms(3);
      const maps = [0x11, 0x22, 0x33].map((pasid) =>
        pci_ims_alloc_irq(r.m.core, r.pdev, { value: pasid }),
      );
      assert.deepEqual(
        maps.map((m) => m.index),
        [0, 1, 2],
      );
      for (const m of maps) assert.ok(m.virq > 0);
      assert.equal(new Set(maps.map((m) => m.virq)).size, 3);
      const desc = r.m.core.irq_to_desc(maps[1]!.virq)!.irq_data.common.msi_desc!;
      assert.equal(desc.msi_index, 1);
      assert.equal(desc.data.icookie.value, 0x22);
      assert.equal(r.m.core.irq_to_desc(maps[2]!.virq)!.irq_data.hwirq, 2, 'hwirq = IMS slot');
      assert.deepEqual(pci_ims_alloc_irq(r.m.core, r.pdev, 0x44), { index: -EBUSY, virq: 0 });
      // Freeing index 1 makes it the first free one again.
      pci_ims_free_irq(r.m.core, r.pdev, maps[1]!);
      assert.equal(r.m.core.irq_to_desc(maps[1]!.virq), undefined);
      const again = pci_ims_alloc_irq(r.m.core, r.pdev, 0x55);
      assert.equal(again.index, 1);
      assert.equal(
        r.m.core.irq_to_desc(again.virq)!.irq_data.common.msi_desc!.data.icookie.value,
        0x55,
      );
    });

    it('warns for a bad map and frees nothing', () => {
      const r = withIms(2);
      const good = pci_ims_alloc_irq(r.m.core, r.pdev, 1);
      for (const bad of [
        { index: -ENOSPC, virq: 0 },
        { index: 0, virq: 0 },
        { index: -1, virq: good.virq },
      ]) {
        pci_ims_free_irq(r.m.core, r.pdev, bad);
        assert.ok(
          r
            .log()
            .includes(
              `WARNING: pci_ims_free_irq: invalid map {index: ${bad.index}, virq: ${bad.virq}}`,
            ),
        );
      }
      assert.ok(r.m.core.irq_to_desc(good.virq), 'the good irq is still there');
      assert.equal(r.pdev.msiDomains[MSI_SECONDARY_DOMAIN]!.descs.size, 1);
    });

    it('returns an error map without an IMS domain', () => {
      const r = boot({ msix: false });
      const map = pci_ims_alloc_irq(r.m.core, r.pdev, 0);
      assert.ok(map.index < 0);
      assert.equal(map.virq, 0);
    });
  });

  describe('an IMS irq end to end', () => {
    it('request_irq writes a remappable message to the slot and unmasks it; it delivers', () => {
      const r = withIms(8);
      pci_ims_alloc_irq(r.m.core, r.pdev, 0);
      const map = pci_ims_alloc_irq(r.m.core, r.pdev, 0);
      const calls: number[] = [];
      assert.equal(
        request_threaded_irq(
          r.m.core,
          map.virq,
          (n) => (calls.push(n), IRQ_HANDLED),
          null,
          0,
          'ims',
          'dev',
        ),
        0,
      );
      const msg = r.slots.msg.get(1)!;
      assert.equal(r.slots.masked.get(1), false);
      assert.equal((msg.address_lo >>> 4) & 1, 1, 'remappable format');
      const index = remappableHandle(msg.address_lo) + (msg.data & 0xffff);
      const irte = decodeIrte(r.m.ir[0]!.unit.readIrte(index));
      const a = r.m.vector.apicd(r.m.core.irq_to_desc(map.virq)!.irq_data)!;
      assert.deepEqual(
        [irte.p, irte.vector, irte.dst, irte.sid, irte.svt],
        [1, a.vector, a.hw_irq_cfg.dest_apicid, r.pdev.requesterId, 1],
      );
      // The device writes the slot's message.
      const id = r.m.fabric.raise(r.m.fabric.origin(BDF, r.pdev.requesterId, 'ims', 1), 0);
      r.m.fabric.send(id, msg.address_lo, msg.address_hi, msg.data);
      r.m.dispatch();
      assert.deepEqual(calls, [map.virq]);
      const ev = r.m.trace.lastEventOf(id)!;
      assert.equal(
        ev.path,
        `IMS slot 1 of ${BDF} → IRTE ${index} → vector ${'0x' + a.vector.toString(16)} → CPU ${a.cpu} (irq ${map.virq})`,
      );
      // free_irq masks the slot and clears the IRTE; the vector stays with the irq (no
      // reservation mode for IMS), so requesting it again finds the same vector and CPU.
      const before = [a.vector, a.cpu];
      free_irq(r.m.core, map.virq, 'dev');
      assert.equal(r.slots.masked.get(1), true);
      assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(index)).p, 0);
      assert.equal(r.m.vector.matrix.isAllocated(before[1]!, before[0]!), true);
      request_threaded_irq(r.m.core, map.virq, () => IRQ_HANDLED, null, 0, 'ims', 'dev');
      assert.deepEqual([a.vector, a.cpu], before);
      assert.equal(decodeIrte(r.m.ir[0]!.unit.readIrte(index)).vector, before[0]);
    });
  });
});
