// The two inflaters (src/read/inflate.ts): ISA-L's, through its binding (native/binding.c, built at
// install when its headers are there; CI installs them and requires it), and node:zlib's. Each must
// give the bytes gzip put in, member after member, whole (BGZF block groups) and fed piece by piece
// (a gzip stream), and refuse damaged data, a member cut short, or more bytes than the room given.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DamagedGzip, inflater, inflaters } from '../src/read/inflate.js';

const text = (seed: number, length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  for (let k = 0, x = seed; k < length; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[k] = k % 40 === 39 ? 10 : 'ACGTN-\t'.charCodeAt((x >>> 16) % 7);
  }
  return bytes;
};

/** `bytes` as a stream of chunks of `size` bytes. */
const chunked = (bytes: Uint8Array, size: number): Readable => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(Buffer.from(bytes.subarray(at, at + size)));
  return Readable.from(chunks);
};

/** `bytes` in chunks of `size` bytes that all share one buffer, written over for each chunk (as a file read into reused buffers). */
async function* reused(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.alloc(size);
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    buffer.set(piece);
    yield buffer.subarray(0, piece.length);
    buffer.fill(0x55);
  }
}

const damaged = (bytes: Buffer, at: number, mask = 1): Buffer => {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ mask;
  return copy;
};

describe('gzip data inflated into the caller\'s buffers', () => {
  it('uses ISA-L when its binding is built (CI builds it)', { skip: inflaters.isal || process.env.CI ? false : 'the ISA-L binding is not built (apt-get install libisal-dev, then npm run build:native)' }, () => {
    assert.ok(inflaters.isal, 'native/build/Release/genomatrix.node loads');
    assert.equal(inflater, process.env.GENOMATRIX_INFLATE === 'zlib' ? 'zlib' : 'isal');
  });

  const first = text(1, 50_000);
  // More than one 1 MiB piece, so a stream's output fills pieces and goes on.
  const second = text(2, 2_500_000);
  const both = Buffer.concat([first, second]);
  const members = Buffer.concat([gzipSync(first), gzipSync(second), gzipSync(Buffer.alloc(0))]);
  const one = gzipSync(first);
  const bad: [string, Buffer][] = [
    ['a wrong CRC-32', damaged(one, one.length - 8)],
    ['a wrong size', damaged(one, one.length - 4)],
    ['bad deflate data', Buffer.concat([one.subarray(0, 100), Buffer.alloc(40, 0x55), one.subarray(140)])],
    ['a bad header', damaged(one, 0, 0xff)],
  ];

  for (const [name, { gunzipInto, inflateStream }] of Object.entries(inflaters)) {
    describe(name, () => {
      it('inflates members one after the other, into the start of the buffer', () => {
        const dst = Buffer.alloc(both.length + 100, 0x7e);
        assert.equal(gunzipInto(members, dst), both.length);
        assert.ok(dst.subarray(0, both.length).equals(both));
        assert.ok(dst.subarray(both.length).every((byte) => byte === 0x7e), 'nothing written past the inflated bytes');
        assert.equal(gunzipInto(one, Buffer.alloc(first.length)), first.length, 'a buffer of just the size');
      });

      it('refuses a buffer too small, damaged data and a member cut short', () => {
        assert.throws(() => gunzipInto(members, Buffer.alloc(both.length - 1)), DamagedGzip);
        for (const [what, bytes] of bad) assert.throws(() => gunzipInto(bytes, Buffer.alloc(2 * first.length)), DamagedGzip, what);
        assert.throws(() => gunzipInto(one.subarray(0, one.length - 3), Buffer.alloc(2 * first.length)), DamagedGzip, 'cut short');
      });

      it('inflates a stream fed in chunks of any size into buffers of any size, and ignores zero padding after the last member', async () => {
        for (const [size, room] of [[1, 1000], [7, 3], [4096, 1 << 20], [1 << 20, 65_537], [members.length, 4 << 20], [4096, 1]] as const) {
          const small = size === 1 || room < 10;
          const input = small ? Buffer.concat([gzipSync(first), gzipSync(first.subarray(0, 999))]) : Buffer.concat([members, Buffer.alloc(32)]);
          const expected = small ? Buffer.concat([first, first.subarray(0, 999)]) : both;
          const reader = inflateStream(chunked(input, size));
          const out = Buffer.alloc(expected.length + room);
          let length = 0;
          for (let n; (n = await reader.read(out.subarray(length, length + room))) > 0; ) {
            // Every read fills its buffer, but the last.
            assert.ok(n === room || length + n === expected.length, `a read of ${n} bytes into ${room}`);
            length += n;
          }
          assert.ok(out.subarray(0, length).equals(expected), `chunks of ${size} bytes, reads of ${room}`);
          assert.equal(await reader.read(out.subarray(0, room)), 0, 'and 0 again after the end');
        }
      });

      it('is done with a chunk once it asks for the next one, so chunks may share a buffer', async () => {
        for (const [size, room] of [[1000, 4096], [65_536, 1 << 20], [4096, 100]] as const) {
          const reader = inflateStream(reused(members, size));
          const out = Buffer.alloc(both.length + room);
          let length = 0;
          for (let n; (n = await reader.read(out.subarray(length, length + room))) > 0; ) length += n;
          assert.ok(out.subarray(0, length).equals(both), `chunks of ${size} bytes, reads of ${room}`);
        }
      });

      it('refuses a stream with damaged data or cut short', async () => {
        const drain = async (bytes: Buffer): Promise<void> => {
          const reader = inflateStream(chunked(bytes, 1000));
          const out = Buffer.alloc(50_000);
          while ((await reader.read(out)) > 0);
        };
        for (const [what, bytes] of bad) await assert.rejects(drain(bytes), DamagedGzip, what);
        await assert.rejects(drain(members.subarray(0, members.length - 30)), DamagedGzip, 'cut short');
        await assert.rejects(drain(Buffer.alloc(0)), DamagedGzip, 'empty');
      });
    });
  }
});
