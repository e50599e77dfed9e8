// Entry point of every worker thread of the pool: dispatches a task to its kernel. The task's
// SharedArrayBuffers arrive shared (worker_threads), so kernels read and write the main thread's memory.

import { runHaplotypeTask } from './haplotype-chunk.js';
import { Tinypool } from 'tinypool';
import type { EncodedChunk, ParseResult, RemapTask, StatsCounts, TransferredChunk, WorkerTask } from './messages.js';
import { runParseTask } from './parse-chunk.js';
import { contigView, type ContigTask } from './contig-view.js';
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
    case 'custom': {
      const module = (await import(task.module)) as { default?: ContigTask };
      if (typeof module.default !== 'function') throw new TypeError(`task module ${task.module} has no default export function`);
      const batch = task.layout.batches[0];
      if (!batch) throw new RangeError('custom task without a batch');
      return module.default(contigView(task.layout, batch, task.index), task.args);
    }
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
    const codes = new Uint8Array(buffer, 0, task.rows);
    for (let r = 0; r < codes.length; r++) codes[r] = map[codes[r] as number] as number;
  }
  return task.rows;
}
