/**
 * The requests behind the views' custom DAP requests: the bounded snapshot of a stop
 * (`ims/snapshot`), pages of its long lists (`ims/page`), and the views' actions — mask or unmask
 * an IMS slot or MSI-X entry through the MMIO path (`ims/maskEntry`), inject an interrupt as
 * `echo trigger > /sys/kernel/debug/irq/irqs/<n>` does (`ims/inject`) — and the export of the
 * whole platform state as JSON or debugfs text (`ims/export`).
 *
 * Snapshot and pages of one stop come from one set of list keys (MachineLists) until the machine
 * changes: every stop, and every write the debugger makes while stopped (`changed()`), starts a
 * new generation, and a page answers with the generation it was read in.
 */
import type { Machine } from '../../platform/machine/machine';
import { buildSnapshot } from '../../platform/snapshot/build';
import { MachineLists } from '../../platform/snapshot/lists';
import { buildPage, type PageRequest } from '../../platform/snapshot/pages';
import type { PlatformSnapshot, SnapshotPage } from '../../platform/snapshot/types';
import { allFiles, debugfsSource } from '../../platform/debugfs';
import { irq_inject_interrupt } from '../../platform/irq/resend';
import { EBUSY } from '../../platform/irq/types';
import type { RequestMap, WorkerEvent } from '../protocol';
import type { SideEffect } from '../replay-log';
import type { DeviceLayout } from './reg-targets';

/** Longest list a views' snapshot carries whole when the request does not say. */
export const DEFAULT_INLINE_LIMIT = 64;

/** `ims/maskEntry` arguments: which entry, and whether to set or clear its mask bit. */
export type MaskEntryArgs = RequestMap['maskEntry'];

/** What a mask write put on the bus. */
export interface MaskEntryResult {
  /** Physical address of the control word written. */
  address: string;
  before: number;
  after: number;
  /** The entry held a message that the unmask released. */
  released: boolean;
}

/** `ims/export` arguments. */
export type ExportArgs = RequestMap['exportState'];

/** An export: the text and a file name to offer. */
export interface ExportResult {
  text: string;
  fileName: string;
}

export class ViewRequests {
  /** Changes the debugger made to the machine since the run began (see changed()). */
  private generation = 0;
  private lists: { seq: number; generation: number; value: MachineLists } | undefined;
  private snap:
    { seq: number; generation: number; limit: number; value: PlatformSnapshot } | undefined;

  /**
   * @param stopSeq the current stop's number (changes at every stop)
   * @param devices where each DSA's registers live (BAR0, IMS and MSI-X table offsets)
   * @param post sends a worker event (console output)
   * @param logEffect records a change to the machine for step back's replay to make again
   */
  constructor(
    private readonly machine: Machine,
    private readonly stopSeq: () => number,
    private readonly devices: ReadonlyMap<string, DeviceLayout>,
    private readonly post: (ev: WorkerEvent) => void,
    private readonly logEffect: (effect: SideEffect) => void,
  ) {}

  /** The machine changed while stopped (a register, memory or console write): new generation. */
  changed(): void {
    this.generation++;
    this.lists = undefined;
    this.snap = undefined;
  }

  private machineLists(): MachineLists {
    const seq = this.stopSeq();
    if (this.lists?.seq !== seq || this.lists.generation !== this.generation)
      this.lists = { seq, generation: this.generation, value: new MachineLists(this.machine) };
    return this.lists.value;
  }

  /**
   * The views' snapshot of this stop: lists longer than `inlineLimit` (default 64) come as
   * totals. Built once per stop and generation. Throws RangeError for a bad limit.
   */
  snapshot(args: { inlineLimit?: number } = {}): PlatformSnapshot {
    const limit = args.inlineLimit ?? DEFAULT_INLINE_LIMIT;
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`inlineLimit must be an integer 0 or more, got ${String(limit)}`);
    const seq = this.stopSeq();
    const s = this.snap;
    if (s?.seq === seq && s.generation === this.generation && s.limit === limit) return s.value;
    const lists = this.machineLists();
    const value = buildSnapshot(this.machine, {
      seq,
      generation: this.generation,
      inlineLimit: limit,
      lists,
    });
    this.snap = { seq, generation: this.generation, limit, value };
    return value;
  }

  /** Rows of one list of this stop (see buildPage). Throws RangeError for a bad request. */
  page(req: PageRequest): SnapshotPage {
    return buildPage(this.machineLists(), req, this.stopSeq(), this.generation);
  }

  /**
   * Sets or clears the mask bit (bit 0 of IMS ctrl / MSI-X Vector Control) of an entry the way a
   * driver does: a read (without side effects) and a 32-bit MMIO write of the control word, so the
   * device acts on it — clearing the mask of an entry holding a message sends that message. The
   * kernel's own state (IRQD_IRQ_MASKED) is not touched: this is the hardware, poked.
   * Throws RangeError for an unknown device or an index outside its table.
   */
  maskEntry(args: MaskEntryArgs): MaskEntryResult {
    const dev = this.devices.get(args.device);
    if (dev === undefined) throw new RangeError(`no DSA at ${args.device}`);
    const dsa = new MachineLists(this.machine).dsa(dev.bdf);
    if (dsa === undefined) throw new RangeError(`no DSA at ${dev.bdf}`);
    // The arguments come from a DAP client as JSON: check what the types cannot.
    const table = args.table as string;
    const size = table === 'ims' ? dsa.ims.slots : table === 'msix' ? dsa.msix.size : 0;
    if (size === 0) throw new RangeError(`table must be 'ims' or 'msix', got ${table}`);
    if (!Number.isInteger(args.index) || args.index < 0 || args.index >= size)
      throw new RangeError(
        `${args.table === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${String(args.index)} is outside ${dev.bdf}'s table of ${size}`,
      );
    const offset = args.table === 'ims' ? dev.imsOffset : dev.msixTableOffset;
    const address = dev.bar0 + offset + args.index * 16 + 12;
    const mem = this.machine.memory;
    const before = mem.peek32(address) >>> 0;
    const after = (args.mask ? before | 1 : before & ~1) >>> 0;
    const pendingBefore = this.machine.trace.pending;
    mem.write32(address, after);
    const data = Buffer.alloc(4);
    data.writeUInt32LE(after);
    this.logEffect({ kind: 'writeMemory', address, data: data.toString('base64') });
    this.changed();
    const released = this.machine.trace.pending < pendingBefore;
    const name = `${args.table === 'ims' ? 'IMS slot' : 'MSI-X entry'} ${args.index} of ${dev.bdf}`;
    const field = args.table === 'ims' ? 'ctrl.mask' : 'vector_ctrl.mask';
    const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`;
    this.post({
      type: 'output',
      category: 'console',
      text: `ims-debug: ${name}: ${field} ← ${args.mask ? 1 : 0} (write32 ${hex(address, 0)} ← ${hex(after, 8)})${released ? '; the held message was sent' : ''}\n`,
    });
    return { address: hex(address, 0), before, after, released };
  }

  /**
   * Injects Linux irq `irq` as `echo trigger > /sys/kernel/debug/irq/irqs/<irq>` does
   * (irq_inject_interrupt: the vector set in the target CPU's IRR; the CPU takes it when the model
   * runs on). Returns the vector and CPU. Throws Error with the reason when the kernel refuses
   * (-EINVAL: no such irq, not activated, or nothing retriggers; -EBUSY: still replaying).
   */
  inject(args: { irq: number }): { irq: number; vector: number; cpu: number } {
    const irq = args.irq;
    const err = irq_inject_interrupt(this.machine.core, irq);
    if (err !== 0) {
      const why =
        err === -EBUSY
          ? 'an injected or resent interrupt of it has not been handled yet (IRQS_REPLAY): -EBUSY'
          : this.machine.core.irq_to_desc(irq) === undefined
            ? 'there is no such irq: -EINVAL'
            : 'it is not activated (not requested, or shut down) or nothing in its hierarchy can retrigger: -EINVAL';
      throw new Error(`irq ${String(irq)} cannot be injected: ${why}`);
    }
    // Replayed as the console command it is equivalent to.
    this.logEffect({
      kind: 'evaluate',
      expression: `echo trigger > /sys/kernel/debug/irq/irqs/${irq}`,
    });
    this.changed();
    const a = this.machine.vector.apicd(this.machine.core.irq_to_desc(irq)!.irq_data)!;
    this.post({
      type: 'output',
      category: 'console',
      text: `ims-debug: irq ${irq}: injected as echo trigger > /sys/kernel/debug/irq/irqs/${irq} does — vector 0x${a.vector.toString(16)} set in CPU ${a.cpu}'s IRR\n`,
    });
    return { irq, vector: a.vector, cpu: a.cpu };
  }

  /**
   * The whole platform state of this stop: the complete snapshot as JSON (2-space indented), or
   * every /sys/kernel/debug/irq file as `tail` prints several (`==> path <==` headers).
   */
  exportState(args: ExportArgs): ExportResult {
    const seq = this.stopSeq();
    if (args.format === 'json') {
      const snap = buildSnapshot(this.machine, { seq, generation: this.generation });
      return { text: JSON.stringify(snap, null, 2) + '\n', fileName: `ims-state-${seq}.json` };
    }
    const format = args.format as string;
    if (format !== 'debugfs')
      throw new RangeError(`format must be 'json' or 'debugfs', got ${format}`);
    const text = allFiles(debugfsSource(this.machine))
      .map((f) => `==> ${f.path} <==\n${f.text}`)
      .join('\n');
    return { text, fileName: `ims-debugfs-${seq}.txt` };
  }
}
