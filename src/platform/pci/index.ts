/** PCI functions: addresses, config space with capabilities, and MSI-X tables. */
export { parseBdf, formatBdf, devfn, requesterId, type Bdf } from './bdf';
export {
  PciFunction,
  type PciBar,
  type PciFunctionOptions,
  type PciMsixCapOptions,
} from './config';
export {
  MsixTable,
  msixVectorCtrlOffset,
  type MsixControl,
  type MsixEntryView,
  type MsixTableOptions,
} from './msix';
export * as pciRegs from './regs';
