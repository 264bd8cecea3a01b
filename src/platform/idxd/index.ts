/** The Intel DSA (IDXD) device model: registers as data, commands, WQs, descriptors, IMS. */
export {
  IdxdDevice,
  DEFAULT_IDXD_BDF,
  type IdxdDeviceOptions,
  type IdxdRegisterTables,
} from './device';
export {
  SPR_DSA_CAPS,
  EMULATED_OPCODES,
  IDXD_DEFAULT_LAYOUT,
  resolveCaps,
  computeLayout,
  type IdxdCaps,
  type IdxdCapsOptions,
  type IdxdLayout,
  type IdxdLayoutOptions,
  type GenCap,
  type WqCap,
  type GrpCap,
} from './caps';
export { DEFAULT_TIMING, type IdxdTiming } from './executor';
export {
  decodeRegister,
  encodeFields,
  getField,
  checkRegister,
  fieldText,
  accessMask,
  type Access,
  type FieldDef,
  type RegisterDef,
  type TableLayout,
  type DecodedField,
} from './regdef';
export type { RegisterInstance } from './regfile';
export {
  decodeDescriptor,
  encodeDescriptor,
  DESCRIPTOR_SIZE,
  type Descriptor,
  type DescriptorFields,
} from './descriptor';
export { COMPLETION_RECORD_SIZE } from './completion';
export { dsaCrc32, DsaCrc } from './crc';
export type { ImsSlotView } from './ims';
export type { IntTarget, IntTable } from './handles';
export type {
  IdxdSnapshot,
  WqSnapshot,
  GroupSnapshot,
  RegisterSnapshot,
  MsixEntrySnapshot,
} from './snapshot';
export * from './consts';
