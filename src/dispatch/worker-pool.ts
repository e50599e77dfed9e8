// The pool of worker threads every parallel step runs on (tinypool, worker_threads runtime, so
// SharedArrayBuffers in a task are shared, never copied).

import { availableParallelism } from 'node:os';
import { Tinypool } from 'tinypool';
import { UsageError } from '../errors.js';
import { errorOfFailure } from '../worker/task-failure.js';
import type {
  CustomTask,
  EncodedChunk,
  TransferredChunk,
  HaplotypeTask,
  ParseResult,
  ParseTask,
  RemapTask,
  StatsCounts,
  StatsTask,
  VcfTask,
  WorkerTask,
} from '../worker/messages.js';

/** The compiled worker entry, next to this module in the build output. */
const WORKER_ENTRY = new URL('../worker/entry.js', import.meta.url).href;

type ResultOf<T extends WorkerTask> = T extends ParseTask
  ? ParseResult
  : T extends HaplotypeTask
    ? EncodedChunk
    : T extends RemapTask
      ? number
      : T extends VcfTask
        ? TransferredChunk
        : T extends StatsTask
          ? StatsCounts
          : unknown;

/** Checks a `threads` option; the default is the usable core count. */
export function resolveThreads(threads: number | undefined): number {
  if (threads === undefined) return availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new UsageError(`--threads must be a whole number from 1 to 1024, got ${threads}`);
  }
  return threads;
}

/**
 * A fixed-size pool of worker threads running genomatrix kernels. The threads start with the first
 * task: a matrix opened from an .arrow file and only looked at (`site`, `column`, `info`) starts none.
 */
export class WorkerPool {
  readonly threads: number;
  private pool: Tinypool | undefined;
  private destroyed = false;

  constructor(threads?: number) {
    this.threads = resolveThreads(threads);
  }

  /** Runs one task on the next free worker. */
  run<T extends WorkerTask>(task: T, signal?: AbortSignal): Promise<ResultOf<T>> {
    if (this.destroyed) return Promise.reject(new Error('the worker pool is closed'));
    this.pool ??= new Tinypool({ filename: WORKER_ENTRY, minThreads: this.threads, maxThreads: this.threads });
    return this.pool.run(task, signal ? { signal } : {}) as Promise<ResultOf<T>>;
  }

  /** Runs a user's task module (see `Matrix.mapContigs`). */
  async runCustom(task: CustomTask, signal?: AbortSignal): Promise<unknown> {
    const result = await this.run(task, signal);
    const error = errorOfFailure(result);
    if (error) throw error;
    return result;
  }

  /** Stops every worker; pending tasks are rejected. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.pool?.destroy();
  }
}
