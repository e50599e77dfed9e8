// Gathers small writes into one buffer before they reach a file: every write to a file handle is a
// round trip through the thread pool, and an output made of many small pieces (an Arrow file of
// 20,000 one-contig batches is over a million of them) spent minutes waiting on those round trips.

import type { OutputSink } from './sink.js';

/** Writes of fewer bytes than this are copied into the buffer; larger ones go straight through (after it). */
const SMALL_WRITE = 64 << 10;

/** `sink` with small writes gathered into a buffer of `bufferBytes`, written when full, before a large write and on commit (each write awaited before the next, as every caller does). */
export function coalesceWrites(sink: OutputSink, bufferBytes = 1 << 20): OutputSink {
  let buffer: Uint8Array = new Uint8Array(bufferBytes);
  let filled = 0;
  // The sink may keep the bytes until its promise resolves: another buffer fills while it writes
  // one, and a buffer is filled again only once its write is done. Two buffers, taken in turn: a
  // new one per flush was a megabyte of new memory each time, whose first touch costs more than
  // the copy into it on this machine (bench/README.md, "Fresh memory is dear").
  let spare: Uint8Array | undefined;
  const flush = async (): Promise<void> => {
    if (filled === 0) return;
    const full = buffer;
    const length = filled;
    buffer = spare ?? new Uint8Array(bufferBytes);
    spare = undefined;
    filled = 0;
    await sink.write(full.subarray(0, length));
    spare = full;
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
