import { strict as assert } from 'node:assert';
import { bitsApi } from '../../../../src/runtime/kernel/bits';
import { KernelError } from '../../../../src/runtime/kernel/context';

const b = bitsApi;

/** Asserts `fn` throws a KernelError whose message matches `re`. */
function throwsKernel(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof KernelError, String(e));
    assert.match(e.message, re);
    return true;
  });
}

describe('runtime/kernel: bits.h and bitfield.h', () => {
  it('BIT(n) is 1 << n as an unsigned number for n 0..31', () => {
    assert.equal(b.BIT(0), 1);
    assert.equal(b.BIT(5), 32);
    assert.equal(b.BIT(31), 0x80000000);
    assert.ok(b.BIT(31) > 0);
  });

  it('BIT beyond 31, negative or fractional throws and points at BIT_ULL', () => {
    for (const n of [32, 63, -1, 1.5]) throwsKernel(() => b.BIT(n), /BIT_ULL/);
    throwsKernel(() => b.BIT(32), /^BIT\(32\)/);
  });

  it('BIT_ULL gives 64-bit bigints', () => {
    assert.equal(b.BIT_ULL(0), 1n);
    assert.equal(b.BIT_ULL(63), 0x8000000000000000n);
  });

  it('GENMASK(h, l) sets bits l..h as an unsigned number', () => {
    assert.equal(b.GENMASK(31, 0), 0xffffffff);
    assert.equal(b.GENMASK(31, 1), 0xfffffffe);
    assert.equal(b.GENMASK(30, 0), 0x7fffffff);
    assert.equal(b.GENMASK(31, 31), 0x80000000);
    assert.equal(b.GENMASK(7, 4), 0xf0);
    assert.equal(b.GENMASK(0, 0), 1);
    assert.equal(b.GENMASK(15, 8), 0xff00);
  });

  it('GENMASK beyond 31 throws and points at GENMASK_ULL', () => {
    throwsKernel(() => b.GENMASK(32, 0), /GENMASK_ULL/);
    throwsKernel(() => b.GENMASK(63, 32), /GENMASK\(63, 32\).*GENMASK_ULL/);
  });

  it('GENMASK with h < l, a negative l or fractions throws', () => {
    throwsKernel(() => b.GENMASK(3, 4), /h >= l/);
    throwsKernel(() => b.GENMASK(3, -1), /GENMASK/);
    throwsKernel(() => b.GENMASK(3.5, 0), /GENMASK/);
  });

  it('GENMASK_ULL gives 64-bit bigint masks', () => {
    assert.equal(b.GENMASK_ULL(63, 0), 0xffffffffffffffffn);
    assert.equal(b.GENMASK_ULL(63, 32), 0xffffffff00000000n);
    assert.equal(b.GENMASK_ULL(47, 12), 0xfffffffff000n);
    assert.equal(b.GENMASK_ULL(0, 0), 1n);
  });

  it('FIELD_GET and FIELD_PREP with number masks', () => {
    assert.equal(b.FIELD_GET(0xf0, 0xabcd), 0xc);
    assert.equal(b.FIELD_PREP(0xf0, 0xc), 0xc0);
    assert.equal(b.FIELD_PREP(0xf0, 0x1c), 0xc0, 'bits beyond the field are dropped');
    assert.equal(b.FIELD_GET(b.GENMASK(15, 8), 0x12345678), 0x56);
  });

  it('FIELD_GET and FIELD_PREP with masks reaching bit 31 stay unsigned', () => {
    assert.equal(b.FIELD_GET(0x80000000, 0x80000000), 1);
    assert.equal(b.FIELD_PREP(0x80000000, 1), 0x80000000);
    assert.equal(b.FIELD_GET(b.GENMASK(31, 24), 0xfe000000), 0xfe);
    assert.equal(b.FIELD_PREP(b.GENMASK(31, 24), 0xfe), 0xfe000000);
    assert.equal(b.FIELD_GET(0xffffffff, 0xffffffff), 0xffffffff);
    assert.equal(b.FIELD_PREP(0xffffffff, 0xffffffff), 0xffffffff);
  });

  it('FIELD_GET and FIELD_PREP with bigint masks or values work on 64 bits', () => {
    assert.equal(b.FIELD_GET(b.GENMASK_ULL(63, 48), 0xabcd000000000000n), 0xabcdn);
    assert.equal(b.FIELD_PREP(b.GENMASK_ULL(63, 48), 0xabcdn), 0xabcd000000000000n);
    assert.equal(b.FIELD_GET(b.GENMASK_ULL(35, 32), 0x500000000n), 5n);
    assert.equal(b.FIELD_GET(0xff00, 0x1234n), 0x12n, 'a bigint register gives a bigint');
    assert.equal(b.FIELD_PREP(b.GENMASK_ULL(7, 4), 3), 0x30n, 'a bigint mask gives a bigint');
    assert.equal(b.FIELD_GET(b.BIT_ULL(63), 0x8000000000000000n), 1n);
  });

  it('FIELD_GET and FIELD_PREP refuse a 0 mask', () => {
    throwsKernel(() => b.FIELD_GET(0, 1), /mask is 0/);
    throwsKernel(() => b.FIELD_PREP(0n, 1n), /mask is 0/);
  });

  it('lower_32_bits and upper_32_bits split numbers above 2^32 and bigints', () => {
    const n = 0x12_3456_789a; // above 2^32
    assert.equal(b.lower_32_bits(n), 0x3456789a);
    assert.equal(b.upper_32_bits(n), 0x12);
    assert.equal(b.lower_32_bits(2 ** 53 - 1), 0xffffffff);
    assert.equal(b.upper_32_bits(2 ** 53 - 1), 0x1fffff);
    assert.equal(b.lower_32_bits(0xfedcba9876543210n), 0x76543210);
    assert.equal(b.upper_32_bits(0xfedcba9876543210n), 0xfedcba98);
    assert.equal(b.upper_32_bits(0xffffffff), 0);
    assert.equal(b.lower_32_bits(0xffffffff), 0xffffffff);
  });

  it('lower_32_bits and upper_32_bits of negative values are those of the 64-bit pattern', () => {
    assert.equal(b.lower_32_bits(-1), 0xffffffff);
    assert.equal(b.upper_32_bits(-1), 0xffffffff);
    assert.equal(b.lower_32_bits(-1n), 0xffffffff);
    assert.equal(b.upper_32_bits(-(2n ** 32n)), 0xffffffff);
  });
});
