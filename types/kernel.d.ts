// The kernel-shaped API of ims-debug driver models, declared for editors and type checkers.
//
// A driver model sees every value below as a global (src/runtime/kernel/globals.json lists
// them; a test keeps this file, that list and the implementation in step). This is a global
// script — no import or export — so that any of these makes a model folder see it:
//
//   jsconfig.json / tsconfig.json: "include": ["*.js", "<path>/kernel.d.ts"]
//   a model's first line:          /// <reference path="<path>/kernel.d.ts" />
//
// It depends on nothing but the ES2022 library. Names and shapes are the kernel's (struct
// fields keep their C names); where the emulation differs from Linux, the comment says so under
// "Emulation". Kernel functions that would oops or BUG throw a KernelError, which stops the
// model at the call, as the kernel would stop the task.
//
// `void *` data owned by the driver (drvdata, chip_data, domain data) is typed `any` so that a
// JavaScript model can use it without casts.
/* eslint-disable @typescript-eslint/no-explicit-any */

// ---------------------------------------------------------------------------------------------
// Structures
// ---------------------------------------------------------------------------------------------

/**
 * `struct device` (include/linux/device.h) as a model sees it: only its name. For a PCI device
 * it is the pci_dev itself (`pdev.dev === pdev`).
 */
interface device {
  /** dev_name(): for a PCI device its BDF, `dddd:bb:dd.f`, e.g. `0000:6a:01.0`. */
  readonly name: string;
}

/**
 * `struct pci_dev` (include/linux/pci.h): the device passed to probe(). Pass it to the pci_*
 * functions; they refuse any other object.
 */
interface pci_dev extends device {
  /** Vendor ID from config space (PCI_VENDOR_ID), e.g. 0x8086. */
  readonly vendor: number;
  /** Device ID from config space (PCI_DEVICE_ID), e.g. 0x0b25 for a DSA. */
  readonly device: number;
  /** The embedded `struct device` (`&pdev->dev` in C): the pci_dev itself here. */
  readonly dev: pci_dev;
  /** pdev->msix_enabled: set by pci_alloc_irq_vectors(), cleared by pci_free_irq_vectors(). */
  readonly msix_enabled: boolean;
}

/** `struct pci_device_id` (include/linux/mod_devicetable.h): the fields the PCI core matches. */
interface pci_device_id {
  /** Vendor ID to match, or PCI_ANY_ID. */
  vendor: number;
  /** Device ID to match, or PCI_ANY_ID. */
  device: number;
  /** Driver-private data handed back to probe() (kernel_ulong_t in C). */
  driver_data?: unknown;
}

/** `struct pci_driver` (include/linux/pci.h), for module_pci_driver() / pci_register_driver(). */
interface pci_driver {
  /** Driver name: prefixes dev_*() messages, e.g. `idxd 0000:6a:01.0: …`. */
  name: string;
  /** Devices the driver binds to (subvendor, subdevice and class are not matched). */
  id_table: readonly pci_device_id[];
  /**
   * Called for each matching device at registration. Returns 0 (or nothing) when it binds, a
   * negative errno when it does not: the core then logs `probe of <bdf> failed with error`.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a JS probe may not return
  probe: (pdev: pci_dev, id: pci_device_id) => number | void;
  /** Called for each bound device by pci_unregister_driver() (module_pci_driver: at run end). */
  remove?: (pdev: pci_dev) => void;
  /** Error and reset callbacks; pci_reset_function() calls reset_prepare and reset_done. */
  err_handler?: pci_error_handlers;
}

/**
 * `struct pci_error_handlers` (include/linux/pci.h): the two callbacks a function reset uses
 * (the AER recovery callbacks are not modelled).
 */
interface pci_error_handlers {
  /** Called by pci_reset_function() before it saves the state and resets the function. */
  reset_prepare?: (pdev: pci_dev) => void;
  /** Called by pci_reset_function() after the reset and pci_restore_state(). */
  reset_done?: (pdev: pci_dev) => void;
}

/** `irqreturn_t` (include/linux/irqreturn.h): IRQ_NONE, IRQ_HANDLED or IRQ_WAKE_THREAD. */
type irqreturn_t = number;

/**
 * `irq_handler_t` (include/linux/interrupt.h): `handler(irq, dev_id)`, called with the Linux irq
 * number and the dev_id given to request_irq(). Must return an irqreturn_t: anything else is
 * logged as a bogus return value, and IRQ_NONE counts towards the spurious-interrupt check.
 */
type irq_handler_t<T = any> = (irq: number, dev_id: T) => irqreturn_t;

/** `struct msi_msg` (include/linux/msi.h): the address/data pair a device writes to interrupt. */
interface msi_msg {
  /** Message address bits 31:0: 0xfee….. on x86; remappable format carries the IRTE handle. */
  address_lo: number;
  /** Message address bits 63:32 (0 on x86, or the extended destination ID). */
  address_hi: number;
  /** Message data (the vector in compatibility format; the subhandle when remapped). */
  data: number;
}

/**
 * `struct irq_common_data` (include/linux/irq.h): state shared by every level of one Linux irq.
 */
interface irq_common_data {
  /** IRQD_* state bits (read them with the debugger; drivers use irqd_*() accessors in C). */
  readonly state: number;
  /** The MSI descriptor of an MSI-X or IMS irq (irq_data_get_msi_desc()). */
  readonly msi_desc: msi_desc | null;
  /** Requested affinity as CPU numbers; empty means every CPU (irq_default_affinity). */
  readonly affinity: readonly number[];
  /** Effective affinity: the one CPU whose vector the irq has. */
  readonly effective_affinity: readonly number[];
}

/**
 * `struct irq_data` (include/linux/irq.h): one level of a Linux irq in the domain hierarchy,
 * chained child → parent (IMS → INTEL-IR → VECTOR). Irq chip callbacks receive the level of
 * their own domain.
 */
interface irq_data {
  /** The Linux irq number (virq). */
  readonly irq: number;
  /** Hardware irq number in `domain` (IMS: the slot index; MSI-X: the table entry). */
  readonly hwirq: number;
  /** The chip of this level. */
  readonly chip: irq_chip;
  /** Domain-private data of this level (irq_data_get_irq_chip_data()). */
  readonly chip_data: any;
  /** The parent level, or null at the root (VECTOR). */
  readonly parent_data: irq_data | null;
  /** The domain this level belongs to. */
  readonly domain: irq_domain;
  /** State shared by all levels (irq_data->common). */
  readonly common: irq_common_data;
}

/**
 * `struct irq_chip` (include/linux/irq.h): callbacks of one level of the hierarchy. A driver
 * model supplies one for its IMS domain as a plain object; pci_create_ims_domain() requires
 * irq_mask, irq_unmask and irq_write_msi_msg and refuses irq_set_affinity (the parent handles
 * affinity and rewrites the message through irq_write_msi_msg).
 */
interface irq_chip {
  /** Chip name; an IMS domain is named `<parent prefix><name>-<bdf>`: IR-PCI-IDXD-0000:6a:01.0. */
  name: string;
  /** IRQCHIP_* flags, e.g. IRQCHIP_ONESHOT_SAFE. */
  flags?: number;
  /** Starts the irq (request_irq of the first action); default: enable/unmask. */
  irq_startup?: (d: irq_data) => void;
  /** Shuts the irq down (free_irq of the last action); default: mask. */
  irq_shutdown?: (d: irq_data) => void;
  /** Enables the irq; default: unmask. */
  irq_enable?: (d: irq_data) => void;
  /** Disables the irq; default: lazy (masked only when an interrupt arrives while disabled). */
  irq_disable?: (d: irq_data) => void;
  /** Acknowledges the interrupt at the start of the flow handler (edge). */
  irq_ack?: (d: irq_data) => void;
  /** Masks the source: for IMS, set the slot's mask bit (and read it back to flush the write). */
  irq_mask?: (d: irq_data) => void;
  /** Unmasks the source: for IMS, clear the slot's mask bit. */
  irq_unmask?: (d: irq_data) => void;
  /** End of interrupt (fasteoi flows). */
  irq_eoi?: (d: irq_data) => void;
  /** Moves the irq to `mask` (CPU numbers); returns 0, IRQ_SET_MASK_OK_DONE (2) or -errno. */
  irq_set_affinity?: (d: irq_data, mask: readonly number[], force: boolean) => number;
  /** Resends a lost interrupt; returns non-zero if it did. */
  irq_retrigger?: (d: irq_data) => number;
  /** Fills `msg` for this level (parents compose; a device chip seldom needs it). */
  irq_compose_msi_msg?: (d: irq_data, msg: msi_msg) => void;
  /** Writes the message the parents composed to the device (IMS: the slot's address and data). */
  irq_write_msi_msg?: (d: irq_data, msg: msi_msg) => void;
}

/**
 * `struct irq_domain` (include/linux/irqdomain.h): one level of the hierarchy, e.g. VECTOR,
 * INTEL-IR-0, IR-PCI-MSIX-0000:6a:01.0, IR-PCI-IDXD-0000:6a:01.0.
 */
interface irq_domain<HostData = unknown> {
  /** The name /sys/kernel/debug/irq/domains shows. */
  readonly name: string;
  /** The parent domain, or null for the root (VECTOR). */
  readonly parent: irq_domain | null;
  /** IRQ_DOMAIN_FLAG_* bits. */
  readonly flags: number;
  /** Number of hwirqs (0: unlimited). For IMS, the hwsize given to pci_create_ims_domain(). */
  readonly hwsize: number;
  /** Domain data: the msi_domain_info of a per-device MSI domain. */
  readonly host_data: HostData;
  /** enum irq_domain_bus_token, e.g. DOMAIN_BUS_PCI_DEVICE_IMS. */
  readonly bus_token: number;
  /** Number of irqs mapped in the domain. */
  readonly mapcount: number;
  /** The owning device's name (BDF) for a per-device domain. */
  readonly dev: string | undefined;
}

/**
 * `msi_alloc_info_t` (x86 `struct irq_alloc_info`, arch/x86/include/asm/hw_irq.h): the
 * allocation argument passed down the hierarchy. An IMS domain's prepare_desc sets `hwirq`.
 */
interface msi_alloc_info_t {
  /** X86_IRQ_ALLOC_TYPE_*: `msix` also for IMS (x86_msi_prepare()). */
  readonly type: 'msi' | 'msix';
  /** CPUs for an immediate vector assignment; absent: a reservation until activation. */
  readonly mask?: readonly number[];
  /** The hwirq in the top domain: prepare_desc sets it (IMS: `desc.msi_index`, the slot). */
  hwirq: number;
  /** Requester ID (bus << 8 | devfn) of the device: the SID the IRTE verifies. */
  readonly requesterId: number;
  /** The descriptor being allocated. */
  readonly desc?: msi_desc;
}

/**
 * `union msi_instance_cookie` (include/linux/msi_api.h): what the driver passes to
 * pci_ims_alloc_irq() for one IMS irq (IDXD: the PASID). `value` is a u64 in C; keep it a
 * number here so that 32-bit bit operations work on it.
 */
interface msi_instance_cookie {
  /** Cookie value (the driver's prepare_desc may rewrite it, e.g. into a slot control word). */
  value: number;
  /** Pointer member of the union. */
  ptr?: unknown;
}

/**
 * `union msi_domain_cookie` (include/linux/msi.h): what the domain's prepare_desc stores for the
 * chip callbacks of one descriptor (IMS: the slot's iomem address in `iobase`).
 */
interface msi_domain_cookie {
  /** Integer member of the union. */
  value?: number | bigint;
  /** `void __iomem *` member: an iomem cookie (a number, see ioremap()). */
  iobase?: number;
  /** Pointer member of the union. */
  ptr?: unknown;
}

/** `struct msi_desc` (include/linux/msi.h): one MSI-X entry or IMS slot allocated to a device. */
interface msi_desc {
  /** The Linux irq, 0 until allocated. */
  readonly irq: number;
  /** Index in the device's MSI-X table or IMS store. */
  readonly msi_index: number;
  /** Vectors used: 1 for MSI-X and IMS. */
  readonly nvec_used: number;
  /** Owning device. Emulation: its name (the BDF), not a `struct device *`. */
  readonly dev: string;
  /** The last message written through irq_write_msi_msg (for the debugger's views). */
  readonly msg: msi_msg;
  /** Cookies: `icookie` from the driver, `dcookie` from the domain's prepare_desc. */
  readonly data: { readonly icookie: msi_instance_cookie; readonly dcookie: msi_domain_cookie };
  /** PCI part of the descriptor. */
  readonly pci: {
    readonly msi_attrib: {
      readonly is_msix: boolean;
      readonly can_mask: boolean;
      readonly is_virtual: boolean;
    };
    /** The MSI-X entry's Vector Control word. */
    readonly msix_ctrl: number;
  };
}

/** `struct msi_domain_ops` (include/linux/msi.h): the callbacks a domain template may give. */
interface msi_domain_ops {
  /**
   * Called per descriptor before its irq is allocated: choose `arg.hwirq` and store what the chip
   * callbacks need in `desc.data.dcookie` (IMS: the slot address, `domain.host_data.data +
   * desc.msi_index * slot size`).
   */
  prepare_desc?: (
    domain: irq_domain<msi_domain_info>,
    arg: msi_alloc_info_t,
    desc: msi_desc,
  ) => void;
  /** Called after prepare_desc to fill in the allocation argument from the descriptor. */
  set_desc?: (arg: msi_alloc_info_t, desc: msi_desc) => void;
}

/**
 * `struct msi_domain_info` (include/linux/msi.h): a per-device MSI domain's data, its
 * `host_data`. Built from the template, with the parent's defaults filled in.
 */
interface msi_domain_info<Data = any> {
  /** MSI_FLAG_* bits. */
  readonly flags: number;
  /** enum irq_domain_bus_token. */
  readonly bus_token: number;
  /** Number of indices (0: unlimited). */
  readonly hwsize: number;
  /** The template's ops. */
  readonly ops: msi_domain_ops;
  /** The domain's chip: a copy of the template's, renamed like the domain. */
  readonly chip: irq_chip;
  /** chip_data for every irq of the domain. */
  readonly chip_data: unknown;
  /** Flow handler name (`edge`). */
  readonly handler_name: string;
  /** The `data` given to pci_create_ims_domain() (IDXD: the IMS slots' iomem base). */
  readonly data: Data;
}

/**
 * `struct msi_domain_template` (include/linux/msi.h, v6.2): what a driver passes to
 * pci_create_ims_domain(). `info.bus_token` must be DOMAIN_BUS_PCI_DEVICE_IMS and `info.flags`
 * must include MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS.
 */
interface msi_domain_template {
  /** The device's irq chip (copied; the template is not changed). */
  chip: irq_chip;
  /** Domain callbacks (prepare_desc). */
  ops?: msi_domain_ops;
  /** The `struct msi_domain_info` fields a template sets. */
  info: { flags: number; bus_token: number };
}

/** `struct msi_map` (include/linux/msi_api.h): an allocated irq. */
interface msi_map {
  /** Index in the MSI-X table / IMS store; a negative errno if the allocation failed. */
  index: number;
  /** The Linux irq (0 if the allocation failed). */
  virq: number;
}

/**
 * `struct irq_affinity_desc` (include/linux/interrupt.h): the affinity an irq gets at allocation.
 * Activation (request_irq) then picks a vector on a CPU of `mask`.
 *
 * Emulation: `mask` is an array of CPU numbers; managed interrupts are not modelled —
 * `is_managed` only logs that the mask is used as a plain affinity.
 */
interface irq_affinity_desc {
  /** CPU numbers, e.g. [2, 3]. */
  mask: readonly number[];
  /** Managed affinity (kernel-managed, shut down with its CPUs): not modelled. */
  is_managed?: boolean;
}

/** `enum accfg_wq_mode` (accel-config): the sysfs `mode` attribute (WQCFG.mode). */
type accfg_wq_mode = 'shared' | 'dedicated';

/** `enum accfg_wq_type` (accel-config, `enum idxd_wq_type`): the sysfs `type` attribute. */
type accfg_wq_type = 'none' | 'kernel' | 'user';

/** One work queue, `wq<device>.<id>`, as `accel-config load-config` leaves it in sysfs. */
interface accfg_wq {
  /** WQ id. */
  readonly id: number;
  /** Its group, or null when it has none (Linux then leaves its WQCFG alone). */
  readonly group: number | null;
  /** Shared or dedicated. */
  readonly mode: accfg_wq_mode;
  /** Entries (WQCFG.wq_size). */
  readonly size: number;
  /** Shared-WQ threshold in entries (WQCFG.wq_thresh); 0 for a dedicated WQ. */
  readonly threshold: number;
  /** 0..15; Linux's default 0 is outside the DSA's 1..15. */
  readonly priority: number;
  /** Block on fault (WQCFG.bof). */
  readonly block_on_fault: boolean;
  /** Bytes, a power of two (Linux rounds the written value up). */
  readonly max_transfer_size: number;
  /** Descriptors, a power of two (Linux rounds the written value up). */
  readonly max_batch_size: number;
  /** Kernel, user or none. */
  readonly type: accfg_wq_type;
  /** WQ name; '' when unset. */
  readonly name: string;
  /** Driver name; '' when unset. */
  readonly driver_name: string;
  /** ATS disabled for the WQ. */
  readonly ats_disable: boolean;
  /** PRS disabled for the WQ. */
  readonly prs_disable: boolean;
  /** Enabled opcodes as 4 × u64 (bit N = opcode N), or null when the device has no op_config. */
  readonly op_config: readonly bigint[] | null;
}

/** One engine, `engine<device>.<id>`. */
interface accfg_engine {
  /** Engine id. */
  readonly id: number;
  /** Its group, or null. */
  readonly group: number | null;
}

/** One group, `group<device>.<id>`, with the effective GRPFLGCFG settings. */
interface accfg_group {
  /** Group id. */
  readonly id: number;
  /** Ids of the WQs in the group, ascending. */
  readonly wqs: readonly number[];
  /** Ids of the engines in the group, ascending. */
  readonly engines: readonly number[];
  /** Read buffers reserved for the group. */
  readonly read_buffers_reserved: number;
  /** Effective value: the device's total read buffers when the file gives 0 or nothing. */
  readonly read_buffers_allowed: number;
  /** Whether the group uses the read-buffer limit. */
  readonly use_read_buffer_limit: boolean;
  /** Effective traffic class A (0..7). */
  readonly traffic_class_a: number;
  /** Effective traffic class B (0..7). */
  readonly traffic_class_b: number;
  /** Descriptor progress limit. */
  readonly desc_progress_limit: number;
  /** Batch progress limit. */
  readonly batch_progress_limit: number;
}

/**
 * One DSA, `dsa<index>`: what the idxd driver holds after `accel-config load-config`, with
 * Linux's defaults for every key the file leaves out.
 */
interface accfg_device {
  /** `dsa<index>`. */
  readonly name: string;
  /** The device's index among the DSAs. */
  readonly index: number;
  /** GENCFG.rdbuf_limit; 0 = no limit. */
  readonly read_buffer_limit: number;
  /** Event-log entries, or null when the file sets none (or the device has no event log). */
  readonly event_log_size: number | null;
  /** Every group the device has (0..max_groups-1), as Linux always has them all. */
  readonly groups: readonly accfg_group[];
  /** The WQs the file names, ascending by id. */
  readonly wqs: readonly accfg_wq[];
  /** The engines the file names, ascending by id. */
  readonly engines: readonly accfg_engine[];
}

// ---------------------------------------------------------------------------------------------
// MMIO (include/asm-generic/io.h, arch/x86/include/asm/io.h)
// ---------------------------------------------------------------------------------------------
// An iomem cookie (`void __iomem *`) is a number: ioremap() maps identically, so a cookie is the
// physical address and `base + offset` is pointer arithmetic. An access outside every
// ioremap()'ed range throws the kernel's page-fault oops. Every read costs the machine's
// uncached MMIO read time (400 ns by default), every write its posted-write time (20 ns);
// interrupts that become due are taken when the call returns.

/**
 * Maps `size` bytes of device memory (a BAR) at physical address `phys`.
 *
 * Emulation: an identity mapping; the range must lie inside one BAR.
 *
 * Linux: arch/x86/mm/ioremap.c.
 * @param phys physical address (number or bigint)
 * @param size bytes, > 0
 * @returns the iomem cookie (equal to `phys`)
 * @throws KernelError when `size` is not > 0 or the range is not inside one device's memory
 */
declare function ioremap(phys: number | bigint, size: number): number;

/**
 * Removes the mapping that ioremap() or pci_iomap() returned at `addr`; later accesses oops.
 *
 * Linux: arch/x86/mm/ioremap.c.
 * @param addr the cookie ioremap() returned
 */
declare function iounmap(addr: number): void;

/**
 * Reads a 32-bit register (uncached, ordered).
 *
 * Linux: include/asm-generic/io.h.
 * @param addr iomem cookie + byte offset, 4-byte aligned
 * @returns the value, unsigned 32-bit
 * @throws KernelError outside an ioremap()'ed range (the page-fault oops)
 */
declare function readl(addr: number): number;

/**
 * Writes a 32-bit register (posted). Register side effects (commands, IMS slot updates) happen
 * at once.
 *
 * Linux: include/asm-generic/io.h.
 * @param value the value; numbers are truncated to 32 bits (`>>> 0`), bigints to their low 32 bits
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range, or for a value that is not a number
 */
declare function writel(value: number | bigint, addr: number): void;

/**
 * Reads a 64-bit register in one access.
 *
 * Linux: include/asm-generic/io.h (x86-64 readq).
 * @param addr iomem cookie + byte offset, 8-byte aligned
 * @returns the value as an unsigned 64-bit bigint
 * @throws KernelError outside an ioremap()'ed range
 */
declare function readq(addr: number): bigint;

/**
 * Writes a 64-bit register in one access.
 *
 * Linux: include/asm-generic/io.h (x86-64 writeq).
 * @param value a bigint (taken modulo 2^64) or a whole number
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range, or for a fractional number
 */
declare function writeq(value: bigint | number, addr: number): void;

/**
 * Reads a 16-bit register.
 *
 * Linux: include/asm-generic/io.h.
 * @param addr iomem cookie + byte offset
 * @returns the value, unsigned 16-bit
 * @throws KernelError outside an ioremap()'ed range
 */
declare function readw(addr: number): number;

/**
 * Reads an 8-bit register.
 *
 * Linux: include/asm-generic/io.h.
 * @param addr iomem cookie + byte offset
 * @returns the value, unsigned 8-bit
 * @throws KernelError outside an ioremap()'ed range
 */
declare function readb(addr: number): number;

/**
 * Writes a 16-bit value.
 *
 * Emulation: the DSA's registers take 32- and 64-bit accesses; a 16-bit write to them is
 * dropped and reported in the Debug Console (the hardware ignores it).
 *
 * Linux: include/asm-generic/io.h.
 * @param value the value (low 16 bits are written)
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range
 */
declare function writew(value: number, addr: number): void;

/**
 * Writes an 8-bit value.
 *
 * Emulation: the DSA's registers take 32- and 64-bit accesses; an 8-bit write to them is
 * dropped and reported in the Debug Console (the hardware ignores it).
 *
 * Linux: include/asm-generic/io.h.
 * @param value the value (low 8 bits are written)
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range
 */
declare function writeb(value: number, addr: number): void;

/**
 * Same as readl() (the iomap accessor).
 *
 * Linux: include/asm-generic/iomap.h.
 * @param addr iomem cookie + byte offset
 * @returns the value, unsigned 32-bit
 * @throws KernelError outside an ioremap()'ed range
 */
declare function ioread32(addr: number): number;

/**
 * Same as writel() (the iomap accessor).
 *
 * Linux: include/asm-generic/iomap.h.
 * @param value the value, truncated to 32 bits
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range
 */
declare function iowrite32(value: number | bigint, addr: number): void;

/**
 * Same as readq() (the iomap accessor).
 *
 * Linux: include/asm-generic/iomap.h.
 * @param addr iomem cookie + byte offset
 * @returns the value as an unsigned 64-bit bigint
 * @throws KernelError outside an ioremap()'ed range
 */
declare function ioread64(addr: number): bigint;

/**
 * Same as writeq() (the iomap accessor).
 *
 * Linux: include/asm-generic/iomap.h.
 * @param value a bigint or a whole number
 * @param addr iomem cookie + byte offset
 * @throws KernelError outside an ioremap()'ed range
 */
declare function iowrite64(value: bigint | number, addr: number): void;

/**
 * Submits `count` 64-byte descriptors to a WQ portal with MOVDIR64B. The write is posted: a
 * descriptor the device cannot take (WQ disabled, dedicated WQ full, shared WQ) is dropped and
 * SWERR says why.
 *
 * Linux: arch/x86/include/asm/io.h.
 * @param dst the portal's iomem address (BAR2 + wq_id × 4 pages + portal page)
 * @param src `count` × 64 bytes, or an object with toBytes() such as a dsa_hw_desc (count 1)
 * @param count descriptors to write, default 1
 * @throws KernelError outside an ioremap()'ed range, or when `src` has fewer than 64 × count bytes
 */
declare function iosubmit_cmds512(
  dst: number,
  src: Uint8Array | { toBytes(): Uint8Array },
  count?: number,
): void;

/**
 * Submits one 64-byte descriptor to a shared WQ portal with ENQCMDS (non-posted: the CPU waits
 * for the device's answer, one MMIO read time).
 *
 * Linux: arch/x86/include/asm/special_insns.h.
 * @param dst the portal's iomem address
 * @param src 64 bytes, or an object with toBytes() such as a dsa_hw_desc
 * @returns 0 if the device accepted it, -EAGAIN if it refused (WQ full): retry
 * @throws KernelError outside an ioremap()'ed range
 */
declare function enqcmds(dst: number, src: Uint8Array | { toBytes(): Uint8Array }): number;

// ---------------------------------------------------------------------------------------------
// DMA memory and strings (include/linux/dma-mapping.h, kernel/dma/mapping.c, lib/string.c)
// ---------------------------------------------------------------------------------------------

/**
 * The CPU address of a coherent DMA allocation: a Uint8Array over emulated RAM, so what the
 * device writes by DMA shows in it at once, with the bus address in `dma_handle`. Get one from
 * dma_alloc_coherent(); constructing one yourself gives memory the device cannot reach.
 */
declare class DmaBuffer extends Uint8Array {
  /** The bus (DMA) address of byte 0: what goes into a descriptor. Identity-mapped: physical. */
  dma_handle: number;
  /**
   * A DataView over the buffer, for little-endian multi-byte fields.
   * @returns a view of exactly this buffer's bytes
   */
  view(): DataView;
}

/**
 * Allocates zeroed, page-aligned coherent memory the device can DMA to and from.
 *
 * Emulation: the IOMMU maps identically (no DMA remapping or PASID translation), so
 * `dma_handle` is the physical address; C's `dma_addr_t *` out-parameter is the buffer's
 * `dma_handle` property and the gfp flags are ignored.
 *
 * Linux: kernel/dma/mapping.c.
 * @param dev the device (`pdev.dev`)
 * @param size bytes, a positive whole number
 * @param gfp allocation flags, ignored
 * @returns the buffer, its bus address in `.dma_handle`
 * @throws KernelError for a size that is not a positive whole number
 */
declare function dma_alloc_coherent(dev: device, size: number, gfp?: unknown): DmaBuffer;

/**
 * Frees a coherent allocation.
 *
 * Emulation: nothing is given back — RAM is never reused in a run, so a stale device write
 * stays visible for debugging instead of corrupting a later allocation.
 *
 * Linux: kernel/dma/mapping.c.
 * @param dev the device
 * @param size bytes
 * @param cpu_addr the DmaBuffer
 * @param dma_handle its bus address
 */
declare function dma_free_coherent(
  dev: device,
  size: number,
  cpu_addr: DmaBuffer,
  dma_handle: number,
): void;

/**
 * Sets the device's streaming and coherent DMA masks.
 *
 * Emulation: every mask up to 64 bits is accepted.
 *
 * Linux: include/linux/dma-mapping.h.
 * @param dev the device
 * @param mask the address mask, e.g. DMA_BIT_MASK(64)
 * @returns 0
 */
declare function dma_set_mask_and_coherent(dev: device, mask: bigint | number): number;

/**
 * The mask of the low `n` address bits.
 *
 * Linux: include/linux/dma-mapping.h.
 * @param n bits, 0..64 (64 and more: all ones)
 * @returns the mask as a bigint
 */
declare function DMA_BIT_MASK(n: number): bigint;

/**
 * Fills `n` bytes of `buf` with the byte `c`.
 *
 * Linux: lib/string.c.
 * @param buf the buffer
 * @param c the byte value (low 8 bits)
 * @param n bytes, default `buf.length`
 * @returns `buf`
 */
declare function memset<T extends Uint8Array>(buf: T, c: number, n?: number): T;

/**
 * Copies `n` bytes from `src` to `dst`.
 *
 * Linux: lib/string.c.
 * @param dst destination
 * @param src source
 * @param n bytes, default `src.length`
 * @returns `dst`
 * @throws RangeError when `dst` is shorter than `n`
 */
declare function memcpy<T extends Uint8Array>(dst: T, src: Uint8Array, n?: number): T;

/**
 * Compares the first `n` bytes of `a` and `b`.
 *
 * Linux: lib/string.c.
 * @param a first buffer
 * @param b second buffer
 * @param n bytes to compare
 * @returns 0 when equal, else the difference of the first differing bytes (a[i] - b[i])
 */
declare function memcmp(a: Uint8Array, b: Uint8Array, n: number): number;

// ---------------------------------------------------------------------------------------------
// Interrupts (include/linux/interrupt.h, irqflags.h, kernel/irq/manage.c)
// ---------------------------------------------------------------------------------------------

/**
 * Registers `handler` for Linux irq `irq` and starts it: activation assigns the CPU vector,
 * writes the IRTE and the device's message (irq_write_msi_msg), then the chip unmasks. The
 * handler runs in hardirq context on the CPU that took the vector, as a frame above the
 * interrupted code.
 *
 * Linux: include/linux/interrupt.h, kernel/irq/manage.c.
 * @param irq the Linux irq (pci_irq_vector(), msi_map.virq)
 * @param handler `handler(irq, dev_id)` returning IRQ_NONE / IRQ_HANDLED / IRQ_WAKE_THREAD
 * @param flags IRQF_* (IRQF_SHARED needs a dev_id)
 * @param name the name /proc/interrupts would show
 * @param dev_id passed to the handler and needed by free_irq()
 * @returns 0, or -EINVAL (no such irq, no handler, IRQF_SHARED without dev_id), -EBUSY (flags
 *   mismatch with an existing action) or an activation error; the reason is logged
 * @example
 * const rc = request_irq(map.virq, wq_handler, 0, 'idxd-portal', wq);
 */
declare function request_irq<T>(
  irq: number,
  handler: irq_handler_t<T>,
  flags: number,
  name: string,
  dev_id: T,
): number;

/**
 * Registers a hardirq `handler` and/or a `thread_fn` for `irq` (see request_irq()). When the
 * handler returns IRQ_WAKE_THREAD (or is null), `thread_fn` runs afterwards.
 *
 * Emulation: the thread function runs on the same CPU when it leaves hardirq context, with
 * interrupts enabled — not in a kernel thread of its own.
 *
 * Linux: kernel/irq/manage.c.
 * @param irq the Linux irq
 * @param handler hardirq handler, or null for the default (wake the thread; needs IRQF_ONESHOT
 *   unless the chip is IRQCHIP_ONESHOT_SAFE)
 * @param thread_fn threaded handler, or null
 * @param flags IRQF_*
 * @param name the name /proc/interrupts would show
 * @param dev_id passed to both handlers and needed by free_irq()
 * @returns 0 or a negative errno, as request_irq()
 */
declare function request_threaded_irq<T>(
  irq: number,
  handler: irq_handler_t<T> | null,
  thread_fn: irq_handler_t<T> | null,
  flags: number,
  name: string,
  dev_id: T,
): number;

/**
 * Removes the action registered with `dev_id`. The last one shuts the irq down: mask,
 * deactivate (the IRTE is cleared and the vector goes back to a reservation).
 *
 * Linux: kernel/irq/manage.c.
 * @param irq the Linux irq
 * @param dev_id the dev_id given to request_irq()
 * @returns the name given to request_irq(), or null (with the kernel's "Trying to free
 *   already-free IRQ" warning) when there is no such action
 */
declare function free_irq(irq: number, dev_id: unknown): string | null;

/**
 * Disables `irq` (nested: each call needs an enable_irq()). Lazy, as Linux's default: the chip
 * is masked only if an interrupt arrives while disabled; that interrupt is kept pending and
 * replayed by enable_irq().
 *
 * Emulation: does not wait for a running handler (handlers on other CPUs cannot overlap the
 * caller here), so it is the same as disable_irq_nosync().
 *
 * Linux: kernel/irq/manage.c.
 * @param irq the Linux irq (an unknown irq is ignored)
 */
declare function disable_irq(irq: number): void;

/**
 * Disables `irq` without waiting for running handlers (see disable_irq()).
 *
 * Linux: kernel/irq/manage.c.
 * @param irq the Linux irq
 */
declare function disable_irq_nosync(irq: number): void;

/**
 * Undoes one disable_irq(); the last one re-enables (unmasks) the irq and replays an interrupt
 * that arrived while it was disabled. An unbalanced call logs "Unbalanced enable for IRQ".
 *
 * Linux: kernel/irq/manage.c.
 * @param irq the Linux irq
 */
declare function enable_irq(irq: number): void;

/**
 * Moves `irq` to the CPUs in `cpus`, as Linux's x86 vector code does: a vector is taken on the
 * online CPU of the mask with the most free vectors, and the old one is kept (prev_vector /
 * prev_cpu) until it is cleaned up.
 * - With interrupt remapping the IRTE is rewritten (vector and DST) and flushed from the
 *   interrupt entry cache; the device's message stays. From then on every interrupt arrives at
 *   the new CPU, so the old vector's cleanup is scheduled at once (intel_ir_set_affinity →
 *   vector_schedule_cleanup): a timer on the old CPU frees it a jiffy later.
 * - Without remapping the message is rewritten at the next interrupt (IRQCHIP_MOVE_DEFERRED),
 *   and the move stays "in progress" until the first interrupt arrives on the new CPU
 *   (irq_complete_move), which schedules the cleanup.
 * - Before request_irq() (not activated) the mask is only stored; activation uses it.
 * - While the previous move is not cleaned up, the change is deferred to the next interrupt.
 *
 * Emulation: the mask is an array of CPU numbers, not a `struct cpumask *`.
 *
 * Linux: kernel/irq/manage.c, migration.c; arch/x86/kernel/apic/vector.c.
 * @param irq the Linux irq
 * @param cpus CPU numbers, e.g. [2]; offline CPUs are ignored
 * @returns 0 (also when deferred), or -EINVAL for an unknown irq or when no CPU in `cpus` is
 *   online, -ENOSPC when no vector is free there
 * @throws KernelError when `cpus` is not an array
 */
declare function irq_set_affinity(irq: number, cpus: readonly number[]): number;

/**
 * Clears the interrupt flag (IF) of the CPU executing the caller: interrupts wait in the APIC.
 *
 * Linux: include/linux/irqflags.h.
 */
declare function local_irq_disable(): void;

/**
 * Sets IF on the current CPU; a pending interrupt is taken as soon as this call returns.
 *
 * Linux: include/linux/irqflags.h.
 */
declare function local_irq_enable(): void;

/**
 * Saves the interrupt state and disables interrupts.
 *
 * Emulation: returns the flags instead of assigning the macro's argument:
 * `const flags = local_irq_save();`.
 *
 * Linux: include/linux/irqflags.h.
 * @returns flags for local_irq_restore(): IF in bit 9 (0x200) as in RFLAGS
 */
declare function local_irq_save(): number;

/**
 * Restores the interrupt state local_irq_save() returned.
 *
 * Linux: include/linux/irqflags.h.
 * @param flags the value local_irq_save() returned
 */
declare function local_irq_restore(flags: number): void;

/**
 * Whether interrupts are disabled on the current CPU.
 *
 * Linux: include/linux/irqflags.h.
 * @returns true when IF is clear
 */
declare function irqs_disabled(): boolean;

/**
 * The CPU executing the caller: 0 for the model's main code, the CPU that took the vector in a
 * handler.
 *
 * Linux: include/linux/smp.h.
 * @returns the CPU number
 */
declare function smp_processor_id(): number;

/**
 * The number of online CPUs (the launch configuration's `cpus`).
 *
 * Linux: include/linux/cpumask.h.
 * @returns the count
 */
declare function num_online_cpus(): number;

/**
 * Whether `cpu` is online.
 *
 * Linux: include/linux/cpumask.h.
 * @param cpu the CPU number
 * @returns true when it is in cpu_online_mask
 */
declare function cpu_online(cpu: number): boolean;

/**
 * Takes a CPU offline, with what x86 Linux does for interrupts: its irqs move away
 * (fixup_irqs → irq_migrate_all_off_this_cpu: to the online CPUs of their affinity, else to any
 * online CPU — "IRQ n: no longer affine to CPUc"; with remapping the IRTEs follow), a vector
 * pending in its IRR is replayed on the irq's new CPU (irq_retrigger), its vector cleanups run
 * and its APIC stops accepting interrupts: a message still aimed at it is lost (the trace says
 * why).
 *
 * Emulation: CPU 0 cannot be taken down (Linux ≥ 6.5 on x86), nor the CPU running the caller.
 *
 * Linux: kernel/cpu.c; arch/x86/kernel/smpboot.c, irq.c, apic/vector.c.
 * @param cpu the CPU number
 * @returns 0; 1 when it is offline already; -EINVAL (no such CPU), -EPERM (CPU 0), -EBUSY (the
 *   last online CPU, or the caller's), -ENOSPC (its vectors do not fit on the other CPUs)
 */
declare function remove_cpu(cpu: number): number;

/**
 * Brings a CPU back online: its APIC is reset (INIT) and its vector space available again. Irqs
 * moved away stay where they are (only managed irqs would come back, and none are modelled).
 *
 * Linux: kernel/cpu.c; arch/x86/kernel/apic/vector.c lapic_online().
 * @param cpu the CPU number
 * @returns 0; 1 when it is online already; -EINVAL (no such CPU)
 */
declare function add_cpu(cpu: number): number;

/**
 * The affinity of an irq: the CPUs it may run on (every CPU unless set).
 *
 * Emulation: returns CPU numbers, not a `struct cpumask *`.
 *
 * Linux: include/linux/irq.h.
 * @param irq the Linux irq
 * @returns CPU numbers, or null for an unknown irq
 */
declare function irq_get_affinity_mask(irq: number): number[] | null;

/**
 * The effective affinity of an irq: the one CPU its vector is on (the CPU of the shutdown
 * vector while only reserved; the stored mask before activation after irq_set_affinity()).
 *
 * Emulation: returns CPU numbers, not a `struct cpumask *`.
 *
 * Linux: include/linux/irq.h.
 * @param irq the Linux irq
 * @returns CPU numbers, or null for an unknown irq
 */
declare function irq_get_effective_affinity_mask(irq: number): number[] | null;

// ---------------------------------------------------------------------------------------------
// MSI-X and IMS (drivers/pci/msi/api.c, irqdomain.c; include/linux/msi.h, msi_api.h)
// ---------------------------------------------------------------------------------------------

/**
 * Enables MSI-X with between `min` and `max` vectors and allocates their irqs in the device's
 * "PCI-MSIX" domain.
 *
 * Emulation: only MSI-X is modelled: `flags` must include PCI_IRQ_MSIX.
 *
 * Linux: drivers/pci/msi/api.c.
 * @param pdev the device
 * @param min fewest vectors acceptable, >= 1
 * @param max most vectors wanted (capped by the table size)
 * @param flags PCI_IRQ_* (PCI_IRQ_MSIX)
 * @returns the number of vectors allocated, or -EINVAL (bad range, MSI-X already enabled, no
 *   MSI-X capability), -ENOSPC (fewer than `min` entries, or no PCI_IRQ_MSIX), -ENOTSUPP
 */
declare function pci_alloc_irq_vectors(
  pdev: pci_dev,
  min: number,
  max: number,
  flags: number,
): number;

/**
 * Masks the entries, disables MSI-X, then frees every MSI-X irq (warning for one that still has
 * a handler: call free_irq() first). Until MSI-X is enabled again the device cannot signal
 * through MSI-X: a message it raises meanwhile is lost (dropped, the trace naming this call).
 *
 * Linux: drivers/pci/msi/api.c, msi.c pci_disable_msix() / pci_msix_shutdown().
 * @param pdev the device
 */
declare function pci_free_irq_vectors(pdev: pci_dev): void;

/**
 * The Linux irq of MSI-X entry `nr`.
 *
 * Linux: drivers/pci/msi/api.c.
 * @param pdev the device
 * @param nr the vector index (MSI-X table entry)
 * @returns the Linux irq, or -EINVAL when MSI-X is off or the entry has no irq
 */
declare function pci_irq_vector(pdev: pci_dev, nr: number): number;

/**
 * The MSI-X table size from the capability's Message Control.
 *
 * Linux: drivers/pci/msi/api.c.
 * @param pdev the device
 * @returns the number of entries, or -EINVAL without an MSI-X capability
 */
declare function pci_msix_vec_count(pdev: pci_dev): number;

/**
 * Whether MSI-X irqs can be allocated one by one after MSI-X is enabled: the device has an MSI-X
 * capability and its MSI parent domain (interrupt remapping, or the vector domain) supports
 * MSI_FLAG_PCI_MSIX_ALLOC_DYN. It can be asked before MSI-X is enabled.
 *
 * Linux: drivers/pci/msi/api.c (pci_msi_domain_supports()).
 * @param pdev the device
 * @returns true when dynamic allocation is possible
 */
declare function pci_msix_can_alloc_dyn(pdev: pci_dev): boolean;

/**
 * Allocates one more MSI-X irq while MSI-X stays enabled — no window in which the device's
 * interrupts are lost, unlike pci_free_irq_vectors() + pci_alloc_irq_vectors(). The entry's
 * message is written (reservation mode: the IRTE points at vector 0xef) but the entry stays
 * masked until request_irq() activates and unmasks the irq.
 *
 * Linux: drivers/pci/msi/api.c, kernel/irq/msi.c msi_domain_alloc_irq_at().
 * @param pdev the device (MSI-X enabled by pci_alloc_irq_vectors())
 * @param index the table entry, or MSI_ANY_INDEX for the lowest free one
 * @param affdesc the irq's initial affinity, or null
 * @returns `{ index, virq }`; on failure `index` is -ENOTSUPP (MSI-X not enabled, or no dynamic
 *   allocation), -EBUSY (the entry has an irq, or no entry is free), -ERANGE (index beyond the
 *   table) or the hierarchy's error, and `virq` 0
 * @throws KernelError for a malformed `affdesc`
 */
declare function pci_msix_alloc_irq_at(
  pdev: pci_dev,
  index: number,
  affdesc?: irq_affinity_desc | null,
): msi_map;

/**
 * Frees an irq pci_msix_alloc_irq_at() returned: deactivated (entry message and IRTE cleared)
 * and its descriptor freed; call free_irq() first. An invalid map, or a device without dynamic
 * allocation, only gets the kernel's warning.
 *
 * Linux: drivers/pci/msi/api.c.
 * @param pdev the device
 * @param map the map pci_msix_alloc_irq_at() returned
 */
declare function pci_msix_free_irq(pdev: pci_dev, map: msi_map): void;

/**
 * Creates the device's IMS domain (MSI_SECONDARY_DOMAIN) from the driver's template, below the
 * device's MSI parent (the IR unit's domain), named `<parent prefix><chip name>-<bdf>`, e.g.
 * IR-PCI-IDXD-0000:6a:01.0.
 * The API existed in Linux v6.2–v6.9 (removed in 2024 for lack of users); it is modelled as
 * designed.
 *
 * Emulation: where Linux just returns false, the reason is also logged.
 *
 * Linux: drivers/pci/msi/irqdomain.c (v6.2–v6.9).
 * @param pdev the device
 * @param template chip, ops and info: `info.bus_token` DOMAIN_BUS_PCI_DEVICE_IMS, `info.flags`
 *   with MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS; `chip` with irq_mask,
 *   irq_unmask and irq_write_msi_msg and without irq_set_affinity
 * @param hwsize number of IMS slots (0: unlimited)
 * @param data domain data, found as `domain.host_data.data` in prepare_desc (IDXD: the slots'
 *   iomem base, BAR0 + TABLE.ims_offset)
 * @returns true on success; false when the device has no MSI parent, the template is refused,
 *   hwsize is not a whole number >= 0, or the domain exists already
 */
declare function pci_create_ims_domain(
  pdev: pci_dev,
  template: msi_domain_template,
  hwsize: number,
  data?: unknown,
): boolean;

/**
 * Allocates one IMS irq at the first free slot: prepare_desc runs (slot address, `arg.hwirq`),
 * then the hierarchy allocates (vector reservation, IRTE). The irq is activated — vector,
 * IRTE and irq_write_msi_msg — by request_irq().
 *
 * Linux: drivers/pci/msi/api.c (v6.2–v6.9).
 * @param pdev the device
 * @param icookie per-instance cookie stored in `desc.data.icookie` (IDXD: the PASID), as
 *   `{ value }` or a bare number
 * @param affdesc the irq's initial affinity, or null
 * @returns `{ index, virq }`; on failure `index` is a negative errno (-ENODEV: no IMS domain,
 *   -EBUSY: every slot used, or the hierarchy's error) and `virq` 0
 * @throws KernelError for a malformed `affdesc`
 */
declare function pci_ims_alloc_irq(
  pdev: pci_dev,
  icookie: msi_instance_cookie | number,
  affdesc?: irq_affinity_desc | null,
): msi_map;

/**
 * Frees an IMS irq (deactivating it and freeing its descriptor). An irq that still has a
 * handler is freed with the kernel's warning; an invalid map only warns.
 *
 * Linux: drivers/pci/msi/api.c (v6.2–v6.9).
 * @param pdev the device
 * @param map the map pci_ims_alloc_irq() returned
 */
declare function pci_ims_free_irq(pdev: pci_dev, map: msi_map): void;

/**
 * The MSI descriptor of an irq level: in an IMS chip callback, the slot's descriptor with the
 * cookies.
 *
 * Linux: include/linux/irq.h.
 * @param d the irq_data the chip callback received
 * @returns the descriptor, or null for an irq that is not MSI
 */
declare function irq_data_get_msi_desc(d: irq_data): msi_desc | null;

/**
 * The chip data of an irq level.
 *
 * Linux: include/linux/irq.h.
 * @param d the irq_data
 * @returns `d.chip_data`
 */
declare function irq_data_get_irq_chip_data(d: irq_data): any;

/**
 * The top-level irq_data of Linux irq `irq` (for IMS: the IR-PCI-IDXD level).
 *
 * Linux: kernel/irq/irqdesc.c.
 * @param irq the Linux irq
 * @returns the irq_data, or null for an irq that does not exist
 */
declare function irq_get_irq_data(irq: number): irq_data | null;

// ---------------------------------------------------------------------------------------------
// The PCI driver model (drivers/pci/pci-driver.c, pci.c, access.c; include/linux/pci.h)
// ---------------------------------------------------------------------------------------------

/**
 * Registers `drv` now (module init) and unregisters it when the run ends (module exit), calling
 * probe() and later remove() for every matching device.
 *
 * Linux: include/linux/pci.h.
 * @param drv the driver
 * @throws KernelError when `drv` lacks a name, an id_table array or a probe function
 */
declare function module_pci_driver(drv: pci_driver): void;

/**
 * Registers `drv` and probes every unbound device its id_table matches, synchronously. A
 * probe that returns a negative errno leaves the device unbound and is logged.
 *
 * Linux: drivers/pci/pci-driver.c.
 * @param drv the driver
 * @returns 0
 * @throws KernelError when `drv` lacks a name, an id_table array or a probe function
 */
declare function pci_register_driver(drv: pci_driver): number;

/**
 * Calls remove() for each device bound to `drv` and unbinds them.
 *
 * Linux: drivers/pci/pci-driver.c.
 * @param drv the driver given to pci_register_driver()
 */
declare function pci_unregister_driver(drv: pci_driver): void;

/**
 * An id_table entry matching `vendor`:`device`.
 *
 * Linux: include/linux/pci.h (the PCI_DEVICE initializer).
 * @param vendor vendor ID, or PCI_ANY_ID
 * @param device device ID, or PCI_ANY_ID
 * @returns `{ vendor, device }`
 */
declare function PCI_DEVICE(vendor: number, device: number): pci_device_id;

/**
 * Enables the device: sets Memory Space Enable in the Command register.
 *
 * Linux: drivers/pci/pci.c.
 * @param pdev the device
 * @returns 0
 */
declare function pci_enable_device(pdev: pci_dev): number;

/**
 * Managed pci_enable_device().
 *
 * Emulation: nothing is undone automatically when the driver unbinds.
 *
 * Linux: drivers/pci/devres.c.
 * @param pdev the device
 * @returns 0
 */
declare function pcim_enable_device(pdev: pci_dev): number;

/**
 * Disables the device: clears Memory Space and Bus Master Enable.
 *
 * Linux: drivers/pci/pci.c.
 * @param pdev the device
 */
declare function pci_disable_device(pdev: pci_dev): void;

/**
 * Sets Bus Master Enable: needed before the device can DMA or send MSI-X/IMS messages.
 *
 * Linux: drivers/pci/pci.c.
 * @param pdev the device
 */
declare function pci_set_master(pdev: pci_dev): void;

/**
 * Clears Bus Master Enable: the device's DMA and interrupt messages stop.
 *
 * Linux: drivers/pci/pci.c.
 * @param pdev the device
 */
declare function pci_clear_master(pdev: pci_dev): void;

/**
 * The physical base address of a BAR.
 *
 * Linux: include/linux/pci.h.
 * @param pdev the device
 * @param bar BAR number 0..5 (DSA: 0 registers, 2 WQ portals)
 * @returns the address, or 0 when the device has no such BAR
 */
declare function pci_resource_start(pdev: pci_dev, bar: number): number;

/**
 * The size of a BAR.
 *
 * Linux: include/linux/pci.h.
 * @param pdev the device
 * @param bar BAR number 0..5
 * @returns bytes, or 0 when the device has no such BAR
 */
declare function pci_resource_len(pdev: pci_dev, bar: number): number;

/**
 * Maps a BAR (see ioremap()).
 *
 * Emulation: a missing BAR throws instead of returning NULL.
 *
 * Linux: lib/pci_iomap.c.
 * @param pdev the device
 * @param bar BAR number 0..5
 * @param maxlen bytes to map; 0 or absent: the whole BAR
 * @returns the iomem cookie of the BAR's start
 * @throws KernelError when the device has no such BAR
 */
declare function pci_iomap(pdev: pci_dev, bar: number, maxlen?: number): number;

/**
 * Managed pci_iomap().
 *
 * Emulation: the mapping is not undone automatically when the driver unbinds.
 *
 * Linux: drivers/pci/devres.c.
 * @param pdev the device
 * @param bar BAR number 0..5
 * @param maxlen bytes to map; 0 or absent: the whole BAR
 * @returns the iomem cookie of the BAR's start
 * @throws KernelError when the device has no such BAR
 */
declare function pcim_iomap(pdev: pci_dev, bar: number, maxlen?: number): number;

/**
 * The device's name.
 *
 * Linux: include/linux/pci.h.
 * @param pdev the device
 * @returns the BDF, `dddd:bb:dd.f`
 */
declare function pci_name(pdev: pci_dev): string;

/**
 * A device's name.
 *
 * Linux: include/linux/device.h.
 * @param dev the device (`pdev.dev`)
 * @returns for a PCI device the BDF
 */
declare function dev_name(dev: device): string;

/**
 * Reads a config-space byte.
 *
 * Emulation: returns the value instead of writing it through a `u8 *` and returning a PCIBIOS
 * status.
 *
 * Linux: drivers/pci/access.c.
 * @param pdev the device
 * @param where byte offset in config space (0..0xfff)
 * @returns the byte
 */
declare function pci_read_config_byte(pdev: pci_dev, where: number): number;

/**
 * Reads a config-space word.
 *
 * Emulation: returns the value instead of writing it through a `u16 *`.
 *
 * Linux: drivers/pci/access.c.
 * @param pdev the device
 * @param where byte offset in config space, 2-byte aligned
 * @returns the word, unsigned 16-bit
 */
declare function pci_read_config_word(pdev: pci_dev, where: number): number;

/**
 * Reads a config-space dword.
 *
 * Emulation: returns the value instead of writing it through a `u32 *`.
 *
 * Linux: drivers/pci/access.c.
 * @param pdev the device
 * @param where byte offset in config space, 4-byte aligned
 * @returns the dword, unsigned 32-bit
 */
declare function pci_read_config_dword(pdev: pci_dev, where: number): number;

/**
 * Writes a config-space word (read-only bits keep their value, as the hardware does).
 *
 * Emulation: returns nothing instead of a PCIBIOS status.
 *
 * Linux: drivers/pci/access.c.
 * @param pdev the device
 * @param where byte offset in config space, 2-byte aligned
 * @param val the value, 16-bit
 */
declare function pci_write_config_word(pdev: pci_dev, where: number, val: number): void;

/**
 * Writes a config-space dword (read-only bits keep their value).
 *
 * Emulation: returns nothing instead of a PCIBIOS status.
 *
 * Linux: drivers/pci/access.c.
 * @param pdev the device
 * @param where byte offset in config space, 4-byte aligned
 * @param val the value, 32-bit
 */
declare function pci_write_config_dword(pdev: pci_dev, where: number, val: number): void;

/**
 * Saves config space for pci_restore_state(): dwords 0..15 (IDs, COMMAND, the BARs…) and the
 * PCI Express capability's Device Control and Device Control 2. The MSI-X table is not saved;
 * pci_restore_state() rewrites it from the irq layer's descriptors.
 *
 * Linux: drivers/pci/pci.c (pci_save_state, pci_save_pcie_state).
 * @param pdev the device
 * @returns 0
 */
declare function pci_save_state(pdev: pci_dev): number;

/**
 * Restores what pci_save_state() saved and consumes it (a second call does nothing): Device
 * Control (2), then config dwords 10..15, 4..9 (the BARs) and 0..3 (COMMAND), each written only
 * where it differs; then, when MSI-X is enabled (pdev.msix_enabled), the MSI-X table: every
 * allocated entry's last message and mask bit, with Function Mask set meanwhile. The IMS store
 * is not restored (the PCI core does not know it).
 *
 * Linux: drivers/pci/pci.c (pci_restore_state); drivers/pci/msi/msi.c
 * (__pci_restore_msix_state).
 * @param pdev the device
 */
declare function pci_restore_state(pdev: pci_dev): void;

/**
 * Function Level Reset: writes Initiate FLR (PCI Express Device Control bit 15,
 * PCI_EXP_DEVCTL_BCR_FLR) and sleeps 100 ms (interrupts are taken meanwhile). The function
 * resets at once: config space to reset values (COMMAND 0, BAR addresses 0, MSI-X disabled),
 * and for a DSA the MSI-X table, IMS, registers, WQs, descriptors and interrupt handles — a
 * halt of any reset type ends. Nothing is saved or restored: see pci_reset_function().
 *
 * Emulation: Transactions Pending never needs waiting for, and the function answers config
 * reads at once after the 100 ms. Like Linux, it does not check FLR capability.
 *
 * Linux: drivers/pci/pci.c (pcie_flr). PCIe Base spec r6.0 §6.6.2, §7.5.3.4.
 * @param pdev the device
 * @returns 0
 */
declare function pcie_flr(pdev: pci_dev): number;

/**
 * FLR as a reset method: checks Device Capabilities bit 28 (FLR capable) first.
 *
 * Linux: drivers/pci/pci.c (pcie_reset_flr).
 * @param pdev the device
 * @param probe true (PCI_RESET_PROBE): only check; false (PCI_RESET_DO_RESET): reset
 * @returns 0, or -ENOTTY when the function cannot do an FLR
 */
declare function pcie_reset_flr(pdev: pci_dev, probe: boolean): number;

/**
 * Resets the function and keeps its configuration: the bound driver's
 * err_handler.reset_prepare() (or the warning `resetting`), pci_save_state(), COMMAND = INTx
 * Disable (no decoding, no bus mastering), pcie_flr(), pci_restore_state(), then
 * err_handler.reset_done() (or `reset done`). The device's own registers (a DSA's
 * configuration) are the driver's to restore in reset_done.
 *
 * Emulation: FLR is the only reset method.
 *
 * Linux: drivers/pci/pci.c (pci_reset_function, pci_dev_save_and_disable, pci_dev_restore).
 * @param pdev the device
 * @returns 0, or -ENOTTY when the function cannot be reset
 */
declare function pci_reset_function(pdev: pci_dev): number;

/**
 * Stores driver-private data with the device (probe's state, for remove() and handlers).
 *
 * Linux: include/linux/pci.h.
 * @param pdev the device
 * @param data anything
 */
declare function pci_set_drvdata(pdev: pci_dev, data: unknown): void;

/**
 * The data pci_set_drvdata() stored.
 *
 * Linux: include/linux/pci.h.
 * @param pdev the device
 * @returns the data, or null if none was set
 */
declare function pci_get_drvdata(pdev: pci_dev): any;

/**
 * The configuration `accel-config load-config` wrote to this device's sysfs attributes
 * (groups, WQs, engines, with Linux's defaults) — what the idxd driver reads from its
 * `struct idxd_device` when it configures the device.
 *
 * Not kernel API: the emulation's stand-in for the sysfs configuration (the launch
 * configuration's `config` file, default `accel-config.conf` beside the model).
 *
 * Linux: drivers/dma/idxd/sysfs.c (the attributes), accel-config's `load-config`.
 * @param pdev the device
 * @returns the device's configuration, or null when the run has no accel-config file or the
 *   file does not name this device
 */
declare function accel_config_get(pdev: pci_dev): accfg_device | null;

// ---------------------------------------------------------------------------------------------
// Time and waiting (include/linux/delay.h, jiffies.h, timekeeping.h, completion.h)
// ---------------------------------------------------------------------------------------------
// The clock is the machine's simulated one, in ns from boot. Delays advance it; while a CPU
// busy-waits or sleeps with interrupts enabled it takes the interrupts that become due.

/**
 * Busy-waits `us` microseconds, taking interrupts if they are enabled.
 *
 * Linux: include/linux/delay.h.
 * @param us microseconds, a finite number >= 0
 * @throws KernelError for a negative or non-finite delay
 */
declare function udelay(us: number): void;

/**
 * Busy-waits `ns` nanoseconds, taking interrupts if they are enabled.
 *
 * Linux: include/linux/delay.h.
 * @param ns nanoseconds, a finite number >= 0
 * @throws KernelError for a negative or non-finite delay
 */
declare function ndelay(ns: number): void;

/**
 * Busy-waits `ms` milliseconds, taking interrupts if they are enabled.
 *
 * Linux: include/linux/delay.h.
 * @param ms milliseconds, a finite number >= 0
 * @throws KernelError for a negative or non-finite delay
 */
declare function mdelay(ms: number): void;

/**
 * Sleeps `ms` milliseconds; interrupts are taken meanwhile.
 *
 * Emulation: sleeps exactly `ms` (Linux rounds up to jiffies).
 *
 * Linux: include/linux/delay.h.
 * @param ms milliseconds, >= 0
 * @throws KernelError "BUG: scheduling while atomic" with interrupts disabled or in a hardirq
 *   handler; or for a negative delay
 */
declare function msleep(ms: number): void;

/**
 * Sleeps between `min` and `max` microseconds.
 *
 * Emulation: sleeps exactly `min` (deterministic runs).
 *
 * Linux: include/linux/delay.h.
 * @param min microseconds, >= 0
 * @param max microseconds (ignored)
 * @throws KernelError "BUG: scheduling while atomic" with interrupts disabled or in a hardirq
 *   handler; or for a negative delay
 */
declare function usleep_range(min: number, max: number): void;

/**
 * The PAUSE of a polling loop: advances the clock 100 ns, taking interrupts if enabled.
 *
 * Linux: arch/x86/include/asm/vdso/processor.h.
 */
declare function cpu_relax(): void;

/**
 * Monotonic time since boot.
 *
 * Linux: include/linux/timekeeping.h.
 * @returns simulated nanoseconds since boot
 */
declare function ktime_get_ns(): number;

/**
 * The `jiffies` counter.
 *
 * Emulation: a function, not a variable; jiffies start at 0 (not INITIAL_JIFFIES).
 *
 * Linux: include/linux/jiffies.h.
 * @returns jiffies since boot (HZ = 1000: one per millisecond)
 */
declare function get_jiffies(): number;

/**
 * Converts milliseconds to jiffies, rounding up.
 *
 * Linux: include/linux/jiffies.h.
 * @param ms milliseconds
 * @returns jiffies
 */
declare function msecs_to_jiffies(ms: number): number;

/**
 * Converts microseconds to jiffies, rounding up.
 *
 * Linux: include/linux/jiffies.h.
 * @param us microseconds
 * @returns jiffies
 */
declare function usecs_to_jiffies(us: number): number;

/**
 * `struct completion` (include/linux/completion.h): something to wait for, completed from an
 * interrupt handler. `new completion()` is DECLARE_COMPLETION; init_completion() also makes one.
 */
declare class completion {
  /** Completions not yet consumed by a waiter; Infinity after complete_all(). */
  readonly done: number;
}

/**
 * Makes a completion ready for use, or resets `x`.
 *
 * Emulation: returns the completion (C's init_completion() fills in the one you pass), so
 * `const done = init_completion();` works.
 *
 * Linux: include/linux/completion.h.
 * @param x a completion to reset; absent: a new one
 * @returns `x` reset, or a new completion
 */
declare function init_completion(x?: completion): completion;

/**
 * Resets `x` for reuse (done = 0), e.g. before issuing the next command.
 *
 * Linux: include/linux/completion.h.
 * @param x the completion
 */
declare function reinit_completion(x: completion): void;

/**
 * Wakes one waiter of `x` (or lets the next wait return at once). Safe in a handler.
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 * @throws KernelError when `x` is not a completion
 */
declare function complete(x: completion): void;

/**
 * Wakes every waiter of `x`, now and later, until reinit_completion().
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 */
declare function complete_all(x: completion): void;

/**
 * Whether a wait on `x` would return at once.
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 * @returns true when `x` has a completion not yet consumed
 */
declare function completion_done(x: completion): boolean;

/**
 * Consumes a completion of `x` if there is one, without waiting.
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 * @returns true if one was consumed, false if the caller would have had to wait
 */
declare function try_wait_for_completion(x: completion): boolean;

/**
 * Sleeps until complete(x), taking interrupts meanwhile (the device work and interrupts that
 * complete it run as the clock advances).
 *
 * Emulation: when nothing is left that could complete it (no device work or interrupt pending),
 * the model stops with a hung-task report instead of hanging the debugger.
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 * @throws KernelError for the hung task, for "BUG: scheduling while atomic" (interrupts disabled
 *   or in a hardirq handler), or when `x` is not a completion
 */
declare function wait_for_completion(x: completion): void;

/**
 * Sleeps until complete(x) or until `timeout` jiffies pass.
 *
 * Emulation: when nothing is left that could complete it, returns 0 at once instead of waiting
 * out the timeout.
 *
 * Linux: kernel/sched/completion.c.
 * @param x the completion
 * @param timeout jiffies (msecs_to_jiffies())
 * @returns 0 on timeout, else the jiffies left (at least 1)
 * @throws KernelError for "BUG: scheduling while atomic", or when `x` is not a completion
 */
declare function wait_for_completion_timeout(x: completion, timeout: number): number;

// ---------------------------------------------------------------------------------------------
// Kernel log (include/linux/printk.h, dev_printk.h, asm-generic/bug.h)
// ---------------------------------------------------------------------------------------------
// Formats as the kernel's vsnprintf: %d %i %u %x %X %o %c %s %p %% with flags, width, precision
// and length modifiers (l, ll, h, hh, z, t: accepted and ignored), %pa (phys_addr_t as
// 0x%016llx) and %pe (an errno as -EINVAL). bigints print exactly; %s of an object prints JSON.
// A trailing newline is optional; each line becomes one kernel log line.

/**
 * Logs a message at KERN_INFO.
 *
 * Emulation: KERN_* level prefixes are not parsed; use pr_err() and friends for a level.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function printk(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_EMERG.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function pr_emerg(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_ERR.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function pr_err(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_WARNING.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function pr_warn(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_INFO.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function pr_info(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_DEBUG.
 *
 * Emulation: always logged (as with DEBUG defined), not subject to dynamic debug.
 *
 * Linux: include/linux/printk.h.
 * @param fmt format string
 * @param args values for the conversions
 */
declare function pr_debug(fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_ERR, prefixed `<driver> <bdf>: ` as dev_printk does.
 *
 * Linux: include/linux/dev_printk.h.
 * @param dev the device (a pci_dev or `pdev.dev`)
 * @param fmt format string
 * @param args values for the conversions
 */
declare function dev_err(dev: device, fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_WARNING, prefixed `<driver> <bdf>: `.
 *
 * Linux: include/linux/dev_printk.h.
 * @param dev the device
 * @param fmt format string
 * @param args values for the conversions
 */
declare function dev_warn(dev: device, fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_INFO, prefixed `<driver> <bdf>: `.
 *
 * Linux: include/linux/dev_printk.h.
 * @param dev the device
 * @param fmt format string
 * @param args values for the conversions
 */
declare function dev_info(dev: device, fmt: string, ...args: unknown[]): void;

/**
 * Logs at KERN_DEBUG, prefixed `<driver> <bdf>: `.
 *
 * Emulation: always logged, not subject to dynamic debug.
 *
 * Linux: include/linux/dev_printk.h.
 * @param dev the device
 * @param fmt format string
 * @param args values for the conversions
 */
declare function dev_dbg(dev: device, fmt: string, ...args: unknown[]): void;

/**
 * Logs `WARNING: WARN_ON(condition) triggered` when `cond` is truthy.
 *
 * Emulation: no file:line and no register dump; the debugger's call stack shows where.
 *
 * Linux: include/asm-generic/bug.h.
 * @param cond the condition
 * @returns whether `cond` is truthy, so that `if (WARN_ON(x)) return -EINVAL;` works
 */
declare function WARN_ON(cond: unknown): boolean;

// ---------------------------------------------------------------------------------------------
// Bits (include/linux/bits.h, bitfield.h, wordpart.h)
// ---------------------------------------------------------------------------------------------
// The 32-bit forms work on numbers and return unsigned values; the _ULL forms, and FIELD_GET /
// FIELD_PREP with any bigint operand, work on 64-bit bigints (readq() returns one).

/**
 * `1 << n` as an unsigned 32-bit number.
 *
 * Emulation: n is limited to 0..31 (BIT is an unsigned long, 64 bits, on x86-64 Linux): use
 * BIT_ULL() for bits 32..63.
 *
 * Linux: include/vdso/bits.h.
 * @param n bit number, 0..31
 * @returns the bit
 * @throws KernelError for n outside 0..31
 */
declare function BIT(n: number): number;

/**
 * `1 << n` as a 64-bit bigint.
 *
 * Linux: include/vdso/bits.h.
 * @param n bit number, 0..63
 * @returns the bit
 * @throws KernelError for n outside 0..63
 */
declare function BIT_ULL(n: number): bigint;

/**
 * The mask of bits `h` down to `l`, e.g. GENMASK(7, 4) = 0xf0.
 *
 * Linux: include/linux/bits.h.
 * @param h high bit, <= 31
 * @param l low bit, <= h
 * @returns the mask, unsigned 32-bit
 * @throws KernelError unless 31 >= h >= l >= 0 (for a 64-bit mask use GENMASK_ULL())
 */
declare function GENMASK(h: number, l: number): number;

/**
 * The 64-bit mask of bits `h` down to `l`, e.g. GENMASK_ULL(39, 32) = 0xff00000000n.
 *
 * Linux: include/linux/bits.h.
 * @param h high bit, <= 63
 * @param l low bit, <= h
 * @returns the mask as a bigint
 * @throws KernelError unless 63 >= h >= l >= 0
 */
declare function GENMASK_ULL(h: number, l: number): bigint;

/**
 * Extracts the field `mask` from `reg`, shifted down: FIELD_GET(GENMASK(7, 4), 0xa5) = 0xa.
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param reg the register value
 * @returns the field value, shifted down as a number
 * @throws KernelError when the mask is 0
 */
declare function FIELD_GET(mask: number, reg: number): number;
/**
 * FIELD_GET with a 64-bit mask (GENMASK_ULL(), BIT_ULL()).
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param reg the register value
 * @returns the field value, shifted down as a bigint
 * @throws KernelError when the mask is 0
 */
declare function FIELD_GET(mask: bigint, reg: number | bigint): bigint;
/**
 * FIELD_GET with a 64-bit reg (e.g. from readq()).
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param reg the register value
 * @returns the field value, shifted down as a bigint
 * @throws KernelError when the mask is 0
 */
declare function FIELD_GET(mask: number | bigint, reg: bigint): bigint;
/**
 * FIELD_GET for operands that may be numbers or bigints.
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param reg the register value
 * @returns the field value, shifted down: a bigint if either operand is one, else a number
 * @throws KernelError when the mask is 0
 */
declare function FIELD_GET(mask: number | bigint, reg: number | bigint): number | bigint;

/**
 * Shifts `val` into the field `mask`: FIELD_PREP(GENMASK(7, 4), 0xa) = 0xa0.
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param val the field value (bits beyond the field are dropped)
 * @returns the register bits as a number
 * @throws KernelError when the mask is 0
 */
declare function FIELD_PREP(mask: number, val: number): number;
/**
 * FIELD_PREP with a 64-bit mask (GENMASK_ULL(), BIT_ULL()).
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param val the field value (bits beyond the field are dropped)
 * @returns the register bits as a bigint
 * @throws KernelError when the mask is 0
 */
declare function FIELD_PREP(mask: bigint, val: number | bigint): bigint;
/**
 * FIELD_PREP with a 64-bit val (e.g. from readq()).
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param val the field value (bits beyond the field are dropped)
 * @returns the register bits as a bigint
 * @throws KernelError when the mask is 0
 */
declare function FIELD_PREP(mask: number | bigint, val: bigint): bigint;
/**
 * FIELD_PREP for operands that may be numbers or bigints.
 *
 * Linux: include/linux/bitfield.h.
 * @param mask the field's mask (contiguous, not 0)
 * @param val the field value (bits beyond the field are dropped)
 * @returns the register bits: a bigint if either operand is one, else a number
 * @throws KernelError when the mask is 0
 */
declare function FIELD_PREP(mask: number | bigint, val: number | bigint): number | bigint;

/**
 * Bits 31:0 of a 64-bit value (e.g. a DMA address for a pair of 32-bit registers).
 *
 * Linux: include/linux/wordpart.h.
 * @param v a number or bigint
 * @returns the low 32 bits, unsigned
 */
declare function lower_32_bits(v: number | bigint): number;

/**
 * Bits 63:32 of a 64-bit value.
 *
 * Linux: include/linux/wordpart.h.
 * @param v a number or bigint
 * @returns the high 32 bits, unsigned
 */
declare function upper_32_bits(v: number | bigint): number;

// ---------------------------------------------------------------------------------------------
// The debugger's own calls (not kernel API)
// ---------------------------------------------------------------------------------------------

/**
 * ims-debug's fault-injection and inspection calls — not kernel API. They let a model break what
 * a driver cannot normally reach (an IRTE), to see how the hardware and the kernel react. Each
 * shows in the call stack as a kernel frame named `ims_debug.<name>`.
 */
declare namespace ims_debug {
  /**
   * The fields of a remapped-format IRTE (VT-d spec 9.10), as irte_write() takes them; fields
   * left out are 0.
   */
  interface irte {
    /** Present. */
    p: number;
    /** Fault Processing Disable. */
    fpd: number;
    /** Destination mode: 0 physical, 1 logical. */
    dm: number;
    /** Redirection hint. */
    rh: number;
    /** Trigger mode: 0 edge, 1 level. */
    tm: number;
    /** Delivery mode: 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 7 ExtINT. */
    dlm: number;
    /** Available to software (bits 11:8). */
    avail: number;
    /** IRTE mode (IM): 0 remapped, 1 posted. */
    pst: number;
    /** Vector (remapped) or virtual vector (posted). */
    vector: number;
    /** Destination ID, bits 63:32 (x2APIC: the APIC ID; xAPIC: the APIC ID in bits 47:40). */
    dst: number;
    /** Source ID (requester ID) to verify. */
    sid: number;
    /** Source-ID qualifier. */
    sq: number;
    /** Source validation type: 0 none, 1 SID+SQ, 2 bus range. */
    svt: number;
    /** Posted: urgent. */
    urg: number;
    /** Posted: the posted-interrupt descriptor address (64-byte aligned). */
    pda: bigint;
  }

  /**
   * Reads an IRTE from the table in memory (what software wrote; the unit may still use a cached
   * copy — see iec_read()).
   * @param index IRTE index in the unit's table (ims_debug.irte_of_irq() gives an irq's)
   * @param unitIndex IR unit, default 0 (INTEL-IR-0)
   * @returns the 128-bit entry as a bigint
   * @throws KernelError for an IR unit that does not exist or an index outside 0..65535
   */
  function irte_read(index: number, unitIndex?: number): bigint;

  /** Options of irte_write(). */
  interface irte_write_options {
    /**
     * Flush the entry from the unit's interrupt entry cache afterwards, as modify_irte() does
     * (default true). With false the unit keeps using what it cached — a stale entry.
     */
    flush?: boolean;
  }

  /**
   * Writes an IRTE behind the kernel's back, e.g. to clear Present or change the SID and see the
   * remapping fault. By default the entry is then flushed from the unit's interrupt entry cache
   * the way the kernel does it (qi_flush_iec: an invalidation descriptor through the queued
   * invalidation interface); pass `{ flush: false }` to leave the cache alone and see the unit
   * go on with the stale entry (its deliveries say "stale IRTE").
   * @param index IRTE index
   * @param value the 128-bit entry, or its fields (the rest 0)
   * @param unitIndex IR unit, default 0 — or the options, for unit 0
   * @param opts `{ flush }`
   * @returns qi_flush_iec()'s result: 0, or a negative errno; 0 without a flush
   * @throws KernelError for an IR unit that does not exist or an index outside 0..65535
   */
  function irte_write(
    index: number,
    value: bigint | Partial<irte>,
    unitIndex?: number | irte_write_options,
    opts?: irte_write_options,
  ): number;

  /**
   * The IRTE the unit's interrupt entry cache holds for `index` — what translation uses — or
   * null when it holds none (the next request reads the table and, if the entry is present and
   * valid, caches it).
   * @param index IRTE index
   * @param unitIndex IR unit, default 0
   * @returns the cached 128-bit entry, or null
   * @throws KernelError for an IR unit that does not exist or an index outside 0..65535
   */
  function iec_read(index: number, unitIndex?: number): bigint | null;

  /**
   * Invalidates 2^mask IRTEs from `index` (aligned) in the unit's interrupt entry cache, as the
   * kernel's qi_flush_iec() does: an Interrupt Entry Cache Invalidate descriptor (index-selective)
   * and an invalidation wait descriptor through the invalidation queue (IQA/IQT).
   * @param index IRTE index
   * @param mask log2 of the number of entries, default 0 (one)
   * @param unitIndex IR unit, default 0
   * @returns 0, or a negative errno (-EINVAL: the unit refused a descriptor)
   * @throws KernelError for an IR unit that does not exist or a bad index or mask
   */
  function qi_flush_iec(index: number, mask?: number, unitIndex?: number): number;

  /**
   * Invalidates the unit's whole interrupt entry cache, as the kernel's qi_global_iec() does.
   * @param unitIndex IR unit, default 0
   * @returns 0, or a negative errno
   * @throws KernelError for an IR unit that does not exist
   */
  function qi_global_iec(unitIndex?: number): number;

  /** The vector level of an irq (struct apic_chip_data), as debugfs shows it. */
  interface apic_chip_data {
    /** The vector on `cpu` (0 while only reserved). */
    vector: number;
    cpu: number;
    /** The vector before the last move, kept until its cleanup (0 if none). */
    prev_vector: number;
    prev_cpu: number;
    /** Waiting for the first interrupt on the new CPU (no remapping). */
    move_in_progress: boolean;
    /** The previous vector waits for the cleanup timer on `prev_cpu`. */
    cleanup_pending: boolean;
    /** Only a global reservation, no vector yet (reservation mode). */
    has_reserved: boolean;
    can_reserve: boolean;
    /** hw_irq_cfg.vector: what the IRTE or message uses (0xef while reserved). */
    cfg_vector: number;
    /** hw_irq_cfg.dest_apicid. */
    dest_apicid: number;
    /** The effective affinity (one CPU). */
    effective_affinity: number[];
  }

  /**
   * The vector level of an irq: vector, CPU, previous vector and the move's state.
   * @param irq the Linux irq
   * @returns its apic_chip_data, or null for an unknown irq
   */
  function vector_of_irq(irq: number): apic_chip_data | null;

  /**
   * The IRTE an irq's remapping level uses (irte_index + sub_handle).
   * @param irq the Linux irq
   * @returns the IRTE index, or -1 when the irq is not remapped (or does not exist)
   */
  function irte_of_irq(irq: number): number;

  /**
   * The simulated time.
   * @returns nanoseconds since boot (as ktime_get_ns())
   */
  function now(): number;
  /**
   * The DSA revokes every interrupt handle, as after a host-side FLR or a migration:
   * INTCAUSE.int_handle_revoked is set and the misc interrupt (MSI-X entry 0) fires;
   * descriptors with old handles then complete with INT_HANDLE_INVAL (0x19).
   * Same as writing EMU_INJECT.REVOKE_INT_HANDLES (BAR0 0x2f0).
   * @param pdev the DSA's pci_dev (the one probe() received)
   * @returns how many handles were revoked
   * @throws when `pdev` is not a DSA's pci_dev
   */
  function revoke_int_handles(pdev: pci_dev): number;
  /**
   * The DSA halts as on an internal hardware error: GENSTS.state = HALT with `resetType`
   * (IDXD_DEVICE_RESET_SOFTWARE 0, _FLR 1, _WARM 2, _COLD 3), queued descriptors are discarded
   * and INTCAUSE.halt_state is set (a misc interrupt when GENCTRL.halt_int_en). With `hwError`,
   * SWERR also records HW_ERR1. Same as writing EMU_INJECT.HALT (BAR0 0x2f0).
   * @param pdev the DSA's pci_dev (the one probe() received)
   * @param resetType GENSTS.reset_type: the reset that recovers the device (default 0)
   * @param hwError also record HW_ERR1 in SWERR (default false)
   * @throws when `pdev` is not a DSA's pci_dev or `resetType` is outside 0..3
   */
  function halt_device(pdev: pci_dev, resetType?: number, hwError?: boolean): void;
}

// ---------------------------------------------------------------------------------------------
// include/uapi/linux/idxd.h: descriptors and completion records
// ---------------------------------------------------------------------------------------------

/**
 * `struct dsa_hw_desc` (include/uapi/linux/idxd.h): a 64-byte DSA descriptor with the header's
 * field names. Build one, then submit `desc.toBytes()` (or the descriptor itself) with
 * iosubmit_cmds512() or enqcmds(). Union members share a field: see each field.
 */
declare class dsa_hw_desc {
  /**
   * Creates a descriptor; fields not given are 0.
   * @param init field values
   */
  constructor(init?: Partial<Omit<dsa_hw_desc, 'toBytes' | 'op_specific'>>);
  /** PASID (bits 19:0 of dword 0). */
  pasid: number;
  /** Privileged (supervisor) request, bit 31 of dword 0: 1 for kernel descriptors. */
  priv: number;
  /** IDXD_OP_FLAG_* (24 bits). */
  flags: number;
  /** DSA_OPCODE_*. */
  opcode: number;
  /** Bus address of the 32-byte-aligned completion record (needs IDXD_OP_FLAG_CRAV). */
  completion_addr: number;
  /** src_addr; also rdback_addr, pattern (MEMFILL), desc_list_addr (BATCH). */
  src_addr: number | bigint;
  /** dst_addr; also src2_addr (COMPARE), comp_pattern (COMPVAL). */
  dst_addr: number | bigint;
  /** Bytes to process; desc_count for BATCH. */
  xfer_size: number;
  /** Interrupt handle from REQUEST_INT_HANDLE (16 bits), used with IDXD_OP_FLAG_RCI. */
  int_handle: number;
  /** Bytes 40..63: op-specific fields (expected_res, dest2, crc_seed, …), little-endian. */
  readonly op_specific: Uint8Array;
  /**
   * The descriptor as the device reads it.
   * @returns 64 bytes, little-endian
   */
  toBytes(): Uint8Array;
}

/**
 * `struct dsa_completion_record` (include/uapi/linux/idxd.h) over 32 bytes of DMA memory
 * (a DmaBuffer): the fields read the memory live, so poll `status` or read it in the
 * completion interrupt's handler.
 */
declare class dsa_completion_record {
  /**
   * A view of the record at `mem`.
   * @param mem the completion record's 32 bytes (its DmaBuffer)
   * @throws RangeError when fewer than 32 bytes of memory follow `mem`'s start
   */
  constructor(mem: Uint8Array);
  /**
   * Status byte: bits 6:0 the DSA_COMP_* code (DSA_COMP_STATUS_MASK), bit 7 fault on write;
   * 0 (DSA_COMP_NONE) until the device completes.
   */
  readonly status: number;
  /** Result byte (e.g. COMPARE: 0 equal, 1 different). */
  readonly result: number;
  /** Bytes completed before a page fault or error. */
  readonly bytes_completed: number;
  /** The faulting address, for a page fault. */
  readonly fault_addr: bigint;
  /** Bytes 16..31: op-specific (invalid_flags, crc_val, …). */
  readonly op_specific: Uint8Array;
}

/** DSA_OPCODE_NOOP: no operation (completes at once; fences and interrupts only). */
declare const DSA_OPCODE_NOOP = 0x00;
/** DSA_OPCODE_BATCH: a batch of descriptors at desc_list_addr (xfer_size = desc_count). */
declare const DSA_OPCODE_BATCH = 0x01;
/** DSA_OPCODE_DRAIN: waits for earlier descriptors of the WQ (or PASID). */
declare const DSA_OPCODE_DRAIN = 0x02;
/** DSA_OPCODE_MEMMOVE: copies xfer_size bytes from src_addr to dst_addr. */
declare const DSA_OPCODE_MEMMOVE = 0x03;
/** DSA_OPCODE_MEMFILL: fills dst_addr with the 8-byte pattern (in src_addr). */
declare const DSA_OPCODE_MEMFILL = 0x04;
/** DSA_OPCODE_COMPARE: compares src_addr and src2_addr (dst_addr). */
declare const DSA_OPCODE_COMPARE = 0x05;
/** DSA_OPCODE_COMPVAL: compares src_addr with an 8-byte pattern. */
declare const DSA_OPCODE_COMPVAL = 0x06;
/** DSA_OPCODE_CR_DELTA: creates a delta record. */
declare const DSA_OPCODE_CR_DELTA = 0x07;
/** DSA_OPCODE_AP_DELTA: applies a delta record. */
declare const DSA_OPCODE_AP_DELTA = 0x08;
/** DSA_OPCODE_DUALCAST: copies to two destinations. */
declare const DSA_OPCODE_DUALCAST = 0x09;
/** DSA_OPCODE_CRCGEN: CRC32C generation. */
declare const DSA_OPCODE_CRCGEN = 0x10;
/** DSA_OPCODE_COPY_CRC: copy with CRC32C generation. */
declare const DSA_OPCODE_COPY_CRC = 0x11;
/** DSA_OPCODE_DIF_CHECK: T10 DIF check. */
declare const DSA_OPCODE_DIF_CHECK = 0x12;
/** DSA_OPCODE_DIF_INS: T10 DIF insert. */
declare const DSA_OPCODE_DIF_INS = 0x13;
/** DSA_OPCODE_DIF_STRP: T10 DIF strip. */
declare const DSA_OPCODE_DIF_STRP = 0x14;
/** DSA_OPCODE_DIF_UPDT: T10 DIF update. */
declare const DSA_OPCODE_DIF_UPDT = 0x15;
/** DSA_OPCODE_CFLUSH: cache flush of a range. */
declare const DSA_OPCODE_CFLUSH = 0x20;

/** IDXD_OP_FLAG_FENCE (0x0001): wait for earlier descriptors of the batch. */
declare const IDXD_OP_FLAG_FENCE = 0x0001;
/** IDXD_OP_FLAG_BOF (0x0002): block on fault. */
declare const IDXD_OP_FLAG_BOF = 0x0002;
/** IDXD_OP_FLAG_CRAV (0x0004): completion record address valid. */
declare const IDXD_OP_FLAG_CRAV = 0x0004;
/** IDXD_OP_FLAG_RCR (0x0008): request completion record. */
declare const IDXD_OP_FLAG_RCR = 0x0008;
/** IDXD_OP_FLAG_RCI (0x0010): request completion interrupt (through int_handle). */
declare const IDXD_OP_FLAG_RCI = 0x0010;
/** IDXD_OP_FLAG_CRSTS (0x0020): completion record steering tag selector. */
declare const IDXD_OP_FLAG_CRSTS = 0x0020;
/** IDXD_OP_FLAG_CR (0x0080): check result. */
declare const IDXD_OP_FLAG_CR = 0x0080;
/** IDXD_OP_FLAG_CC (0x0100): cache control (destination writes to cache). */
declare const IDXD_OP_FLAG_CC = 0x0100;
/** IDXD_OP_FLAG_ADDR1_TCS (0x0200): address 1 (source) uses the group's traffic class B. */
declare const IDXD_OP_FLAG_ADDR1_TCS = 0x0200;
/** IDXD_OP_FLAG_ADDR2_TCS (0x0400): address 2 uses the group's traffic class B. */
declare const IDXD_OP_FLAG_ADDR2_TCS = 0x0400;
/** IDXD_OP_FLAG_ADDR3_TCS (0x0800): address 3 uses the group's traffic class B. */
declare const IDXD_OP_FLAG_ADDR3_TCS = 0x0800;
/** IDXD_OP_FLAG_CR_TCS (0x1000): the completion record write uses the group's traffic class B. */
declare const IDXD_OP_FLAG_CR_TCS = 0x1000;
/** IDXD_OP_FLAG_STORD (0x2000): strict ordering of destination writes. */
declare const IDXD_OP_FLAG_STORD = 0x2000;
/** IDXD_OP_FLAG_DRDBK (0x4000): destination readback. */
declare const IDXD_OP_FLAG_DRDBK = 0x4000;
/** IDXD_OP_FLAG_DSTS (0x8000): destination steering tag selector. */
declare const IDXD_OP_FLAG_DSTS = 0x8000;

/** DSA_COMP_NONE (0x00): not completed yet (the status byte before the device writes it). */
declare const DSA_COMP_NONE = 0x00;
/** DSA_COMP_SUCCESS (0x01): success. */
declare const DSA_COMP_SUCCESS = 0x01;
/** DSA_COMP_SUCCESS_PRED (0x02): success with false predicate (e.g. COMPARE found a difference). */
declare const DSA_COMP_SUCCESS_PRED = 0x02;
/** DSA_COMP_PAGE_FAULT_NOBOF (0x03): partial completion: page fault without block on fault. */
declare const DSA_COMP_PAGE_FAULT_NOBOF = 0x03;
/** DSA_COMP_PAGE_FAULT_IR (0x04): partial completion: a page request got Invalid Request. */
declare const DSA_COMP_PAGE_FAULT_IR = 0x04;
/** DSA_COMP_BATCH_FAIL (0x05): a descriptor of the batch failed. */
declare const DSA_COMP_BATCH_FAIL = 0x05;
/** DSA_COMP_BATCH_PAGE_FAULT (0x06): page fault reading the batch's descriptor list. */
declare const DSA_COMP_BATCH_PAGE_FAULT = 0x06;
/** DSA_COMP_DR_OFFSET_NOINC (0x07): delta record offsets not increasing. */
declare const DSA_COMP_DR_OFFSET_NOINC = 0x07;
/** DSA_COMP_DR_OFFSET_ERANGE (0x08): delta record offset out of range. */
declare const DSA_COMP_DR_OFFSET_ERANGE = 0x08;
/** DSA_COMP_DIF_ERR (0x09): DIF error. */
declare const DSA_COMP_DIF_ERR = 0x09;
/** DSA_COMP_BAD_OPCODE (0x10): opcode not supported or not enabled for the WQ. */
declare const DSA_COMP_BAD_OPCODE = 0x10;
/** DSA_COMP_INVALID_FLAGS (0x11): invalid flags. */
declare const DSA_COMP_INVALID_FLAGS = 0x11;
/** DSA_COMP_NOZERO_RESERVE (0x12): a reserved field is not zero. */
declare const DSA_COMP_NOZERO_RESERVE = 0x12;
/** DSA_COMP_XFER_ERANGE (0x13): transfer size 0 or above the WQ's max_transfer_size. */
declare const DSA_COMP_XFER_ERANGE = 0x13;
/** DSA_COMP_DESC_CNT_ERANGE (0x14): batch descriptor count out of range. */
declare const DSA_COMP_DESC_CNT_ERANGE = 0x14;
/** DSA_COMP_DR_ERANGE (0x15): delta record size out of range. */
declare const DSA_COMP_DR_ERANGE = 0x15;
/** DSA_COMP_OVERLAP_BUFFERS (0x16): source and destination overlap. */
declare const DSA_COMP_OVERLAP_BUFFERS = 0x16;
/** DSA_COMP_DCAST_ERR (0x17): the dual-cast destinations' address bits 11:0 differ. */
declare const DSA_COMP_DCAST_ERR = 0x17;
/** DSA_COMP_DESCLIST_ALIGN (0x18): descriptor list not aligned. */
declare const DSA_COMP_DESCLIST_ALIGN = 0x18;
/** DSA_COMP_INT_HANDLE_INVAL (0x19): invalid interrupt handle (not granted, or revoked). */
declare const DSA_COMP_INT_HANDLE_INVAL = 0x19;
/** DSA_COMP_CRA_XLAT (0x1a): completion record address translation failed. */
declare const DSA_COMP_CRA_XLAT = 0x1a;
/** DSA_COMP_CRA_ALIGN (0x1b): completion record address not 32-byte aligned. */
declare const DSA_COMP_CRA_ALIGN = 0x1b;
/** DSA_COMP_ADDR_ALIGN (0x1c): misaligned address. */
declare const DSA_COMP_ADDR_ALIGN = 0x1c;
/** DSA_COMP_PRIV_BAD (0x1d): privileged descriptor not allowed. */
declare const DSA_COMP_PRIV_BAD = 0x1d;
/** DSA_COMP_TRAFFIC_CLASS_CONF (0x1e): traffic class configuration error. */
declare const DSA_COMP_TRAFFIC_CLASS_CONF = 0x1e;
/** DSA_COMP_PFAULT_RDBA (0x1f): page fault on readback. */
declare const DSA_COMP_PFAULT_RDBA = 0x1f;
/** DSA_COMP_HW_ERR1 (0x20): hardware error. */
declare const DSA_COMP_HW_ERR1 = 0x20;
/** DSA_COMP_HW_ERR_DRB (0x21): hardware error on readback. */
declare const DSA_COMP_HW_ERR_DRB = 0x21;
/** DSA_COMP_TRANSLATION_FAIL (0x22): address translation failed. */
declare const DSA_COMP_TRANSLATION_FAIL = 0x22;
/** DSA_COMP_STATUS_MASK (0x7f): the status code bits of the status byte. */
declare const DSA_COMP_STATUS_MASK = 0x7f;

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** EPERM (1): operation not permitted. Functions return errnos negated: -EPERM. */
declare const EPERM = 1;
/** ENOENT (2): no such entry. */
declare const ENOENT = 2;
/** EIO (5): I/O error. */
declare const EIO = 5;
/** ENXIO (6): no such device or address. */
declare const ENXIO = 6;
/** E2BIG (7): argument list too long. */
declare const E2BIG = 7;
/** EAGAIN (11): try again (enqcmds(): the shared WQ refused the descriptor). */
declare const EAGAIN = 11;
/** ENOMEM (12): out of memory. */
declare const ENOMEM = 12;
/** EFAULT (14): bad address. */
declare const EFAULT = 14;
/** EBUSY (16): busy (request_irq() flags mismatch; MSI-X entry in use). */
declare const EBUSY = 16;
/** EEXIST (17): exists already. */
declare const EEXIST = 17;
/** ENODEV (19): no such device (no IMS domain). */
declare const ENODEV = 19;
/** EINVAL (22): invalid argument. */
declare const EINVAL = 22;
/** ENOTTY (25): not supported (pci_reset_function() on a function without a reset method). */
declare const ENOTTY = 25;
/** ENOSPC (28): no space left (no free IMS slot, vector or IRTE). */
declare const ENOSPC = 28;
/** ERANGE (34): out of range. */
declare const ERANGE = 34;
/** ENOSYS (38): not implemented. */
declare const ENOSYS = 38;
/** EOPNOTSUPP (95): operation not supported. */
declare const EOPNOTSUPP = 95;
/** ETIMEDOUT (110): timed out. */
declare const ETIMEDOUT = 110;
/** ENOTSUPP (524, include/linux/errno.h): not supported (kernel-internal). */
declare const ENOTSUPP = 524;

/** HZ (include/asm-generic/param.h): jiffies per second, 1000 here (CONFIG_HZ_1000). */
declare const HZ = 1000;

/** IRQ_NONE (include/linux/irqreturn.h): the interrupt was not from this device. */
declare const IRQ_NONE = 0;
/** IRQ_HANDLED: the interrupt was handled. */
declare const IRQ_HANDLED = 1;
/** IRQ_WAKE_THREAD: run the threaded handler (request_threaded_irq()). */
declare const IRQ_WAKE_THREAD = 2;
/** IRQF_SHARED (0x80, include/linux/interrupt.h): share the irq; each action needs a dev_id. */
declare const IRQF_SHARED = 0x00000080;
/** IRQF_ONESHOT (0x2000): keep the irq masked until the thread function finishes. */
declare const IRQF_ONESHOT = 0x00002000;
/** IRQCHIP_ONESHOT_SAFE (include/linux/irq.h): the chip needs no masking for IRQF_ONESHOT. */
declare const IRQCHIP_ONESHOT_SAFE = 0x20;

/** MSI_ANY_INDEX (include/linux/msi_api.h): let the core pick the first free index. */
declare const MSI_ANY_INDEX = 0xffffffff;
/** MSI_FLAG_USE_DEF_DOM_OPS (include/linux/msi.h): use the default domain ops. */
declare const MSI_FLAG_USE_DEF_DOM_OPS = 0x1;
/** MSI_FLAG_USE_DEF_CHIP_OPS: use the default chip ops (msi_domain_set_affinity). */
declare const MSI_FLAG_USE_DEF_CHIP_OPS = 0x2;
/** MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS: the core allocates descriptors (required for IMS). */
declare const MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS = 0x20;
/** MSI_FLAG_FREE_MSI_DESCS: the core frees descriptors with their irqs (required for IMS). */
declare const MSI_FLAG_FREE_MSI_DESCS = 0x40;
/** MSI_FLAG_PCI_IMS (1 << 21, v6.2): the domain is a PCI/IMS domain. */
declare const MSI_FLAG_PCI_IMS = 0x200000;
/** DOMAIN_BUS_PCI_DEVICE_IMS (15, include/linux/irqdomain_defs.h, v6.2): an IMS template's bus. */
declare const DOMAIN_BUS_PCI_DEVICE_IMS = 15;

/** PCI_IRQ_INTX (include/linux/pci.h): allow INTx (not modelled). */
declare const PCI_IRQ_INTX = 0x1;
/** PCI_IRQ_LEGACY: the older name of PCI_IRQ_INTX. */
declare const PCI_IRQ_LEGACY = 0x1;
/** PCI_IRQ_MSI: allow MSI (not modelled). */
declare const PCI_IRQ_MSI = 0x2;
/** PCI_IRQ_MSIX: allow MSI-X — the only type the emulated devices offer. */
declare const PCI_IRQ_MSIX = 0x4;
/** PCI_IRQ_AFFINITY: spread the vectors over the CPUs (accepted, not applied). */
declare const PCI_IRQ_AFFINITY = 0x8;
/** PCI_IRQ_ALL_TYPES: INTx | MSI | MSI-X. */
declare const PCI_IRQ_ALL_TYPES = 0x7;

/** PCI_ANY_ID (include/linux/mod_devicetable.h): matches any vendor or device ID. */
declare const PCI_ANY_ID = 0xffffffff;
/** PCI_VENDOR_ID_INTEL (include/linux/pci_ids.h). */
declare const PCI_VENDOR_ID_INTEL = 0x8086;
/** PCI_DEVICE_ID_INTEL_DSA_SPR0 (include/linux/pci_ids.h): Intel DSA of Sapphire Rapids. */
declare const PCI_DEVICE_ID_INTEL_DSA_SPR0 = 0x0b25;
