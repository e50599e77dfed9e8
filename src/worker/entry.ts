// Entry point of every worker thread of the pool: runs a task's kernel, found by name in the
// registry (kernels.ts). The task's SharedArrayBuffers arrive shared (worker_threads), so kernels
// read and write the main thread's memory. An encoding kernel's bytes then take the one output
// step every conversion shares (BGZF when asked for: bgzf-task.ts). A group of range tasks
// (task-group.ts) runs each of its tasks the same way, in one message; a joined group goes to its
// kernel's joined form (kernels.ts `joinedKernels`) whole, or to its span form (`spanKernels`).

import { encodedOutput } from './bgzf-task.js';
import { joinedKernels, kernels, spanKernels, type KernelName, type WorkerTask } from './kernels.js';
import type { EncodedChunk, TransferredChunk } from './messages.js';
import type { SharedRows, SpanRows } from './shared-views.js';
import { restoreTasks, runTaskGroup, spanRows, type TaskGroup } from './task-group.js';

export default async function runTask(message: WorkerTask | TaskGroup): Promise<unknown> {
  if (message.kind === 'group' && message.joined) return runJoined(message);
  if (message.kind === 'group' && !message.single) return runTaskGroup(message, runKernel);
  // A single task whose batch's columns came as numbers (WorkerPool.run) runs as any other.
  const task = message.kind === 'group' ? (restoreTasks(message).tasks[0] as WorkerTask) : message;
  const result = await runKernel(task);
  if ('encodes' in task && task.encodes) return encodedOutput(task, result as EncodedChunk | TransferredChunk);
  return result;
}

/**
 * A joined group: its tasks to their kernel's joined form at once, one result (and its bytes) for
 * all; first, when the kernel has one, to its span form, with no task object per range (when the
 * group and the kernel allow it: task-group.ts `spanRows`).
 */
async function runJoined(group: TaskGroup): Promise<unknown> {
  const spanKernel = spanKernels[group.common.kind as KernelName] as ((rows: SpanRows<WorkerTask>) => unknown) | undefined;
  const rows = spanKernel && spanRows(group);
  const done = rows && spanKernel(rows);
  if (rows && done !== undefined) return encoded(rows.head, done);
  const { tasks, shared } = restoreTasks(group);
  const first = tasks[0] as WorkerTask;
  const kernel = joinedKernels[first.kind] as ((tasks: WorkerTask[], shared: readonly (SharedRows | undefined)[]) => unknown) | undefined;
  if (!kernel) throw new Error(`kernel ${first.kind} has no joined form`);
  return encoded(first, await kernel(tasks, shared));
}

/** A joined group's result, its bytes through the output step when its tasks encode. */
function encoded(first: WorkerTask, result: unknown): unknown {
  return 'encodes' in first && first.encodes ? encodedOutput(first, result as EncodedChunk | TransferredChunk) : result;
}

function runKernel(task: WorkerTask, rows?: SharedRows): unknown {
  return (kernels[task.kind] as (task: WorkerTask, rows?: SharedRows) => unknown)(task, rows);
}
