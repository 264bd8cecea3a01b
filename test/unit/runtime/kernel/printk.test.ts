import { strict as assert } from 'node:assert';
import { kformat } from '../../../../src/runtime/kernel/printk';

const f = (fmt: string, ...args: unknown[]): string => kformat(fmt, args);

describe('runtime/kernel: kformat (vsnprintf conversions)', () => {
  it('prints signed decimals with %d and %i', () => {
    assert.equal(f('%d %i %d', 42, -7, 0), '42 -7 0');
    assert.equal(f('%d', 2 ** 53), '9007199254740992');
    assert.equal(f('%d', 3.9), '3');
    assert.equal(f('%d', true), '1');
  });

  it('prints unsigned, hex and octal', () => {
    assert.equal(f('%u %x %X %o', 255, 255, 255, 8), '255 ff FF 10');
    assert.equal(f('%x', 0xdeadbeef), 'deadbeef');
  });

  it('prints %c, %s and %%', () => {
    assert.equal(f('%c%c', 0x41, 98), 'Ab');
    assert.equal(f('%s-%s', 'idxd', 'wq0.0'), 'idxd-wq0.0');
    assert.equal(f('100%%'), '100%');
    assert.equal(f('%d%%', 5), '5%');
  });

  it('prints (null) for a missing string, like the kernel for a NULL pointer', () => {
    assert.equal(f('%s', null), '(null)');
    assert.equal(f('%s', undefined), '(null)');
  });

  it('consumes one argument per conversion, none for %%', () => {
    assert.equal(f('%d %% %d', 1, 2), '1 % 2');
  });

  it('leaves text that is no conversion alone', () => {
    assert.equal(f('%q', 1), '%q');
    assert.equal(f('100%'), '100%');
  });

  it('pads to the field width, left with -, with zeros with 0', () => {
    assert.equal(f('[%5d]', 42), '[   42]');
    assert.equal(f('[%-5d]', 42), '[42   ]');
    assert.equal(f('[%05d]', 42), '[00042]');
    assert.equal(f('[%05d]', -42), '[-0042]');
    assert.equal(f('[%-05d]', 42), '[42   ]');
    assert.equal(f('[%08x]', 0xbeef), '[0000beef]');
    assert.equal(f('[%2d]', 12345), '[12345]');
  });

  it('pads %s and %c with spaces, never zeros', () => {
    assert.equal(f('[%6s]', 'wq'), '[    wq]');
    assert.equal(f('[%-6s]', 'wq'), '[wq    ]');
    assert.equal(f('[%06s]', 'wq'), '[    wq]');
    assert.equal(f('[%3c]', 0x78), '[  x]');
  });

  it('takes the width from an argument with *', () => {
    assert.equal(f('[%*d]', 6, 42), '[    42]');
    assert.equal(f('[%-*d]', 4, 7), '[7   ]');
    assert.equal(f('[%*s|%d]', 3, 'a', 9), '[  a|9]');
  });

  it('shows the sign with +, positive and zero too', () => {
    assert.equal(f('%+d %+d %+d', 5, -5, 0), '+5 -5 +0');
    assert.equal(f('[%+05d]', 5), '[+0005]');
  });

  it('prefixes hex with 0x/0X under #, even 0 (lib/vsprintf.c number(), unlike C)', () => {
    assert.equal(f('%#x %#X', 255, 255), '0xff 0XFF');
    assert.equal(f('%#x', 0), '0x0');
    assert.equal(f('[%#010x]', 0xab), '[0x000000ab]');
    assert.equal(f('[%#10x]', 0xab), '[      0xab]');
  });

  it('cuts %s at the precision', () => {
    assert.equal(f('%.3s', 'abcdef'), 'abc');
    assert.equal(f('%.0s|', 'abc'), '|');
    assert.equal(f('%.10s', 'abc'), 'abc');
    assert.equal(f('[%5.2s]', 'abc'), '[   ab]');
  });

  it('accepts and ignores the length modifiers l, ll, h, hh, z, t', () => {
    assert.equal(f('%ld %lld %hd %hhd %zd %td', 1, 2, 3, 4, 5, 6), '1 2 3 4 5 6');
    assert.equal(f('%lu %llx %zx %lX', 7, 255, 16, 171), '7 ff 10 AB');
  });

  it('prints bigint arguments exactly', () => {
    assert.equal(f('%llx', 0xffffffffffffffffn), 'ffffffffffffffff');
    assert.equal(f('%llu', 0xffffffffffffffffn), '18446744073709551615');
    assert.equal(f('%lld', 2n ** 62n + 1n), '4611686018427387905');
    assert.equal(f('%lld', -(2n ** 63n)), '-9223372036854775808');
    assert.equal(f('%016llx', 0x1234n), '0000000000001234');
    assert.equal(f('%llo', 0o777n), '777');
  });

  it("prints negative numbers under %u, %x and %o as a 64-bit two's complement (a long)", () => {
    assert.equal(f('%u', -1), '18446744073709551615');
    assert.equal(f('%x', -1), 'ffffffffffffffff');
    assert.equal(f('%lx', -2n), 'fffffffffffffffe');
    assert.equal(f('%X', -22), 'FFFFFFFFFFFFFFEA');
    assert.equal(f('%o', -1), '1777777777777777777777');
  });

  it('prints %p as a 64-bit address', () => {
    assert.equal(f('%p', 0xfee00000), '0x00000000fee00000');
  });

  it('prints %pa (phys_addr_t) as 0x%016llx', () => {
    assert.equal(f('%pa', 0xfee00000), '0x00000000fee00000');
    assert.equal(f('%pa', 0xfffffffffffff000n), '0xfffffffffffff000');
    assert.equal(f('at %pa.', 0x1000), 'at 0x0000000000001000.');
  });

  it('prints %pe as the errno name, positive or negative', () => {
    assert.equal(f('%pe', -22), '-EINVAL');
    assert.equal(f('%pe', -12), '-ENOMEM');
    assert.equal(f('%pe', 16), 'EBUSY');
    assert.equal(f('failed: %pe\n', -19), 'failed: -ENODEV\n');
  });

  it('prints %pe of a code without a name as its number', () => {
    assert.equal(f('%pe', -4095), '-4095');
    assert.equal(f('%pe', 0), '0');
  });
});

describe('runtime/kernel: kformat where it used to differ from vsnprintf', () => {
  it('puts a space before a positive number with the space flag (+ wins)', () => {
    assert.equal(f('[% d] [% d]', 5, -5), '[ 5] [-5]');
    assert.equal(f('[%+ d]', 5), '[+5]');
    assert.equal(f('[% 05d]', 5), '[ 0005]');
    assert.equal(f('[% u] [% x]', 5, 5), '[5] [5]');
  });

  it('left-justifies for a negative * width', () => {
    assert.equal(f('[%*d]', -4, 7), '[7   ]');
    assert.equal(f('[%0*d]', -4, 7), '[7   ]');
  });

  it('takes the precision from an argument with .*', () => {
    assert.equal(f('%.*s|%d', 3, 'abcdef', 9), 'abc|9');
    assert.equal(f('[%*.*s]', 5, 2, 'abcdef'), '[   ab]');
    assert.equal(f('[%.*s]', -1, 'abc'), '[]');
  });

  it('pads integers with zeros to the precision', () => {
    assert.equal(f('%.3d %.3d', 7, -7), '007 -007');
    assert.equal(f('%.2x %.4X', 0xa, 0xbeef), '0a BEEF');
    assert.equal(f('[%6.3u]', 5), '[   005]');
    assert.equal(f('%#.4x', 0xab), '0x00ab');
    assert.equal(f('%.1d', 12345), '12345');
  });

  it('zero-pads after a 0X prefix, as after 0x', () => {
    assert.equal(f('[%#010X]', 0xab), '[0X000000AB]');
  });

  it('prefixes octal with 0 under #', () => {
    assert.equal(f('%#o %#o', 8, 0), '010 0');
    assert.equal(f('[%#05o]', 8), '[00010]');
  });
});

describe('runtime/kernel: kformat %p extensions', () => {
  it('prints %pad (dma_addr_t) and %pap (phys_addr_t) as 0x%016llx', () => {
    assert.equal(f('dma %pad!', 0x1000), 'dma 0x0000000000001000!');
    assert.equal(f('%pap', 0xfee00000n), '0x00000000fee00000');
  });

  it('consumes the letters after %p as the kernel does, not printing them', () => {
    assert.equal(f('%px|%pK', 0x10, 0x20), '0x0000000000000010|0x0000000000000020');
    assert.equal(f('%p.', 0x10), '0x0000000000000010.');
  });

  it('names every errno the kernel API exports under %pe', () => {
    assert.equal(f('%pe', -11), '-EAGAIN');
    assert.equal(f('%pe', -110), '-ETIMEDOUT');
    assert.equal(f('%pe', -17), '-EEXIST');
    assert.equal(f('%pe', -95), '-EOPNOTSUPP');
    assert.equal(f('%pe', -524), '-ENOTSUPP');
  });

  it('pads %pe to the field width like a string', () => {
    assert.equal(f('[%10pe]', -22), '[   -EINVAL]');
    assert.equal(f('[%-8pe]', -5), '[-EIO    ]');
  });
});
