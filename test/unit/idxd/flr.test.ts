/**
 * Function Level Reset through PCIe config space (PCIe r6.0 §6.6.2, §7.5.3.3/.4): the PCI
 * Express capability's Device Capabilities FLR bit, Device Control's Initiate FLR bit, and what
 * the reset does to a DSA — config space, MSI-X, IMS, registers, WQs and handles.
 */
import { strict as assert } from 'node:assert';
import { PciFunction } from '../../../src/platform/pci/config';
import * as R from '../../../src/platform/pci/regs';
import { BAR0, BAR2, C, enabledWq, imsSlot, msixEntry, record, rig, submit } from './helpers';

const K = C.IDXD_CMD;
const OP = C.DSA_OPCODE;
const F = C.IDXD_OP_FLAG;

function flr(r: ReturnType<typeof rig>): void {
  const at = r.dev.pci.pcieCap + R.PCI_EXP_DEVCTL;
  r.dev.pci.writeConfig16(at, r.dev.pci.readConfig16(at) | R.PCI_EXP_DEVCTL_BCR_FLR);
}

describe('PCIe Function Level Reset', () => {
  it('the DSA reports FLR capability; Device Control has its reset value; Initiate FLR reads 0', () => {
    const r = rig();
    const cap = r.dev.pci.pcieCap;
    assert.equal(r.dev.pci.readConfig8(cap + R.PCI_CAP_LIST_ID), R.PCI_CAP_ID_EXP);
    const devcap = r.dev.pci.readConfig32(cap + R.PCI_EXP_DEVCAP);
    assert.equal(devcap & R.PCI_EXP_DEVCAP_FLR, R.PCI_EXP_DEVCAP_FLR);
    assert.equal(r.dev.pci.flrCapable, true);
    const devctl = r.dev.pci.readConfig16(cap + R.PCI_EXP_DEVCTL);
    assert.equal(
      devctl,
      R.PCI_EXP_DEVCTL_RELAX_EN | R.PCI_EXP_DEVCTL_NOSNOOP_EN | R.PCI_EXP_DEVCTL_READRQ_512B,
    );
    r.dev.pci.writeConfig16(cap + R.PCI_EXP_DEVCTL, devctl | R.PCI_EXP_DEVCTL_URRE);
    assert.equal(r.dev.pci.readConfig16(cap + R.PCI_EXP_DEVCTL), devctl | R.PCI_EXP_DEVCTL_URRE);
    flr(r);
    assert.equal(r.dev.pci.readConfig16(cap + R.PCI_EXP_DEVCTL), devctl, 'back to reset, bit 15 0');
    assert.equal(r.dev.pci.readConfig16(cap + R.PCI_EXP_DEVSTA) & R.PCI_EXP_DEVSTA_TRPND, 0);
  });

  it('config space after an FLR: COMMAND 0, BAR addresses 0 (type bits kept), MSI-X off', () => {
    const r = rig();
    const barBefore = r.dev.pci.readConfig32(R.PCI_BASE_ADDRESS_0);
    assert.equal(r.dev.pci.barAddress(0), BAR0);
    flr(r);
    assert.equal(r.dev.pci.readConfig16(R.PCI_COMMAND), 0);
    assert.equal(r.dev.pci.readConfig32(R.PCI_BASE_ADDRESS_0), barBefore & 0xf);
    assert.equal(r.dev.pci.barAddress(0), 0);
    assert.equal(r.dev.pci.barAddress(2), 0);
    assert.equal(r.dev.pci.msixEnabled, false);
    assert.equal(r.dev.pci.msixDisabledBy, 'a Function Level Reset');
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET), 0xffffffff, 'Memory Space off: all 1s');
    assert.equal(r.dev.pci.readConfig16(R.PCI_VENDOR_ID), 0x8086, 'ready for config reads');
  });

  it('recovers a halt that needs an FLR; MSI-X table, IMS and handles are reset', () => {
    const r = rig();
    enabledWq(r);
    msixEntry(r, 1, 0xfee0_1000, 0x41);
    imsSlot(r, 3, 0xfee0_2000, 0x52, 0);
    const h = (r.cmd(K.REQUEST_INT_HANDLE, 1) >>> 8) & 0xffff;
    r.dev.halt(C.IDXD_DEVICE_RESET_FLR);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET), 3 | (C.IDXD_DEVICE_RESET_FLR << 2));
    assert.equal(r.cmd(K.RESET_DEVICE) & 0xff, C.IDXD_CMDSTS.HW_ERR, 'RESET_DEVICE cannot help');
    flr(r);
    assert.deepEqual(r.dev.msix.peek(1).address_lo, 0);
    assert.equal(r.dev.msix.peek(1).masked, true);
    assert.deepEqual(
      [r.dev.ims.peek(3).address_lo, r.dev.ims.peek(3).data, r.dev.ims.peek(3).mask],
      [0, 0, true],
    );
    // The driver restores COMMAND and the BARs (pci_restore_state) and configures again.
    r.dev.pci.writeConfig32(R.PCI_BASE_ADDRESS_0, BAR0 % 2 ** 32);
    r.dev.pci.writeConfig32(R.PCI_BASE_ADDRESS_0 + 4, Math.floor(BAR0 / 2 ** 32));
    r.dev.pci.writeConfig32(R.PCI_BASE_ADDRESS_0 + 8, BAR2 % 2 ** 32);
    r.dev.pci.writeConfig32(R.PCI_BASE_ADDRESS_0 + 12, Math.floor(BAR2 / 2 ** 32));
    r.dev.pci.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY | R.PCI_COMMAND_MASTER);
    assert.equal(r.r32(C.IDXD_GENSTS_OFFSET), 0, 'DISABLED: the halt is over');
    assert.equal(r.r32(r.dev.layout.wqcfgOffset), 0, 'WQCFG back to reset');
    assert.equal(r.dev.engine.wqState[0], 0);
    enabledWq(r);
    const comp = r.mem.allocate(0x1000);
    submit(r, {
      opcode: OP.NOOP,
      flags: F.CRAV | F.RCR | F.RCI,
      completion_addr: comp,
      int_handle: h,
    });
    r.settle();
    assert.equal(record(r, comp).status, C.DSA_COMP.INT_HANDLE_INVAL, 'the old handle is gone');
    assert.deepEqual(r.anomalies, []);
  });

  it('a message held pending in a masked entry is dropped, naming the FLR', () => {
    const r = rig();
    enabledWq(r);
    msixEntry(r, 1, 0xfee0_1000, 0x41, false);
    const h = (r.cmd(K.REQUEST_INT_HANDLE, 1) >>> 8) & 0xffff;
    const comp = r.mem.allocate(0x1000);
    submit(r, { opcode: OP.NOOP, flags: F.RCI, completion_addr: comp, int_handle: h });
    r.settle();
    assert.equal(r.bus.unfinished().length, 1, 'pending in the masked entry');
    flr(r);
    assert.deepEqual(r.bus.unfinished(), []);
    const drops = r.bus.calls.flatMap((c) => (c.op === 'drop' ? [c.reason] : []));
    assert.equal(drops.length, 1);
    assert.match(drops[0]!, /Function Level Reset/);
    assert.deepEqual(r.bus.violations, []);
  });

  it('a function without FLR capability ignores Initiate FLR', () => {
    const f = new PciFunction({
      bdf: '0000:00:05.0',
      vendorId: 0x8086,
      deviceId: 0x1234,
      bars: [{ index: 0, size: 0x1000, address: 0x1000_0000 }],
      pcieType: R.PCI_EXP_TYPE_RC_END,
      flr: false,
    });
    let resets = 0;
    f.onFunctionLevelReset(() => resets++);
    f.writeConfig16(R.PCI_COMMAND, R.PCI_COMMAND_MEMORY);
    assert.equal(f.readConfig32(f.pcieCap + R.PCI_EXP_DEVCAP) & R.PCI_EXP_DEVCAP_FLR, 0);
    f.writeConfig16(f.pcieCap + R.PCI_EXP_DEVCTL, R.PCI_EXP_DEVCTL_BCR_FLR);
    assert.equal(resets, 0);
    assert.equal(f.readConfig16(R.PCI_COMMAND), R.PCI_COMMAND_MEMORY);
  });
});
