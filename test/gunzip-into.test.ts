// The two inflaters of BGZF input (src/worker/gunzip-into.ts): libdeflate's binding
// (native/libdeflate.c, built at install when libdeflate's headers are there; CI installs them and
// requires it) and node:zlib. Each must give the bytes gzip put in, member after member, and refuse
// a damaged member or one that inflates past the room given.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DamagedGzip, inflater, inflaters, type GunzipInto } from '../src/worker/gunzip-into.js';

const text = (seed: number, length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  for (let k = 0, x = seed; k < length; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[k] = k % 40 === 39 ? 10 : 'ACGTN-\t'.charCodeAt((x >>> 16) % 7);
  }
  return bytes;
};

describe('gzip members inflated into a caller\'s buffer', () => {
  it('uses libdeflate when its binding is built (CI builds it)', { skip: inflaters.libdeflate || process.env.CI ? false : 'the libdeflate binding is not built (apt-get install libdeflate-dev, then npm run build:native)' }, () => {
    assert.ok(inflaters.libdeflate, 'native/build/Release/gunzip.node loads');
    assert.equal(inflater, process.env.GENOMATRIX_INFLATE === 'zlib' ? 'zlib' : 'libdeflate');
  });

  const kinds = Object.entries(inflaters) as [string, GunzipInto][];
  for (const [name, gunzip] of kinds) {
    describe(name, () => {
      const first = text(1, 50_000);
      const second = text(2, 70_000);
      const members = Buffer.concat([gzipSync(first), gzipSync(second), gzipSync(Buffer.alloc(0))]);

      it('inflates members one after the other, into the start of the buffer', () => {
        const dst = Buffer.alloc(first.length + second.length + 100, 0x7e);
        assert.equal(gunzip(members, dst), first.length + second.length);
        assert.deepEqual(dst.subarray(0, first.length + second.length), Buffer.concat([first, second]));
        assert.ok(dst.subarray(first.length + second.length).every((byte) => byte === 0x7e), 'nothing written past the inflated bytes');
      });

      it('refuses a buffer too small for the members', () => {
        assert.throws(() => gunzip(members, Buffer.alloc(first.length + second.length - 1)), DamagedGzip);
      });

      it('refuses a wrong CRC-32, a wrong size and bad deflate data', () => {
        const one = gzipSync(first);
        const crc = Buffer.from(one);
        crc[crc.length - 8] = (crc[crc.length - 8] as number) ^ 1;
        const size = Buffer.from(one);
        size[size.length - 4] = (size[size.length - 4] as number) ^ 1;
        const data = Buffer.from(one);
        for (let k = 100; k < 140; k++) data[k] = (data[k] as number) ^ 0x55;
        for (const [what, bytes] of [['CRC-32', crc], ['size', size], ['deflate data', data]] as const) {
          assert.throws(() => gunzip(bytes, Buffer.alloc(2 * first.length)), DamagedGzip, what);
        }
      });
    });
  }
});
