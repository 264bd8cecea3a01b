/**
 * The emulated kernel's /sys/kernel/debug/irq (CONFIG_GENERIC_IRQ_DEBUGFS) in Linux v6.15's
 * exact format: domain files, irq files and the debug-console commands over them.
 */
export { debugfsCommand, debugfsSource, debugfsWrite } from './command';
export {
  DEBUGFS_IRQ,
  allFiles,
  domainEntries,
  irqNumbers,
  listDebugfs,
  readDebugfs,
  type DebugfsError,
  type DebugfsFile,
  type DebugfsSource,
} from './fs';
export { debugfsDomainName, irqDomainDebugShow, revmapSize } from './domain';
export { irqDebugShow } from './irq';
