// Runs a user's task module over every contig (or every chunk of rows of every contig) on the
// matrix's worker pool, at most `threads` at a time, and gathers the results in genome order.

import { UsageError } from '../errors.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import type { Contig, HaplotypePair } from '../layout/types.js';
import type { CustomTask } from '../worker/messages.js';
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

/** One task's rows: `[from, to)` of a contig. */
export interface TaskRange {
  contig: Contig;
  from: number;
  to: number;
}

/** The row ranges of a run, in genome order: whole contigs, or chunks of at most `chunkRows` rows. */
export function taskRanges(contigs: readonly Contig[], chunkRows?: number): TaskRange[] {
  if (chunkRows === undefined) return contigs.map((contig) => ({ contig, from: 0, to: contig.sites }));
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UsageError(`chunkRows must be a whole number of at least 1, got ${chunkRows}`);
  return contigs.flatMap((contig) => {
    const ranges: TaskRange[] = [];
    for (let from = 0; from < contig.sites; from += chunkRows) ranges.push({ contig, from, to: Math.min(contig.sites, from + chunkRows) });
    return ranges.length > 0 ? ranges : [{ contig, from: 0, to: 0 }];
  });
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
  pairs: HaplotypePair[];
  module: string;
  args: unknown;
}

/** Runs the task module over each range; resolves to the results in range order. */
export async function mapRanges(run: CustomRun, ranges: readonly TaskRange[], options: MapOptions): Promise<unknown[]> {
  const { onProgress } = options;
  options.signal?.throwIfAborted();
  // The first failure cancels the tasks still running (their threads are replaced), so a task
  // that throws never leaves the others running, or hanging, behind it.
  const cancel = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
  const concurrency = taskConcurrency(options.threads, run.pool.threads);
  const results: unknown[] = new Array(ranges.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < ranges.length) {
      const i = next++;
      const range = ranges[i] as TaskRange;
      const batch = run.layout.batches[range.contig.index];
      if (!batch) throw new RangeError(`no batch for contig ${range.contig.name}`);
      const task: CustomTask = {
        kind: 'custom',
        module: run.module,
        args: run.args,
        layout: { ...run.layout, batches: [batch] },
        contig: range.contig,
        from: range.from,
        to: range.to,
        pairs: run.pairs,
      };
      try {
        results[i] = await run.pool.runCustom(task, signal);
        onProgress?.(++done, ranges.length);
      } catch (error) {
        const first = !failed;
        failed = true; // the other lanes start nothing more
        if (first && !options.signal?.aborted) cancel.abort(error);
        throw options.signal?.aborted ? options.signal.reason : error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ranges.length) }, lane));
  return results;
}
