/**
 * The kernel's function-reset path (drivers/pci/pci.c v6.15): pci_save_state /
 * pci_restore_state (config dwords, Device Control, the MSI-X table from the descriptors),
 * pcie_flr, pcie_reset_flr and pci_reset_function with the driver's reset_prepare/reset_done.
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../../src/platform/machine/config';
import { deviceFactories } from '../../../../src/platform/machine/devices';
import { kernelFor } from '../../../../src/runtime/kernel/index';
import type { PciDev } from '../../../../src/platform/pci-msi/pcidev';
import * as R from '../../../../src/platform/pci/regs';

/** The part of the model-facing API these tests call. */
interface Api {
  module_pci_driver(drv: unknown): void;
  PCI_DEVICE(vendor: number, device: number): unknown;
  pcim_enable_device(p: PciDev): number;
  pcim_iomap(p: PciDev, bar: number, maxlen: number): number;
  pci_set_master(p: PciDev): void;
  pci_msix_vec_count(p: PciDev): number;
  pci_alloc_irq_vectors(p: PciDev, min: number, max: number, flags: number): number;
  pci_irq_vector(p: PciDev, nr: number): number;
  request_threaded_irq(
    irq: number,
    handler: null,
    thread: () => number,
    flags: number,
    name: string,
    dev: unknown,
  ): number;
  readl(addr: number): number;
  writel(v: number, addr: number): void;
  pci_save_state(p: PciDev): number;
  pci_restore_state(p: PciDev): void;
  pcie_flr(p: PciDev): number;
  pcie_reset_flr(p: PciDev, probe: boolean): number;
  pci_reset_function(p: PciDev): number;
  IRQ_HANDLED: number;
  ENOTTY: number;
}

const IDXD_CMD_OFFSET = 0xa0;
const IDXD_CMDSTS_OFFSET = 0xa8;
const IDXD_GENSTS_OFFSET = 0x90;
const CMD_ENABLE_DEVICE = 1;
const INT_REQ = 0x80000000;

interface Bound {
  m: Machine;
  api: Api;
  pdev: PciDev;
  reg: number;
  calls: string[];
  misc: number[];
}

/** Boots the default machine and binds a small DSA driver: MSI-X, a misc handler. */
function bind(errHandler: boolean): Bound {
  const m = new Machine(defaultMachineConfig(), deviceFactories);
  const api = kernelFor(m).api as unknown as Api;
  const calls: string[] = [];
  const misc: number[] = [];
  let pdev: PciDev | undefined;
  let reg = 0;
  api.module_pci_driver({
    name: 'flrtest',
    id_table: [api.PCI_DEVICE(0x8086, 0x0b25)],
    probe: (p: PciDev) => {
      pdev = p;
      api.pcim_enable_device(p);
      reg = api.pcim_iomap(p, 0, 0);
      api.pci_set_master(p);
      const n = api.pci_msix_vec_count(p);
      assert.equal(api.pci_alloc_irq_vectors(p, n, n, 4), n);
      const irq = api.pci_irq_vector(p, 0);
      const rc = api.request_threaded_irq(
        irq,
        null,
        () => {
          misc.push(m.clock.now);
          api.writel(api.readl(reg + 0x98), reg + 0x98);
          return api.IRQ_HANDLED;
        },
        0,
        'misc',
        p,
      );
      assert.equal(rc, 0);
      return 0;
    },
    ...(errHandler
      ? {
          err_handler: {
            reset_prepare: (p: PciDev) => {
              calls.push(`prepare cmd=${p.fn.readConfig16(R.PCI_COMMAND)}`);
            },
            reset_done: (p: PciDev) => {
              calls.push(`done cmd=${p.fn.readConfig16(R.PCI_COMMAND)} bar0=${p.fn.barAddress(0)}`);
            },
          },
        }
      : {}),
  });
  assert.ok(pdev);
  return { m, api, pdev, reg, calls, misc };
}

/** Issues ENABLE_DEVICE with int_req and waits for the misc interrupt. */
function commandInterrupt(b: Bound): boolean {
  const before = b.misc.length;
  b.api.writel(((CMD_ENABLE_DEVICE << 20) | INT_REQ) >>> 0, b.reg + IDXD_CMD_OFFSET);
  b.m.waitFor(() => b.misc.length > before, 1e6);
  return b.misc.length > before;
}

function entry(b: Bound, i: number): number[] {
  const base = b.pdev.fn.barAddress(0) + 0x2000 + 16 * i;
  return [0, 4, 8, 12].map((o) => b.m.memory.read32(base + o));
}

describe('kernel: pci_reset_function, pcie_flr, pci_save_state / pci_restore_state', () => {
  it('pci_reset_function: reset_prepare, FLR, restore, reset_done; the misc interrupt still works', () => {
    const b = bind(true);
    const cmd = b.pdev.fn.readConfig16(R.PCI_COMMAND);
    const bar0 = b.pdev.fn.barAddress(0);
    const entry0 = entry(b, 0);
    assert.ok(commandInterrupt(b), 'works before');
    assert.equal(b.api.pci_reset_function(b.pdev), 0);
    assert.deepEqual(b.calls, [`prepare cmd=${cmd}`, `done cmd=${cmd} bar0=${bar0}`]);
    assert.equal(b.pdev.fn.msixEnabled, true, 'MSI-X enabled again');
    assert.deepEqual(entry(b, 0), entry0, 'entry 0 rewritten from its descriptor');
    assert.equal(b.api.readl(b.reg + IDXD_GENSTS_OFFSET) & 3, 0, 'the device itself was reset');
    assert.ok(commandInterrupt(b), 'works after');
    assert.equal(b.api.readl(b.reg + IDXD_CMDSTS_OFFSET) & 0xff, 0);
  });

  it('pci_reset_function takes 100 ms (pcie_flr sleeps) and warns without err_handler', () => {
    const b = bind(false);
    const t0 = b.m.clock.now;
    const lines = b.m.log.lines.length;
    assert.equal(b.api.pci_reset_function(b.pdev), 0);
    assert.ok(b.m.clock.now - t0 >= 100e6);
    const text = b.m.log.lines.slice(lines).map((l) => l.text);
    assert.deepEqual(text, [
      `flrtest ${b.pdev.name}: resetting`,
      `flrtest ${b.pdev.name}: reset done`,
    ]);
  });

  it('pcie_flr alone loses COMMAND, the BARs and MSI-X; pci_restore_state brings them back once', () => {
    const b = bind(true);
    const cmd = b.pdev.fn.readConfig16(R.PCI_COMMAND);
    const bar0 = b.pdev.fn.barAddress(0);
    const e1 = entry(b, 1);
    assert.equal(b.api.pci_save_state(b.pdev), 0);
    assert.equal(b.api.pcie_flr(b.pdev), 0);
    assert.equal(b.pdev.fn.readConfig16(R.PCI_COMMAND), 0);
    assert.equal(b.pdev.fn.barAddress(0), 0);
    assert.equal(b.pdev.fn.msixEnabled, false);
    b.api.pci_restore_state(b.pdev);
    assert.equal(b.pdev.fn.readConfig16(R.PCI_COMMAND), cmd);
    assert.equal(b.pdev.fn.barAddress(0), bar0);
    assert.deepEqual(entry(b, 1), e1);
    assert.equal(b.pdev.state_saved, false);
    b.api.pcie_flr(b.pdev);
    b.api.pci_restore_state(b.pdev);
    assert.equal(b.pdev.fn.readConfig16(R.PCI_COMMAND), 0, 'nothing saved: nothing restored');
    assert.deepEqual(b.m.anomalies, []);
  });

  it('pcie_reset_flr probes the capability; without it -ENOTTY', () => {
    const b = bind(true);
    assert.equal(b.api.pcie_reset_flr(b.pdev, true), 0);
    assert.deepEqual(b.calls, [], 'a probe resets nothing');
    const cap = b.pdev.fn.pcieCap;
    // Clear the FLR capability bit as a device without FLR would report it.
    const fn = b.pdev.fn as unknown as { cfg: Uint8Array };
    fn.cfg[cap + R.PCI_EXP_DEVCAP + 3] = 0;
    assert.equal(b.api.pcie_reset_flr(b.pdev, true), -b.api.ENOTTY);
    assert.equal(b.api.pci_reset_function(b.pdev), -b.api.ENOTTY);
    assert.deepEqual(b.calls, []);
  });
});
