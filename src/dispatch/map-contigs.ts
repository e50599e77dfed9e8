// Runs a user's task module over every contig (or every chunk of rows of every contig) on the
// matrix's worker pool through the driver, at most `threads` at a time, and gathers the results in
// genome order.

import { UsageError } from '../errors.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import type { Contig, HaplotypePair } from '../layout/types.js';
import type { CustomTask } from '../worker/messages.js';
import { memorySource } from './contig-source.js';
import type { Conversion } from './conversion.js';
import { drive } from './drive.js';
import type { WorkerPool } from './worker-pool.js';

/** Options of `Matrix.mapContigs`. */
export interface MapOptions {
  /**
   * Most tasks running at once. The worker pool's size is fixed when the matrix is loaded
   * (`LoadOptions.threads`): this only limits how many of its threads one `mapContigs` uses, and a
   * larger value is capped at `Matrix.threads`. Default: all of them.
   */
  threads?: number;
  /**
   * Splits every contig into row ranges of at most this many rows, one task each, so a few big
   * contigs still keep every thread busy. Default: one task per contig.
   */
  chunkRows?: number;
  /** Aborts the run: running tasks are stopped (their threads replaced), and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called after each task with the tasks done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Checks `MapOptions.chunkRows`: rows per task, or every contig whole (undefined). */
export function taskChunkRows(chunkRows: number | undefined): number {
  if (chunkRows === undefined) return Infinity;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UsageError(`chunkRows must be a whole number of at least 1, got ${chunkRows}`);
  return chunkRows;
}

/** Tasks of a run: one per `chunkRows` rows of each contig (one for a contig without sites). */
function taskCount(contigs: readonly Contig[], chunkRows: number): number {
  return contigs.reduce((sum, contig) => sum + Math.max(1, Math.ceil(contig.sites / chunkRows)), 0);
}

/** How many tasks may run at once: `threads`, capped at the pool's size. */
export function taskConcurrency(threads: number | undefined, poolThreads: number): number {
  if (threads === undefined) return poolThreads;
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`threads must be a whole number of at least 1, got ${threads}`);
  return Math.min(threads, poolThreads);
}

/** What one custom run needs. */
export interface CustomRun {
  pool: WorkerPool;
  layout: MatrixLayout;
  contigs: readonly Contig[];
  pairs: HaplotypePair[];
  module: string;
  args: unknown;
}

/**
 * Runs the task module over every contig (or every `chunkRows` rows of each) on the driver, at most
 * `threads` tasks at a time; resolves to the results in genome order.
 */
export async function mapContigRanges(run: CustomRun, options: MapOptions): Promise<unknown[]> {
  const { onProgress } = options;
  const chunkRows = taskChunkRows(options.chunkRows);
  const concurrency = taskConcurrency(options.threads, run.pool.threads);
  const total = taskCount(run.contigs, chunkRows);
  const results: unknown[] = [];
  let done = 0;
  // A task sees its batch's entry of `matrix.contigs` (a contig a region selection cut is one entry
  // per range), while the driver's unit holds the whole contig.
  const contigOf = new Map(run.layout.batches.map((batch, b) => [batch, run.contigs[b] as Contig]));
  const conversion: Conversion<CustomTask> = {
    chunkRows,
    ungrouped: true,
    task: (range) => ({
      kind: 'custom',
      module: run.module,
      args: run.args,
      layout: { ...run.layout, batches: [range.batch] },
      contig: contigOf.get(range.batch) ?? range.unit.contig,
      from: range.from,
      to: range.to,
      pairs: run.pairs,
    }),
    collect: (result) => void results.push(result),
  };
  // Results are kept for the caller anyway: no window beyond the tasks themselves.
  await drive(memorySource(run.layout), conversion, {
    pool: run.pool,
    window: total,
    concurrency,
    ...(options.signal ? { signal: options.signal } : {}),
    onTaskDone: () => onProgress?.(++done, total),
  });
  return results;
}
