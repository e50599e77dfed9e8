// Entry point of every worker thread of the pool: dispatches a task to its kernel. The task's
// SharedArrayBuffers arrive shared (worker_threads), so kernels read and write the main thread's memory.

import { runHaplotypeTask } from './haplotype-chunk.js';
import { Tinypool } from 'tinypool';
import { placeColumn } from '../read/group-contigs.js';
import type { CustomTask, EncodedChunk, ParseResult, StatsCounts, TransferredChunk, WorkerTask } from './messages.js';
import { runParseTask } from './parse-chunk.js';
import { contigView, type ContigTask } from './contig-view.js';
import { taskFailure } from './task-failure.js';
import { runStatsTask } from './stats-chunk.js';
import { runVcfTask } from './vcf-chunk.js';

export default async function runTask(task: WorkerTask): Promise<ParseResult | EncodedChunk | TransferredChunk | StatsCounts | SharedArrayBuffer | unknown> {
  switch (task.kind) {
    case 'parse':
      return runParseTask(task);
    case 'haplotype':
      return runHaplotypeTask(task);
    case 'vcf':
      return moveChunk(runVcfTask(task));
    case 'stats':
      return runStatsTask(task);
    case 'place':
      return placeColumn(task.plan, task.column, task.width, task.map);
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
