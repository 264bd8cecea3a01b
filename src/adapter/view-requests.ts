/**
 * Names of the custom DAP requests the views use besides `ims/snapshot` (custom-requests.ts maps
 * each to its worker request):
 *
 * - `ims/page` `{ ref, start?, count, key? }` → `{ page }`: rows of a long list of the stop's
 *   snapshot (src/platform/snapshot/pages.ts), with the irqs and IRTEs they name;
 * - `ims/maskEntry` `{ device, table: 'ims' | 'msix', index, mask }` → `{ result }`: sets or
 *   clears the entry's mask bit through the MMIO path (unmasking sends a held message);
 * - `ims/inject` `{ irq }` → `{ result: { irq, vector, cpu } }`: injects the interrupt as
 *   `echo trigger > /sys/kernel/debug/irq/irqs/<irq>` does, or fails with the kernel's reason;
 * - `ims/export` `{ format: 'json' | 'debugfs' }` → `{ export: { text, fileName } }`: the whole
 *   platform state of the stop.
 */
export const PAGE_REQUEST = 'ims/page';
export const MASK_ENTRY_REQUEST = 'ims/maskEntry';
export const INJECT_REQUEST = 'ims/inject';
export const EXPORT_REQUEST = 'ims/export';
