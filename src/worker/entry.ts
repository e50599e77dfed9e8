// Entry point of every worker thread of the pool: runs a task's kernel, found by name in the
// registry (kernels.ts). The task's SharedArrayBuffers arrive shared (worker_threads), so kernels
// read and write the main thread's memory. An encoding kernel's bytes then take the one output
// step every conversion shares (BGZF when asked for: bgzf-task.ts).

import { encodedOutput } from './bgzf-task.js';
import { kernels, type WorkerTask } from './kernels.js';
import type { EncodedChunk, TransferredChunk } from './messages.js';

export default async function runTask(task: WorkerTask): Promise<unknown> {
  const kernel = kernels[task.kind] as (task: WorkerTask) => unknown;
  const result = await kernel(task);
  if ('encodes' in task && task.encodes) return encodedOutput(task, result as EncodedChunk | TransferredChunk);
  return result;
}
