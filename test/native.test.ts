// The native binding's memory advice (src/native.ts, native/binding.c): `sharedBuffer` gives new,
// zeroed shared memory of the size asked, with transparent huge pages asked for when it is large;
// the binding's `adviseHugePages` takes the advice only over whole 2 MiB pages inside the bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { binding, sharedBuffer } from '../src/native.js';

/** Whether this kernel takes MADV_HUGEPAGE (its setting is `always` or `madvise`). */
function kernelTakesAdvice(): boolean {
  try {
    return !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  } catch {
    return false;
  }
}

describe('shared memory with huge pages', () => {
  for (const bytes of [0, 1, 4095, 3 << 20, (4 << 20) + 7, 16 << 20]) {
    it(`sharedBuffer(${bytes}) is a new, zeroed, writable SharedArrayBuffer of that size`, () => {
      const buffer = sharedBuffer(bytes);
      assert.ok(buffer instanceof SharedArrayBuffer);
      assert.equal(buffer.byteLength, bytes);
      const view = new Uint8Array(buffer);
      assert.equal(view.indexOf(1), -1);
      view.fill(7);
      assert.equal(view.filter((b) => b !== 7).length, 0);
    });
  }

  const built = binding ? false : 'the native binding is not built (npm run build:native)';

  it('advises whole 2 MiB pages inside the bytes, and only those', { skip: built }, () => {
    const advise = (binding as NonNullable<typeof binding>).adviseHugePages;
    // 2 MiB cannot hold a whole aligned 2 MiB page unless it starts on one; 1 MiB never can.
    assert.equal(advise(new Uint8Array(new SharedArrayBuffer(1 << 20))), false);
    assert.equal(advise(new Uint8Array(0)), false);
    if (process.platform === 'linux' && kernelTakesAdvice()) {
      assert.equal(advise(new Uint8Array(new SharedArrayBuffer(8 << 20))), true);
      assert.equal(advise(new Uint8Array(new ArrayBuffer(8 << 20))), true, 'a plain ArrayBuffer too');
    }
  });

  it('refuses what is not a Uint8Array', { skip: built }, () => {
    const advise = (binding as NonNullable<typeof binding>).adviseHugePages as (bytes: unknown) => boolean;
    assert.throws(() => advise(new Uint16Array(8)), /expected a Uint8Array/);
    assert.throws(() => advise(new SharedArrayBuffer(8)), /expected a Uint8Array/);
    assert.throws(() => advise(undefined), /expected a Uint8Array/);
  });
});
