/**
 * Debug-console commands over the emulated /sys/kernel/debug/irq: `cat` and `ls` of absolute
 * paths below /sys/kernel/debug, and `debugfs <path>` (a file's text or a directory's listing;
 * the path may also be relative to /sys/kernel/debug or to /sys/kernel/debug/irq). Anything
 * else is not a debugfs command and is left to the caller (a model expression).
 */
import type { Machine } from '../machine/machine';
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
 * - `debugfs <path>`: `debugfs irqs/24`, `debugfs domains`, `debugfs /sys/kernel/debug/irq`.
 * Returns the output without its final newline — errors worded as cat and ls word them
 * (`cat: <path>: No such file or directory`) — or undefined when `text` is none of these
 * (so a model expression such as `cat` or `ls` alone is never taken).
 */
export function debugfsCommand(machine: Machine, text: string): string | undefined {
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
