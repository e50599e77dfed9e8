import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeDecimal } from '../src/write/decimal.js';

describe('decimal text', () => {
  it('writes a number as JavaScript prints it, returning the offset after it', () => {
    for (const n of [0, 7, 10, 99, 100, 2147483647, 1234567890123, Number.MAX_SAFE_INTEGER, 2 ** 53, 1.5, -3, Number.NaN, 1e21]) {
      const out = new Uint8Array(32).fill(0x2a);
      const end = writeDecimal(out, 3, n);
      assert.equal(Buffer.from(out.subarray(3, end)).toString('latin1'), String(n));
      assert.equal(out[2], 0x2a);
      assert.equal(out[end], 0x2a);
    }
  });
});
