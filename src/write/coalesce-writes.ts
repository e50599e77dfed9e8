// Gathers small writes into one buffer before they reach a file: every write to a file handle is a
// round trip through the thread pool, and an output made of many small pieces (an Arrow file of
// 20,000 one-contig batches is over a million of them) spent minutes waiting on those round trips.

import type { OutputSink } from './sink.js';

/** Writes of fewer bytes than this are copied into the buffer; larger ones go straight through (after it). */
const SMALL_WRITE = 64 << 10;

/** `sink` with small writes gathered into a buffer of `bufferBytes`, written when full, before a large write and on commit. */
export function coalesceWrites(sink: OutputSink, bufferBytes = 1 << 20): OutputSink {
  let buffer = new Uint8Array(bufferBytes);
  let filled = 0;
  const flush = async (): Promise<void> => {
    if (filled === 0) return;
    const full = buffer.subarray(0, filled);
    // The sink may keep the bytes until its promise resolves: a new buffer while it writes this one.
    buffer = new Uint8Array(bufferBytes);
    filled = 0;
    await sink.write(full);
  };
  return {
    async write(bytes) {
      if (bytes.length >= SMALL_WRITE) {
        await flush();
        await sink.write(bytes);
        return;
      }
      if (filled + bytes.length > buffer.length) await flush();
      buffer.set(bytes, filled);
      filled += bytes.length;
    },
    async commit() {
      await flush();
      await sink.commit();
    },
    async abort() {
      filled = 0;
      await sink.abort();
    },
  };
}
