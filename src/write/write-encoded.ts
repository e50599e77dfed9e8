// Writes the output of encoding tasks in order. Each task encodes into an output slot: a
// SharedArrayBuffer lent by the main thread and returned once its bytes are written, so a
// whole run reuses a few slots and leaves no garbage behind, whatever the output size.

import { runOrdered } from '../dispatch/run-ordered.js';
import type { EncodedChunk } from '../worker/messages.js';
import type { OutputSink } from './output-sink.js';

/** Default size of one output slot. */
export const SLOT_BYTES = 2 << 20;

/**
 * Runs `count` encoding tasks, at most `window` at a time, each given a free slot of `slotBytes`,
 * and writes their bytes to `sink` in task order. Returns the lines written.
 */
export async function writeEncoded(
  count: number,
  window: number,
  slotBytes: number,
  encode: (index: number, slot: SharedArrayBuffer) => Promise<EncodedChunk>,
  sink: OutputSink,
): Promise<number> {
  // One slot per task in flight, plus the one whose bytes are being written.
  const free = Array.from({ length: Math.min(count, window + 1) }, () => new SharedArrayBuffer(slotBytes));
  let lines = 0;
  await runOrdered(
    count,
    window,
    async (index) => {
      const slot = free.pop();
      if (!slot) throw new Error('no free output slot');
      try {
        return { slot, chunk: await encode(index, slot) };
      } catch (error) {
        free.push(slot);
        throw error;
      }
    },
    async ({ slot, chunk }) => {
      lines += chunk.lines;
      await sink.write(new Uint8Array(slot, 0, chunk.length));
      free.push(slot);
    },
  );
  return lines;
}
