// The kernel of `Matrix.mapContigs`: a user's task module run over one range of one contig.

import { contigView, type ContigTask } from './contig-view.js';
import type { CustomTask } from './messages.js';
import { taskFailure } from './task-failure.js';

/** Runs a user's task; its exception comes back as a `TaskFailure` so its class name and properties survive. */
export async function runCustomTask(task: CustomTask): Promise<unknown> {
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
