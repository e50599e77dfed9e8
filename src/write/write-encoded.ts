// Encoded output in order, through reusable output slots. Each encoding task writes into a slot:
// a SharedArrayBuffer lent by the main thread and taken back once its bytes have been consumed,
// so a whole run reuses a few slots and leaves no garbage behind, whatever the output size.

import { orderedResults } from '../dispatch/run-ordered.js';
import type { EncodedChunk } from '../worker/messages.js';

/** Default size of one output slot. */
export const SLOT_BYTES = 2 << 20;

/** One task's output: a view of its slot, valid until the next chunk is asked for. */
export interface EncodedBytes {
  bytes: Uint8Array;
  lines: number;
  index: number;
}

/**
 * Runs `count` encoding tasks, at most `window` at a time, each given a free slot of `slotBytes`,
 * and yields their bytes in task order. A yielded view is reused once the next one is asked for:
 * write it (or copy it) before going on.
 */
export async function* encodedChunks(
  count: number,
  window: number,
  slotBytes: number,
  encode: (index: number, slot: SharedArrayBuffer) => Promise<EncodedChunk>,
): AsyncGenerator<EncodedBytes> {
  // One slot per task in flight, plus the one whose bytes the consumer holds.
  const free = Array.from({ length: Math.min(count, window + 1) }, () => new SharedArrayBuffer(slotBytes));
  const results = orderedResults(count, window, async (index) => {
    const slot = free.pop();
    if (!slot) throw new Error('no free output slot');
    try {
      return { slot, chunk: await encode(index, slot) };
    } catch (error) {
      free.push(slot);
      throw error;
    }
  });
  for await (const [{ slot, chunk }, index] of results) {
    yield { bytes: new Uint8Array(slot, 0, chunk.length), lines: chunk.lines, index };
    free.push(slot);
  }
}
