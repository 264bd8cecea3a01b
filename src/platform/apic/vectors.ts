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

/** Names of the system vectors, for the views. */
export const SYSTEM_VECTOR_NAMES: Readonly<Record<number, string>> = {
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
