// The pool of worker threads every parallel step runs on (tinypool, worker_threads runtime, so
// SharedArrayBuffers in a task are shared, never copied).

import { availableParallelism } from 'node:os';
import type { Tinypool } from 'tinypool';
import { UsageError } from '../errors.js';
import { checkFailure } from '../layout/batch-check.js';
import type { BatchLayout } from '../layout/matrix-layout.js';
import { errorOfFailure } from '../worker/task-failure.js';
import type { ResultOf, WorkerTask } from '../worker/kernels.js';
import { kernelThreads, takeEarlyThreads } from './pool-threads.js';
import { groupResult, taskGroup, type GroupReply, type GroupResult, type TaskGroup } from '../worker/task-group.js';

/**
 * Whether a destroyed pool stops its threads without waiting for them to end: set by the command
 * line, which ends the process at once when it is done (cli/cli.ts), ending every thread with it.
 */
let threadsEndWithProcess = false;

/** Pools destroyed from now on stop their threads without waiting for them (see `threadsEndWithProcess`). */
export function endThreadsWithProcess(): void {
  threadsEndWithProcess = true;
}

/** Runs of one task when tinypool stops its thread under it (see `WorkerPool.run`). */
const MAX_ATTEMPTS = 3;

/** The error tinypool rejects a task with when it stops the task's thread. */
function isThreadTermination(error: unknown): boolean {
  return error instanceof Error && error.message === 'Terminating worker thread';
}

/** Checks a `threads` option; the default is the usable core count. */
export function resolveThreads(threads: number | undefined): number {
  if (threads === undefined) return availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new UsageError(`--threads must be a whole number from 1 to 1024, got ${threads}`);
  }
  return threads;
}

/**
 * A pool of up to `threads` worker threads running genomatrix kernels. A thread starts when a task
 * finds every started one busy, and then stays: a small input whose work is one task at a time runs
 * on one thread (a thread's start costs about 0.1 s of CPU), and a matrix opened from an .arrow
 * file and only looked at (`site`, `column`, `info`) starts none. The command line's conversions
 * start their threads before the pool exists, and its first pool takes them (pool-threads.ts).
 */
export class WorkerPool {
  readonly threads: number;
  private pool: Tinypool | undefined;
  private destroyed = false;

  constructor(threads?: number) {
    this.threads = resolveThreads(threads);
  }

  /** Runs one task on the next free worker. */
  async run<T extends WorkerTask>(task: T, signal?: AbortSignal): Promise<ResultOf<T>> {
    // A range task's batch goes with its column references as one array of numbers (task-group.ts).
    const result = (await this.post('batch' in task ? taskGroup([task], 'single') : task, [task], signal)) as ResultOf<T>;
    // A user's task's exception comes back as a value (its class and properties survive): throw it here.
    if (task.kind === 'custom') {
      const error = errorOfFailure(result);
      if (error) throw checkFailure(task.layout.batches[0]) ?? error;
    }
    return result;
  }

  /**
   * Runs range tasks of one kernel one after the other on the next free worker, as one message
   * (worker/task-group.ts): each task's result, and encoding tasks' bytes one after the other.
   */
  async runGroup<T extends WorkerTask>(tasks: T[], signal?: AbortSignal): Promise<GroupResult<ResultOf<T>>> {
    return groupResult((await this.post(taskGroup(tasks), tasks, signal)) as GroupReply) as GroupResult<ResultOf<T>>;
  }

  /** Runs range tasks of one kernel together through its joined form (worker/kernels.ts `joinedKernels`): one result, as one task's. */
  async runJoined<T extends WorkerTask>(tasks: T[], signal?: AbortSignal): Promise<ResultOf<T>> {
    return (await this.post(taskGroup(tasks, 'joined'), tasks, signal)) as ResultOf<T>;
  }

  /** Runs a span's group message (task-group.ts `spanGroup`): as `runGroup`, or as `runJoined` for a joined one. */
  async runSpan(group: TaskGroup, signal?: AbortSignal): Promise<unknown> {
    const reply = await this.post(group, [], signal);
    return group.joined ? reply : groupResult(reply as GroupReply);
  }

  private async post(message: WorkerTask | TaskGroup, tasks: readonly WorkerTask[], signal: AbortSignal | undefined): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      if (this.destroyed) throw new Error('the worker pool is closed');
      this.pool ??= takeEarlyThreads(this.threads) ?? kernelThreads(this.threads);
      try {
        return await this.pool.run(message, signal ? { signal } : {});
      } catch (error) {
        // A batch whose checksums failed in the worker: its own error, rebuilt from shared memory.
        for (const task of tasks) {
          const damaged = checkFailure('batch' in task ? (task.batch as BatchLayout) : task.kind === 'custom' ? task.layout.batches[0] : undefined);
          if (damaged) throw damaged;
        }
        // When a cancelled task's thread is being stopped and a reply it had already sent arrives,
        // tinypool can hand that thread the next queued task, which then fails with this error
        // through no fault of its own (seen after a mapContigs run cancelled on a failure): run it
        // again on a live thread. Not when this task was cancelled or the pool is closing.
        if (!isThreadTermination(error) || signal?.aborted || this.destroyed || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Stops every worker; pending tasks are rejected. Waits for the threads to end, unless the process
   * ends them itself (`endThreadsWithProcess`): a thread's end frees its heap, 20-40 ms of a run.
   */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const stopped = this.pool?.destroy();
    if (threadsEndWithProcess) stopped?.catch(() => undefined);
    else await stopped;
  }
}
