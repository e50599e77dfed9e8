// Entry point of every worker thread of the pool: runs a task's kernel, found by name in the
// registry (kernels.ts). The task's SharedArrayBuffers arrive shared (worker_threads), so kernels
// read and write the main thread's memory. An encoding kernel's bytes then take the one output
// step every conversion shares (BGZF when asked for: bgzf-task.ts). A group of range tasks
// (task-group.ts) runs each of its tasks the same way, in one message.

import { encodedOutput } from './bgzf-task.js';
import { kernels, type WorkerTask } from './kernels.js';
import type { EncodedChunk, TransferredChunk } from './messages.js';
import { runTaskGroup, type TaskGroup } from './task-group.js';

export default async function runTask(task: WorkerTask | TaskGroup): Promise<unknown> {
  if (task.kind === 'group') return runTaskGroup(task, runKernel);
  const result = await runKernel(task);
  if ('encodes' in task && task.encodes) return encodedOutput(task, result as EncodedChunk | TransferredChunk);
  return result;
}

function runKernel(task: WorkerTask): unknown {
  return (kernels[task.kind] as (task: WorkerTask) => unknown)(task);
}
