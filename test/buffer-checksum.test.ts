// The buffer checksums of a packed matrix (layout/buffer-checksum.ts): XXH3-64, seed 0, whether a
// buffer is hashed at once (small ones) or through the streaming state (large ones, and a buffer
// written in pieces). The expected values come from the reference `xxhsum -H3` (xxHash 0.8.1) of
// the same bytes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksumOf, EMPTY_CHECKSUM, checksumValue } from '../src/layout/buffer-checksum.js';

/** `size` bytes of a fixed pattern: byte i is (31 i + 7) mod 256. */
function pattern(size: number, shared = false): Uint8Array {
  const bytes = new Uint8Array(shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 255;
  return bytes;
}

/** `xxhsum -H3` of `pattern(size)`. */
const REFERENCE = new Map([
  [1, '4c5cca45d0f4811f'],
  [8191, 'e566da198ec3736b'],
  [8192, '0cdd09534f247713'],
  [100_000, 'ccf90df7e7e37036'],
]);

describe('buffer checksums', () => {
  it('are the reference XXH3-64 of the bytes, on both sides of the size where the streaming state takes over', () => {
    for (const [size, expected] of REFERENCE) {
      assert.equal(checksumOf(pattern(size)), expected, `${size} bytes`);
      assert.equal(checksumOf(pattern(size, true)), expected, `${size} bytes of shared memory`);
    }
    assert.equal(checksumValue(new Uint8Array(0)), EMPTY_CHECKSUM);
  });

  it('are the same for a buffer given in pieces, empty pieces among them', () => {
    for (const [size, expected] of REFERENCE) {
      const bytes = pattern(size);
      const cut = Math.floor(size / 3);
      assert.equal(checksumOf([bytes.subarray(0, cut), new Uint8Array(0), bytes.subarray(cut)]), expected, `${size} bytes in pieces`);
    }
    assert.equal(checksumValue([new Uint8Array(0)]), EMPTY_CHECKSUM);
  });
});
