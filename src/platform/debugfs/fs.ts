/**
 * The /sys/kernel/debug/irq directory of CONFIG_GENERIC_IRQ_DEBUGFS (kernel/irq/debugfs.c
 * irq_debugfs_init, kernel/irq/irqdomain.c irq_domain_debugfs_init). Reading and listing are
 * here; the one write Linux accepts, `echo trigger > irq/irqs/<n>` (irq_debug_write), is in
 * command.ts — the irq files are the only writable ones:
 *
 *   irq/domains/<name>   one file per registered domain (debugfsDomainName), plus `default`,
 *                        which shows irq_default_domain (x86: VECTOR, arch_early_irq_init)
 *   irq/irqs/<n>         one file per allocated Linux irq
 *
 * Legacy and IO-APIC irqs 0–23 and domains the platform does not model (IO-APIC; DMAR-MSI
 * unless the machine models the VT-d fault interrupt, `dmarFaultInterrupt`) have no files.
 * Listings are in byte order, as `LC_ALL=C ls` sorts them.
 */
import type { IrqCore } from '../irq/core';
import type { IrqDomain } from '../irq/irqdomain';
import { debugfsDomainName, irqDomainDebugShow } from './domain';
import { irqDebugShow } from './irq';

/** Where debugfs's irq directory is. */
export const DEBUGFS_IRQ = '/sys/kernel/debug/irq';

/** What debugfs reads: the irq core and the x86 VECTOR domain (also the default domain). */
export interface DebugfsSource {
  readonly core: IrqCore;
  readonly vector: IrqDomain | null;
}

/** A file of the dump: its absolute path and its text (ending with a newline). */
export interface DebugfsFile {
  path: string;
  text: string;
}

/** Why a path cannot be read or listed, worded as the shell's tools word it. */
export type DebugfsError = 'No such file or directory' | 'Is a directory';

/** The domain files' names with the domain each shows, byte order. */
export function domainEntries(src: DebugfsSource): { name: string; domain: IrqDomain }[] {
  const entries = src.core.domains.map((domain) => ({ name: debugfsDomainName(domain), domain }));
  if (src.vector !== null) entries.push({ name: 'default', domain: src.vector });
  return entries.sort((a, b) => byteOrder(a.name, b.name));
}

/** The allocated Linux irqs, ascending. */
export function irqNumbers(src: DebugfsSource): number[] {
  return src.core.descs.all().map((d) => d.irq);
}

/**
 * Every file: the domain files (byte order), then the irq files in irq order.
 * Shapes the `--dump` of the CLI.
 */
export function allFiles(src: DebugfsSource): DebugfsFile[] {
  const out: DebugfsFile[] = domainEntries(src).map(({ name, domain }) => ({
    path: `${DEBUGFS_IRQ}/domains/${name}`,
    text: irqDomainDebugShow(domain),
  }));
  for (const desc of src.core.descs.all())
    out.push({
      path: `${DEBUGFS_IRQ}/irqs/${desc.irq}`,
      text: irqDebugShow(src.core, desc, src.vector),
    });
  return out;
}

/**
 * Reads the file at `path` (absolute, e.g. `/sys/kernel/debug/irq/irqs/24`; `//` and a
 * trailing `/` are tolerated as by the kernel's path walk): `{ text }` or `{ error }`.
 */
export function readDebugfs(
  src: DebugfsSource,
  path: string,
): { text: string } | { error: DebugfsError } {
  const node = lookup(src, path);
  if (node === undefined) return { error: 'No such file or directory' };
  if (node.kind === 'dir') return { error: 'Is a directory' };
  return { text: node.read() };
}

/**
 * Lists the directory at `path` (a file lists as its own name, as `ls` does): `{ names }` or
 * `{ error }`.
 */
export function listDebugfs(
  src: DebugfsSource,
  path: string,
): { names: string[] } | { error: DebugfsError } {
  const node = lookup(src, path);
  if (node === undefined) return { error: 'No such file or directory' };
  return { names: node.kind === 'dir' ? node.list() : [node.name] };
}

type Node =
  { kind: 'dir'; list: () => string[] } | { kind: 'file'; name: string; read: () => string };

function lookup(src: DebugfsSource, path: string): Node | undefined {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const root = ['sys', 'kernel', 'debug', 'irq'];
  if (parts.length < root.length) {
    if (!root.slice(0, parts.length).every((p, i) => parts[i] === p)) return undefined;
    return { kind: 'dir', list: () => [root[parts.length]!] };
  }
  if (!root.every((p, i) => parts[i] === p)) return undefined;
  const [dir, name, ...rest] = parts.slice(root.length);
  if (dir === undefined) return { kind: 'dir', list: () => ['domains', 'irqs'] };
  if (rest.length > 0) return undefined;
  if (dir === 'domains') {
    const entries = domainEntries(src);
    if (name === undefined) return { kind: 'dir', list: () => entries.map((e) => e.name) };
    const e = entries.find((x) => x.name === name);
    return e && { kind: 'file', name, read: () => irqDomainDebugShow(e.domain) };
  }
  if (dir === 'irqs') {
    if (name === undefined)
      return {
        kind: 'dir',
        list: () => irqNumbers(src).map(String).sort(byteOrder),
      };
    const desc = String(Number(name)) === name ? src.core.irq_to_desc(Number(name)) : undefined;
    return desc && { kind: 'file', name, read: () => irqDebugShow(src.core, desc, src.vector) };
  }
  return undefined;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
