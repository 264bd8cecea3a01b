/**
 * The x86 IDT vector layout Linux uses (arch/x86/include/asm/irq_vectors.h, v6.6+ where the
 * IRQ_MOVE_CLEANUP_VECTOR at 0x20 became a timer callback; no posted-MSI notification vector).
 */
export const NR_VECTORS = 256;
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const IA32_SYSCALL_VECTOR = 0x80;
export const LOCAL_TIMER_VECTOR = 0xec;
/** First vector reserved for system use; device vectors are allocated from [0x20, 0xec). */
export const FIRST_SYSTEM_VECTOR = LOCAL_TIMER_VECTOR;
/** Dummy vector of reserved and shut-down interrupts (reservation mode). */
export const MANAGED_IRQ_SHUTDOWN_VECTOR = 0xef;
export const SPURIOUS_APIC_VECTOR = 0xff;
/** ISA_IRQ_VECTOR(irq) = ((FIRST_EXTERNAL_VECTOR + 16) & ~15) + irq: the legacy IRQs' vectors. */
export const ISA_IRQ_VECTOR = (irq: number): number => ((FIRST_EXTERNAL_VECTOR + 16) & ~15) + irq;
/** PIC_CASCADE_IR: the 8259 cascade input, IRQ 2 (arch/x86/include/asm/i8259.h). */
export const PIC_CASCADE_IR = 2;
/** nr_legacy_irqs(): the 16 ISA IRQs of a machine with an 8259 PIC (NR_IRQS_LEGACY). */
export const NR_LEGACY_IRQS: number = 16;

/** One vector Linux installs an IDT gate for with `sys = true` (it enters system_vectors). */
export interface SystemVectorEntry {
  readonly vector: number;
  readonly name: string;
  /** Where Linux v6.15 installs it, and the config it needs. */
  readonly source: string;
}

/**
 * The system vectors of Linux v6.15 x86_64 (arch/x86/kernel/idt.c: every idt_setup_from_table()
 * call passes sys = true, so each table entry sets its bit in system_vectors), for this config:
 * CONFIG_SMP, CONFIG_X86_LOCAL_APIC, CONFIG_X86_MCE with CONFIG_X86_MCE_INTEL and
 * CONFIG_X86_MCE_AMD (so CONFIG_X86_MCE_THRESHOLD and CONFIG_X86_THERMAL_VECTOR), CONFIG_IRQ_WORK,
 * CONFIG_KVM (=m), CONFIG_X86_CET and CONFIG_IA32_EMULATION (ia32 enabled) — a distribution
 * kernel on bare metal — without CONFIG_AMD_MEM_ENCRYPT (#VC, 29), CONFIG_INTEL_TDX_GUEST (#VE,
 * 20) and CONFIG_X86_POSTED_MSI (0xeb), and with no hypervisor callback, Hyper-V or Xen vector
 * (0xed, 0xee, 0xf3: installed only when running as a guest). A real machine with such a kernel
 * prints `System: 38: 0-19,21,50,128,236,240-242,244,246-255` (50 is the PIC cascade, see
 * `systemVectors`).
 */
export const IDT_SYSTEM_VECTORS: readonly SystemVectorEntry[] = [
  { vector: 0, name: 'X86_TRAP_DE', source: 'idt.c def_idts' },
  { vector: 1, name: 'X86_TRAP_DB', source: 'idt.c early_idts, def_idts' },
  { vector: 2, name: 'X86_TRAP_NMI', source: 'idt.c def_idts' },
  { vector: 3, name: 'X86_TRAP_BP', source: 'idt.c early_idts' },
  { vector: 4, name: 'X86_TRAP_OF', source: 'idt.c def_idts' },
  { vector: 5, name: 'X86_TRAP_BR', source: 'idt.c def_idts' },
  { vector: 6, name: 'X86_TRAP_UD', source: 'idt.c def_idts' },
  { vector: 7, name: 'X86_TRAP_NM', source: 'idt.c def_idts' },
  { vector: 8, name: 'X86_TRAP_DF', source: 'idt.c def_idts' },
  { vector: 9, name: 'X86_TRAP_OLD_MF', source: 'idt.c def_idts' },
  { vector: 10, name: 'X86_TRAP_TS', source: 'idt.c def_idts' },
  { vector: 11, name: 'X86_TRAP_NP', source: 'idt.c def_idts' },
  { vector: 12, name: 'X86_TRAP_SS', source: 'idt.c def_idts' },
  { vector: 13, name: 'X86_TRAP_GP', source: 'idt.c def_idts' },
  { vector: 14, name: 'X86_TRAP_PF', source: 'idt.c early_pf_idts' },
  { vector: 15, name: 'X86_TRAP_SPURIOUS', source: 'idt.c def_idts' },
  { vector: 16, name: 'X86_TRAP_MF', source: 'idt.c def_idts' },
  { vector: 17, name: 'X86_TRAP_AC', source: 'idt.c def_idts' },
  { vector: 18, name: 'X86_TRAP_MC', source: 'idt.c def_idts (CONFIG_X86_MCE)' },
  { vector: 19, name: 'X86_TRAP_XF', source: 'idt.c def_idts' },
  { vector: 21, name: 'X86_TRAP_CP', source: 'idt.c def_idts (CONFIG_X86_CET)' },
  {
    vector: IA32_SYSCALL_VECTOR,
    name: 'IA32_SYSCALL_VECTOR',
    source: 'idt.c ia32_idt (CONFIG_IA32_EMULATION, ia32_enabled())',
  },
  { vector: 0xec, name: 'LOCAL_TIMER_VECTOR', source: 'idt.c apic_idts (CONFIG_X86_LOCAL_APIC)' },
  { vector: 0xf0, name: 'POSTED_INTR_NESTED_VECTOR', source: 'idt.c apic_idts (CONFIG_KVM)' },
  { vector: 0xf1, name: 'POSTED_INTR_WAKEUP_VECTOR', source: 'idt.c apic_idts (CONFIG_KVM)' },
  { vector: 0xf2, name: 'POSTED_INTR_VECTOR', source: 'idt.c apic_idts (CONFIG_KVM)' },
  {
    vector: 0xf4,
    name: 'DEFERRED_ERROR_VECTOR',
    source: 'idt.c apic_idts (CONFIG_X86_MCE_AMD)',
  },
  { vector: 0xf6, name: 'IRQ_WORK_VECTOR', source: 'idt.c apic_idts (CONFIG_IRQ_WORK)' },
  {
    vector: 0xf7,
    name: 'X86_PLATFORM_IPI_VECTOR',
    source: 'idt.c apic_idts (CONFIG_X86_LOCAL_APIC)',
  },
  { vector: 0xf8, name: 'REBOOT_VECTOR', source: 'idt.c apic_idts (CONFIG_SMP)' },
  {
    vector: 0xf9,
    name: 'THRESHOLD_APIC_VECTOR',
    source: 'idt.c apic_idts (CONFIG_X86_MCE_THRESHOLD)',
  },
  {
    vector: 0xfa,
    name: 'THERMAL_APIC_VECTOR',
    source: 'idt.c apic_idts (CONFIG_X86_THERMAL_VECTOR)',
  },
  { vector: 0xfb, name: 'CALL_FUNCTION_SINGLE_VECTOR', source: 'idt.c apic_idts (CONFIG_SMP)' },
  { vector: 0xfc, name: 'CALL_FUNCTION_VECTOR', source: 'idt.c apic_idts (CONFIG_SMP)' },
  { vector: 0xfd, name: 'RESCHEDULE_VECTOR', source: 'idt.c apic_idts (CONFIG_SMP)' },
  { vector: 0xfe, name: 'ERROR_APIC_VECTOR', source: 'idt.c apic_idts (CONFIG_X86_LOCAL_APIC)' },
  {
    vector: SPURIOUS_APIC_VECTOR,
    name: 'SPURIOUS_APIC_VECTOR',
    source: 'idt.c apic_idts (CONFIG_X86_LOCAL_APIC)',
  },
];

/**
 * The vectors lapic_assign_system_vectors() (arch/x86/kernel/apic/vector.c) marks in the matrix's
 * system map, ascending: every system_vectors bit (IDT_SYSTEM_VECTORS), and the PIC cascade's
 * ISA_IRQ_VECTOR(PIC_CASCADE_IR) = 0x32 when nr_legacy_irqs() > 1 (lapic_assign_legacy_vector:
 * "unusable on PIC equipped machines"). The cascade vector and IA32_SYSCALL_VECTOR lie inside
 * the allocatable range, so each costs every CPU one available vector.
 */
export function systemVectors(): number[] {
  const v = IDT_SYSTEM_VECTORS.map((e) => e.vector);
  if (NR_LEGACY_IRQS > 1) v.push(ISA_IRQ_VECTOR(PIC_CASCADE_IR));
  return [...new Set(v)].sort((a, b) => a - b);
}

/**
 * Names of the vectors at and above FIRST_SYSTEM_VECTOR and of the syscall gate, for the views
 * (also those this config does not install: the Hyper-V and hypervisor-callback vectors).
 */
export const SYSTEM_VECTOR_NAMES: Readonly<Record<number, string>> = {
  0x32: 'ISA_IRQ_VECTOR(PIC_CASCADE_IR)',
  0x80: 'IA32_SYSCALL_VECTOR',
  0xec: 'LOCAL_TIMER_VECTOR',
  0xed: 'HYPERV_STIMER0_VECTOR',
  0xee: 'HYPERV_REENLIGHTENMENT_VECTOR',
  0xef: 'MANAGED_IRQ_SHUTDOWN_VECTOR',
  0xf0: 'POSTED_INTR_NESTED_VECTOR',
  0xf1: 'POSTED_INTR_WAKEUP_VECTOR',
  0xf2: 'POSTED_INTR_VECTOR',
  0xf3: 'HYPERVISOR_CALLBACK_VECTOR',
  0xf4: 'DEFERRED_ERROR_VECTOR',
  0xf6: 'IRQ_WORK_VECTOR',
  0xf7: 'X86_PLATFORM_IPI_VECTOR',
  0xf8: 'REBOOT_VECTOR',
  0xf9: 'THRESHOLD_APIC_VECTOR',
  0xfa: 'THERMAL_APIC_VECTOR',
  0xfb: 'CALL_FUNCTION_SINGLE_VECTOR',
  0xfc: 'CALL_FUNCTION_VECTOR',
  0xfd: 'RESCHEDULE_VECTOR',
  0xfe: 'ERROR_APIC_VECTOR',
  0xff: 'SPURIOUS_APIC_VECTOR',
};
