/**
 * Debug-console commands over the emulated /sys/kernel/debug/irq: `cat` and `ls` of absolute
 * paths below /sys/kernel/debug, `debugfs <path>` (a file's text or a directory's listing;
 * the path may also be relative to /sys/kernel/debug or to /sys/kernel/debug/irq), and
 * `echo trigger > /sys/kernel/debug/irq/irqs/<n>`, which injects the interrupt as the kernel's
 * irq_debug_write() does. Anything else is not a debugfs command and is left to the caller (a
 * model expression).
 */
import type { Machine } from '../machine/machine';
import { irq_inject_interrupt } from '../irq/resend';
import { EBUSY } from '../irq/types';
import { debugfsDomainName } from './domain';
import { DEBUGFS_IRQ, listDebugfs, readDebugfs, type DebugfsSource } from './fs';

const DEBUGFS = '/sys/kernel/debug';

/** The debugfs view of `machine`: its irq core and its VECTOR domain. */
export function debugfsSource(machine: Machine): DebugfsSource {
  return { core: machine.core, vector: machine.vector.domain };
}

/**
 * Runs a debug-console line if it is a debugfs command:
 * - `cat /sys/kernel/debug/irq/domains/<name>` or `…/irqs/<n>` (several paths concatenate);
 * - `ls [-1] /sys/kernel/debug/irq/domains` (also `…/irqs`, `…/irq`), one name per line;
 * - `debugfs <path>`: `debugfs irqs/24`, `debugfs domains`, `debugfs /sys/kernel/debug/irq`;
 * - `echo [-n] <text> > /sys/kernel/debug/irq/irqs/<n>` (see debugfsWrite).
 * Returns the output without its final newline — errors worded as cat and ls word them
 * (`cat: <path>: No such file or directory`) — or undefined when `text` is none of these
 * (so a model expression such as `cat` or `ls` alone is never taken).
 */
export function debugfsCommand(machine: Machine, text: string): string | undefined {
  const echo = /^echo\s+(-n\s+)?(\S*)\s*>\s*(\S+)$/.exec(text.trim());
  if (echo !== null && isDebugfsPath(echo[3]!))
    return debugfsWrite(machine, echo[3]!, echo[1] === undefined ? `${echo[2]!}\n` : echo[2]!);
  const [cmd, ...args] = text.trim().split(/\s+/);
  const src = debugfsSource(machine);
  switch (cmd) {
    case 'cat': {
      if (args.length === 0 || !args.every(isDebugfsPath)) return undefined;
      return chomp(
        args
          .map((p) => {
            const r = readDebugfs(src, p);
            return 'text' in r ? r.text : `cat: ${p}: ${r.error}\n${hint(src, p)}`;
          })
          .join(''),
      );
    }
    case 'ls': {
      const paths = args.filter((a) => a !== '-1');
      if (paths.length === 0 || !paths.every(isDebugfsPath)) return undefined;
      return chomp(
        paths
          .map((p) => {
            const r = listDebugfs(src, p);
            if ('error' in r) return `ls: cannot access '${p}': ${r.error}\n${hint(src, p)}`;
            const body = r.names.map((n) => `${n}\n`).join('');
            return paths.length > 1 ? `${p}:\n${body}` : body;
          })
          .join('\n'),
      );
    }
    case 'debugfs': {
      if (args.length !== 1) return undefined;
      const p = resolve(args[0]!);
      const file = readDebugfs(src, p);
      if ('text' in file) return chomp(file.text);
      const dir = listDebugfs(src, p);
      if ('names' in dir && file.error === 'Is a directory') return dir.names.join('\n');
      return chomp(`debugfs: ${p}: ${file.error}\n${hint(src, p)}`);
    }
    default:
      return undefined;
  }
}

/**
 * Writes `data` to the debugfs file at `path` as the shell's `echo … > path` does, returning what
 * the shell prints: '' on success, else bash's wording (`bash: echo: write error: Invalid
 * argument`, `…: Permission denied`, `…: Is a directory`, `…: No such file or directory`).
 *
 * Only the irq files are writable (mode 0644; the domain files are 0444). irq_debug_write()
 * compares the first min(7, count) bytes with "trigger" — so `echo trigger` (8 bytes with the
 * newline) and any prefix written with -n match — and then calls irq_inject_interrupt(), whose
 * errno becomes the write error; any other text is accepted and ignored. Source:
 * kernel/irq/debugfs.c irq_debug_write, irq_add_debugfs_entry.
 */
export function debugfsWrite(machine: Machine, path: string, data: string): string {
  const src = debugfsSource(machine);
  const irq = /^\/sys\/kernel\/debug\/irq\/irqs\/(\d+)$/.exec(path.replace(/\/+/g, '/'));
  const file = readDebugfs(src, path);
  if ('error' in file) return `bash: ${path}: ${file.error}`;
  const desc = irq === null ? undefined : src.core.irq_to_desc(Number(irq[1]));
  if (desc === undefined) return `bash: ${path}: Permission denied`;
  const size = Math.min(7, data.length);
  if (data.slice(0, size) !== 'trigger'.slice(0, size)) return '';
  const err = irq_inject_interrupt(src.core, desc.irq);
  if (err === 0) return '';
  return `bash: echo: write error: ${err === -EBUSY ? 'Device or resource busy' : 'Invalid argument'}`;
}

function isDebugfsPath(p: string): boolean {
  return p === DEBUGFS || p.startsWith(`${DEBUGFS}/`);
}

/** A `debugfs` argument as an absolute path. */
function resolve(p: string): string {
  if (p.startsWith('/')) return p;
  if (p === 'irq' || p.startsWith('irq/')) return `${DEBUGFS}/${p}`;
  return `${DEBUGFS_IRQ}/${p}`;
}

/**
 * For a domain file asked for by its short name (`INTEL-IR-0`, as the domain tree and
 * /proc/interrupts show it), the name Linux gives the file.
 */
function hint(src: DebugfsSource, p: string): string {
  const m = /\/irq\/domains\/([^/]+)\/?$/.exec(p);
  const d = m && src.core.domains.find((x) => x.name === m[1]);
  return d
    ? `(Linux names this domain's file ${debugfsDomainName(d)}: its name with the bus token appended)\n`
    : '';
}

function chomp(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
