// Entry point of every worker thread of the pool: dispatches a task to its kernel. The task's
// SharedArrayBuffers arrive shared (worker_threads), so kernels read and write the main thread's memory.

import { runHaplotypeTask } from './haplotype-chunk.js';
import { Tinypool } from 'tinypool';
import type { CustomTask, EncodedChunk, ParseResult, RemapTask, StatsCounts, TransferredChunk, WorkerTask } from './messages.js';
import { runParseTask } from './parse-chunk.js';
import { contigView, type ContigTask } from './contig-view.js';
import { taskFailure } from './task-failure.js';
import { runStatsTask } from './stats-chunk.js';
import { runVcfTask } from './vcf-chunk.js';

export default async function runTask(task: WorkerTask): Promise<ParseResult | EncodedChunk | TransferredChunk | StatsCounts | number | unknown> {
  switch (task.kind) {
    case 'parse':
      return runParseTask(task);
    case 'haplotype':
      return runHaplotypeTask(task);
    case 'vcf':
      return moveChunk(runVcfTask(task));
    case 'stats':
      return runStatsTask(task);
    case 'remap':
      return runRemapTask(task);
    case 'custom':
      return runCustomTask(task);
  }
}

/** Runs a user's task; its exception comes back as a `TaskFailure` so its class name and properties survive. */
async function runCustomTask(task: CustomTask): Promise<unknown> {
  const module = (await import(task.module)) as { default?: ContigTask };
  if (typeof module.default !== 'function') throw new TypeError(`task module ${task.module} has no default export function`);
  const batch = task.layout.batches[0];
  if (!batch) throw new RangeError('custom task without a batch');
  try {
    return await module.default(contigView(task.layout, batch, task, task.pairs), task.args);
  } catch (error) {
    const failure = taskFailure(error);
    if (failure) return failure;
    throw error;
  }
}

/** Hands encoded bytes back without a copy: their ArrayBuffer is transferred, not cloned. */
function moveChunk(chunk: TransferredChunk): TransferredChunk {
  const movable = { [Tinypool.transferableSymbol]: chunk.bytes.buffer, [Tinypool.valueSymbol]: chunk };
  return Tinypool.move(movable as unknown as Parameters<typeof Tinypool.move>[0]) as unknown as TransferredChunk;
}

/** Rewrites allele codes in place through the map; returns the rows done. */
function runRemapTask(task: RemapTask): number {
  const map = task.map;
  for (const buffer of task.columns) {
    const codes = new Uint8Array(buffer, task.byteOffset ?? 0, task.rows);
    for (let r = 0; r < codes.length; r++) codes[r] = map[codes[r] as number] as number;
  }
  return task.rows;
}
