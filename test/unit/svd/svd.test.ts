/**
 * The SVD export: well-formed XML in CMSIS-SVD's shape, and every register of the DSA's register
 * tables present — top-level BAR0 registers, MSIX_PERM, GRPCFG, WQCFG, MSI-X and IMS entries —
 * at its offset, with each non-reserved bit of each field described by a field of the same name
 * and access, checked against the tables themselves (not against the generator's own helpers).
 */
import { strict as assert } from 'node:assert';
import { Machine } from '../../../src/platform/machine/machine';
import { defaultMachineConfig } from '../../../src/platform/machine/config';
import { deviceFactories, type DsaPlatformDevice } from '../../../src/platform/machine/devices';
import type { IdxdDevice } from '../../../src/platform/idxd';
import type { Access, RegisterDef, TableLayout } from '../../../src/platform/idxd/regdef';
import { escapeXml, generateSvd, identifier, machineSvd } from '../../../src/platform/svd';
import { all, one, parseXml, textOf, type XmlElement } from './xml';

function machine(devices = 1): Machine {
  const bdfs = ['0000:6a:01.0', '0000:6f:01.0'];
  return new Machine(
    {
      ...defaultMachineConfig(),
      devices: bdfs.slice(0, devices).map((bdf) => ({ kind: 'dsa' as const, bdf, irUnit: 0 })),
    },
    deviceFactories,
  );
}

function dsaOf(m: Machine, i = 0): IdxdDevice {
  return (m.devices[i] as DsaPlatformDevice).dsa;
}

const num = (s: string): number => Number(s);

function peripheral(root: XmlElement, name: string): XmlElement {
  const p = all(one(root, 'peripherals'), 'peripheral').find((x) => textOf(x, 'name') === name);
  assert.ok(p, `peripheral ${name}`);
  return p;
}

function cluster(p: XmlElement, name: string): XmlElement {
  const c = all(one(p, 'registers'), 'cluster').find((x) => textOf(x, 'name') === name);
  assert.ok(c, `cluster ${name}`);
  return c;
}

const SVD_ACCESS: Readonly<Record<Access, string | undefined>> = {
  RO: 'read-only',
  RW: 'read-write',
  RW1C: 'read-write',
  WO: 'write-only',
  RsvdZ: undefined,
  RsvdP: undefined,
};

/**
 * Checks that `def` is described among the `<register>`s of `container` (offsets relative to
 * it): a register of 32 bits by its name at its offset; a wider one by its dwords NAME_DWk; each
 * bit of each non-reserved field by a field whose name starts with the field's, with its access
 * (RW1C as read-write + oneToClear); reserved fields absent.
 */
function checkRegister(container: XmlElement, def: RegisterDef): void {
  const regs = all(container, 'register');
  const dwords = Math.max(1, def.width / 32);
  for (let d = 0; d < dwords; d++) {
    const name = dwords === 1 ? def.name : `${def.name}_DW${d}`;
    const r = regs.find((x) => textOf(x, 'name') === identifier(name));
    assert.ok(r, `register ${name}`);
    assert.equal(num(textOf(r, 'addressOffset')), def.offset + 4 * d, `${name} offset`);
    assert.equal(textOf(r, 'size'), '32');
    assert.equal(
      BigInt(textOf(r, 'resetValue')),
      BigInt.asUintN(32, def.reset >> BigInt(32 * d)),
      `${name} reset`,
    );
    const fields = r.children.some((c) => c.tag === 'fields') ? all(one(r, 'fields'), 'field') : [];
    const ranges = fields.map((f) => {
      const m = /^\[(\d+):(\d+)\]$/.exec(textOf(f, 'bitRange'));
      assert.ok(m, `${name}.${textOf(f, 'name')} bitRange`);
      return { f, hi: Number(m[1]), lo: Number(m[2]) };
    });
    // No two SVD fields overlap.
    for (const a of ranges)
      for (const b of ranges)
        if (a !== b) assert.ok(a.hi < b.lo || b.hi < a.lo, `${name}: fields overlap`);
    for (const f of def.fields) {
      const access = SVD_ACCESS[f.access];
      for (let bit = Math.max(f.lo, 32 * d); bit <= Math.min(f.hi, 32 * d + 31); bit++) {
        const b = bit - 32 * d;
        const hit = ranges.find((x) => x.lo <= b && b <= x.hi);
        if (access === undefined) {
          assert.equal(
            hit,
            undefined,
            `${name} bit ${b} is reserved (${f.name}) and not described`,
          );
          continue;
        }
        assert.ok(hit, `${name} bit ${b} (${def.name}.${f.name}) is described`);
        assert.ok(textOf(hit.f, 'name').startsWith(identifier(f.name)), `${name} bit ${b} name`);
        assert.equal(textOf(hit.f, 'access'), access, `${def.name}.${f.name} access`);
        const mwv = all(hit.f, 'modifiedWriteValues')[0]?.text;
        assert.equal(mwv, f.access === 'RW1C' ? 'oneToClear' : undefined);
      }
    }
  }
}

function checkTable(p: XmlElement, layout: TableLayout, offset: number, count: number): void {
  const c = cluster(p, `${layout.name}[%s]`);
  assert.equal(num(textOf(c, 'dim')), count, `${layout.name} dim`);
  assert.equal(num(textOf(c, 'dimIncrement')), layout.stride, `${layout.name} stride`);
  assert.equal(num(textOf(c, 'addressOffset')), offset, `${layout.name} offset`);
  for (const def of layout.registers) checkRegister(c, def);
}

describe('SVD export of the DSA register tables', () => {
  const m = machine();
  const dev = dsaOf(m);
  const xml = machineSvd(m);
  const root = parseXml(xml);

  it('is well-formed CMSIS-SVD 1.3 with the device-level elements in schema order', () => {
    assert.equal(root.tag, 'device');
    assert.equal(root.attrs.schemaVersion, '1.3');
    assert.equal(root.attrs['xs:noNamespaceSchemaLocation'], 'CMSIS-SVD.xsd');
    assert.deepEqual(
      root.children.map((c) => c.tag),
      [
        'name',
        'version',
        'description',
        'addressUnitBits',
        'width',
        'size',
        'access',
        'resetValue',
        'resetMask',
        'peripherals',
      ],
    );
    assert.equal(textOf(root, 'addressUnitBits'), '8');
  });

  it('puts the BAR0 registers in DSA0 at the device’s BAR0 address', () => {
    const p = peripheral(root, 'DSA0');
    assert.equal(num(textOf(p, 'baseAddress')), dev.pci.barAddress(0));
    assert.equal(textOf(p, 'groupName'), 'IDXD');
    const block = one(p, 'addressBlock');
    assert.equal(textOf(block, 'usage'), 'registers');
    assert.ok(num(textOf(block, 'size')) >= dev.layout.msixTableOffset);
    for (const def of dev.tables.top) checkRegister(one(p, 'registers'), def);
  });

  it('describes MSIX_PERM, GRPCFG, WQCFG and the MSI-X table as cluster arrays', () => {
    const p = peripheral(root, 'DSA0');
    const L = dev.layout;
    checkTable(p, dev.tables.msixPerm, L.msixPermOffset, dev.caps.msix_count);
    checkTable(p, dev.tables.grpcfg, L.grpcfgOffset, dev.caps.grpcap.num_groups);
    checkTable(p, dev.tables.wqcfg, L.wqcfgOffset, dev.caps.wqcap.num_wqs);
    checkTable(p, dev.tables.msix, L.msixTableOffset, dev.caps.msix_count);
  });

  it('describes the IMS as DSA0_IMS: one 16-byte slot per entry at BAR0 + TABLE.ims', () => {
    const p = peripheral(root, 'DSA0_IMS');
    assert.equal(num(textOf(p, 'baseAddress')), dev.pci.barAddress(0) + dev.layout.imsOffset);
    checkTable(p, dev.tables.ims, 0, dev.layout.imsSlots);
    const ctrl = all(cluster(p, 'IMS[%s]'), 'register').find((r) => textOf(r, 'name') === 'ctrl')!;
    const fields = all(one(ctrl, 'fields'), 'field').map(
      (f) => `${textOf(f, 'name')} ${textOf(f, 'bitRange')}`,
    );
    assert.deepEqual(fields, ['mask [0:0]', 'pasid_en [3:3]', 'pasid [31:12]']);
    assert.equal(textOf(ctrl, 'resetValue'), '0x00000001');
  });

  it('lists enumerated values that fit their field, named as identifiers', () => {
    const wq = cluster(peripheral(root, 'DSA0'), 'WQCFG[%s]');
    const mode = all(wq, 'register').find((r) => textOf(r, 'name') === 'mode')!;
    const field = all(one(mode, 'fields'), 'field').find((f) => textOf(f, 'name') === 'mode')!;
    const values = all(one(field, 'enumeratedValues'), 'enumeratedValue').map(
      (e) => `${textOf(e, 'name')}=${textOf(e, 'value')}`,
    );
    assert.deepEqual(values, ['SHARED=0', 'DEDICATED=1']);
    for (const n of xml.matchAll(/<name>([^<]*)<\/name>/g))
      assert.match(n[1]!, /^[A-Za-z_][A-Za-z0-9_]*(\[%s\])?$/, `name ${n[1]}`);
  });

  it('splits a field that crosses a dword boundary into one field per dword', () => {
    const out = generateSvd({
      name: 'T',
      version: '1',
      description: 'a <test> & more',
      peripherals: [
        {
          name: 'P',
          description: 'p',
          groupName: 'G',
          baseAddress: 0x1000,
          size: 0x10,
          tables: [],
          registers: [
            {
              name: 'WIDE',
              offset: 8,
              width: 64,
              reset: 0x1_0000_0002n,
              description: 'wide',
              source: 'test',
              fields: [
                { name: 'lo', hi: 15, lo: 0, access: 'RW', reset: 2n, description: 'low' },
                { name: 'mid', hi: 47, lo: 16, access: 'RO', reset: 0n, description: 'mid' },
                { name: 'r', hi: 63, lo: 48, access: 'RsvdZ', reset: 0n, description: 'rsvd' },
              ],
            },
          ],
        },
      ],
    });
    const r = parseXml(out);
    assert.equal(textOf(r, 'description'), 'a <test> & more');
    const regs = all(one(peripheral(r, 'P'), 'registers'), 'register');
    const fields = regs.map((x) => [
      textOf(x, 'name'),
      textOf(x, 'addressOffset'),
      textOf(x, 'resetValue'),
      all(one(x, 'fields'), 'field').map((f) => `${textOf(f, 'name')}${textOf(f, 'bitRange')}`),
    ]);
    assert.deepEqual(fields, [
      ['WIDE_DW0', '0x8', '0x00000002', ['lo[15:0]', 'mid_15_0[31:16]']],
      ['WIDE_DW1', '0xC', '0x00000001', ['mid_31_16[15:0]']],
    ]);
  });

  it('gives each device its own peripherals at its own BAR0', () => {
    const two = machine(2);
    const r = parseXml(machineSvd(two));
    assert.deepEqual(
      all(one(r, 'peripherals'), 'peripheral').map((p) => textOf(p, 'name')),
      ['DSA0', 'DSA0_IMS', 'DSA1', 'DSA1_IMS'],
    );
    assert.equal(
      num(textOf(peripheral(r, 'DSA1'), 'baseAddress')),
      dsaOf(two, 1).pci.barAddress(0),
    );
  });

  it('escapes text and rejects what is not well-formed (the parser is strict)', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
    assert.throws(() => parseXml('<a><b></a>'), /mismatched/);
    assert.throws(() => parseXml('<a>x & y</a>'), /bad entity/);
    assert.throws(() => parseXml('<a x=1></a>'), /not quoted/);
    assert.throws(() => parseXml('<a></a><b/>'), /after the root/);
  });
});
