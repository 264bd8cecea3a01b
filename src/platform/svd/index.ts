/** CMSIS-SVD export of the platform's register tables (see generate.ts). */
export {
  generateSvd,
  svdRegisters,
  identifier,
  type SvdDevice,
  type SvdPeripheral,
  type SvdTable,
  type SvdRegister,
  type SvdField,
} from './generate';
export { idxdPeripherals } from './idxd';
export { machineSvd } from './machine';
export { XmlWriter, escapeXml } from './xml';
