// coalesceWrites gathers small writes into a buffer and hands it to the sink when full, before a
// large write and on commit. The sink may hold the bytes until its write resolves: a buffer must
// not be filled again before then (the sink here reads them only then).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalesceWrites } from '../src/write/coalesce-writes.js';
import type { OutputSink } from '../src/write/sink.js';

/** A sink that reads its bytes only when the write resolves, a few ticks later, and notes the buffers it was given. */
function lateSink(): OutputSink & { bytes(): Buffer; buffers: Set<ArrayBufferLike>; writes: number } {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const sink = {
    buffers,
    writes: 0,
    async write(bytes: Uint8Array): Promise<void> {
      sink.writes++;
      buffers.add(bytes.buffer);
      for (let tick = 0; tick < 3; tick++) await new Promise((resolve) => setImmediate(resolve));
      parts.push(Buffer.from(bytes));
    },
    async commit(): Promise<void> {},
    async abort(): Promise<void> {},
    bytes: () => Buffer.concat(parts),
  };
  return sink;
}

/** `count` pieces of `size` bytes, each filled with its own number. */
function pieces(count: number, size: number): Uint8Array[] {
  return Array.from({ length: count }, (_, k) => new Uint8Array(size).fill(k % 251));
}

describe('coalesceWrites', () => {
  it('writes small pieces in order, in few writes of two buffers taken in turn', async () => {
    const sink = lateSink();
    const out = coalesceWrites(sink, 1000);
    const small = pieces(100, 90);
    for (const piece of small) await out.write(piece);
    await out.commit();
    assert.deepEqual(sink.bytes(), Buffer.concat(small));
    // 9,000 bytes in buffers of 1,000 holding 11 pieces each: 10 writes, all from two buffers.
    assert.equal(sink.writes, 10);
    assert.equal(sink.buffers.size, 2);
  });

  it('a large write goes after the buffered bytes, as it is', async () => {
    const sink = lateSink();
    const out = coalesceWrites(sink, 1 << 20);
    const large = new Uint8Array(100 << 10).fill(7);
    await out.write(Uint8Array.of(1, 2, 3));
    await out.write(large);
    await out.write(Uint8Array.of(4));
    await out.commit();
    assert.deepEqual(sink.bytes(), Buffer.concat([Uint8Array.of(1, 2, 3), large, Uint8Array.of(4)]));
    assert.ok(sink.buffers.has(large.buffer), 'the large write was not copied');
  });
});
