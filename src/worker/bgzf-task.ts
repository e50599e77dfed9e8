// The output step every text conversion shares: bytes -> BGZF blocks, in a worker thread. The
// driver sends a conversion's header and trailer here; a range's encoded lines are compressed by
// `encodedOutput` in the worker that encoded them, right after their kernel.

import { bgzfBlocks } from '../write/bgzf.js';
import type { BgzfTask, EncodedChunk, TransferredChunk } from './messages.js';

/** Compresses a task's bytes into BGZF blocks (no end block). */
export function runBgzfTask(task: BgzfTask): TransferredChunk {
  return { bytes: sharedCopy(bgzfBlocks(task.bytes, task.level)), lines: 0 };
}

/**
 * The bytes an encoding kernel produced, as they go back to the main thread (BGZF blocks when the
 * task asks for them): in the task's output slot (`handBack`), or in shared memory of their own
 * when they do not fit.
 */
export function encodedOutput(task: { bgzf?: boolean; level?: number; output?: Uint8Array }, result: EncodedChunk | TransferredChunk): EncodedChunk | TransferredChunk {
  if ('length' in result && !('bytes' in result) && !task.bgzf) return result;
  const { bytes: _, ...counts } = result as TransferredChunk;
  return handBack(task.output, encodedBytes(task, result), counts);
}

/**
 * Hands encoded bytes back to the main thread: copied to the start of `slot` when they fit (the
 * driver lends every encoding task a slot and reuses it, so no buffer per task is left for the
 * main thread's garbage collector, which seldom runs in a streamed run), else copied into a
 * SharedArrayBuffer of their own (`sharedCopy`).
 */
export function handBack<C extends object>(slot: Uint8Array | undefined, bytes: Uint8Array, counts: C): (C & { length: number }) | (C & { bytes: Uint8Array }) {
  if (slot && bytes.length <= slot.length) {
    if (bytes.buffer !== slot.buffer || bytes.byteOffset !== slot.byteOffset) slot.set(bytes);
    return { ...counts, length: bytes.length };
  }
  return { ...counts, bytes: sharedCopy(bytes) };
}

/**
 * An encoding kernel's bytes: new BGZF blocks when the task asks for them, else a view of its
 * output slot or scratch buffer (valid until the worker's next task).
 */
export function encodedBytes(task: { bgzf?: boolean; level?: number; output?: Uint8Array }, result: EncodedChunk | TransferredChunk): Uint8Array {
  const bytes = 'bytes' in result ? result.bytes : (task.output as Uint8Array).subarray(0, result.length);
  return task.bgzf ? bgzfBlocks(bytes, task.level) : bytes;
}

/**
 * A copy of `bytes` in a SharedArrayBuffer, which goes to the main thread without a copy and
 * without being transferred. A worker never transfers (detaches) an ArrayBuffer: V8 compiles its
 * typed-array reads for "no buffer was ever detached" in this thread, and the first detach throws
 * away every optimised function of the thread, the parse's and the kernels' just compiled
 * (docs/internals.md, "No buffer is ever detached in a worker").
 */
export function sharedCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

/**
 * The worker's buffer for the bytes of a group of tasks (a task group's, a joined group's), kept
 * from group to group: a new one per group, grown by doubling from nothing, was megabytes of zeroed
 * memory per group of small contigs. A group's bytes are copied out before the worker's next task.
 */
let groupBytes = new Uint8Array(0);

/** Puts `bytes` at `at` in the worker's group buffer, grown (keeping its first `at` bytes) when they do not fit; returns the buffer. */
export function appendGroupBytes(at: number, bytes: Uint8Array): Uint8Array {
  if (at + bytes.length > groupBytes.length) {
    const grown = new Uint8Array(Math.max(2 * groupBytes.length, at + bytes.length, 1 << 16));
    grown.set(groupBytes.subarray(0, at));
    groupBytes = grown;
  }
  groupBytes.set(bytes, at);
  return groupBytes;
}
