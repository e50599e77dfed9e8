// The output step every text conversion shares: bytes -> BGZF blocks, in a worker thread. The
// driver sends a conversion's header and trailer here; a range's encoded lines are compressed by
// `encodedOutput` in the worker that encoded them, right after their kernel.

import { Tinypool } from 'tinypool';
import { bgzfBlocks } from '../write/bgzf.js';
import type { BgzfTask, EncodedChunk, TransferredChunk } from './messages.js';

/** Compresses a task's bytes into BGZF blocks (no end block). */
export function runBgzfTask(task: BgzfTask): TransferredChunk {
  return moveChunk({ bytes: bgzfBlocks(task.bytes, task.level), lines: 0 });
}

/**
 * The bytes an encoding kernel produced, as they go back to the main thread: BGZF blocks when
 * the task asks for them (a new buffer, transferred), else as the kernel left them (its output
 * slot, or a copy of its scratch buffer, transferred).
 */
export function encodedOutput(task: { bgzf?: boolean; level?: number; output?: SharedArrayBuffer }, result: EncodedChunk | TransferredChunk): EncodedChunk | TransferredChunk {
  if ('length' in result && !('bytes' in result) && !task.bgzf) return result;
  const bytes = encodedBytes(task, result);
  return moveChunk({ ...(result as TransferredChunk), bytes: task.bgzf ? bytes : bytes.slice() });
}

/**
 * An encoding kernel's bytes: new BGZF blocks when the task asks for them, else a view of its
 * output slot or scratch buffer (valid until the worker's next task).
 */
export function encodedBytes(task: { bgzf?: boolean; level?: number; output?: SharedArrayBuffer }, result: EncodedChunk | TransferredChunk): Uint8Array {
  const bytes = 'bytes' in result ? result.bytes : new Uint8Array(task.output as SharedArrayBuffer, 0, result.length);
  return task.bgzf ? bgzfBlocks(bytes, task.level) : bytes;
}

/** Hands a result with encoded bytes back without a copy: their ArrayBuffer is transferred, not cloned. */
export function moveChunk<T extends { bytes: Uint8Array }>(chunk: T): T {
  const movable = { [Tinypool.transferableSymbol]: chunk.bytes.buffer, [Tinypool.valueSymbol]: chunk };
  return Tinypool.move(movable as unknown as Parameters<typeof Tinypool.move>[0]) as unknown as T;
}
