/**
 * `--dump`: the files of the emulated /sys/kernel/debug/irq as `tail` prints several files —
 * each after a `==> path <==` header, an empty line between files — so the output reads like
 * `tail -n +1 /sys/kernel/debug/irq/domains/* /sys/kernel/debug/irq/irqs/*` on a real machine.
 */
import type { DebugfsFile } from '../platform/debugfs';

/** Output lines (no newlines) for `files`, in their order; empty for no files. */
export function renderDebugfsDump(files: readonly DebugfsFile[]): string[] {
  const out: string[] = [];
  files.forEach((f, i) => {
    if (i > 0) out.push('');
    out.push(`==> ${f.path} <==`);
    if (f.text === '') return;
    out.push(...(f.text.endsWith('\n') ? f.text.slice(0, -1) : f.text).split('\n'));
  });
  return out;
}
