// The output step every text conversion shares: bytes -> BGZF blocks, in a worker thread. The
// driver sends a conversion's header and trailer here; a range's encoded lines are compressed by
// `encodedOutput` in the worker that encoded them, right after their kernel.

import { Tinypool } from 'tinypool';
import { bgzfBlocks } from '../write/bgzf.js';
import type { BgzfTask, EncodedChunk, TransferredChunk } from './messages.js';

/** Compresses a task's bytes into BGZF blocks (no end block). */
export function runBgzfTask(task: BgzfTask): TransferredChunk {
  return moveChunk({ bytes: bgzfBlocks(task.bytes), lines: 0 });
}

/**
 * The bytes an encoding kernel produced, as they go back to the main thread: BGZF blocks when
 * the task asks for them (a new buffer, transferred), else as the kernel left them (its output
 * slot, or a copy of its scratch buffer, transferred).
 */
export function encodedOutput(task: { bgzf?: boolean; output?: SharedArrayBuffer }, result: EncodedChunk | TransferredChunk): EncodedChunk | TransferredChunk {
  if ('length' in result && !('bytes' in result)) {
    if (!task.bgzf) return result;
    return moveChunk({ bytes: bgzfBlocks(new Uint8Array(task.output as SharedArrayBuffer, 0, result.length)), lines: result.lines });
  }
  const chunk = result as TransferredChunk;
  return moveChunk({ ...chunk, bytes: task.bgzf ? bgzfBlocks(chunk.bytes) : chunk.bytes.slice() });
}

/** Hands encoded bytes back without a copy: their ArrayBuffer is transferred, not cloned. */
function moveChunk(chunk: TransferredChunk): TransferredChunk {
  const movable = { [Tinypool.transferableSymbol]: chunk.bytes.buffer, [Tinypool.valueSymbol]: chunk };
  return Tinypool.move(movable as unknown as Parameters<typeof Tinypool.move>[0]) as unknown as TransferredChunk;
}
