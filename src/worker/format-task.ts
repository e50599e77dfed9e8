// The kernel of every output format of src/formats: the worker imports the format's own kernel
// module (named by its URL in the task) on first use and runs it over the range, so a new format
// adds no line to the kernel registry (kernels.ts) and no code to a worker's start-up.

import type { EncodingTask, RangeColumns, TransferredChunk } from './messages.js';

/** Encode rows `[from, to)` of one batch with the format kernel at `kernel` (a module URL). */
export interface FormatTask extends EncodingTask, RangeColumns {
  kind: 'format';
  kernel: string;
}

/** What a format kernel module exports as its default: a range's rows -> text bytes and lines written. */
export type FormatKernel = (task: FormatTask) => TransferredChunk;

/** Runs a format task through its kernel module. */
export async function runFormatTask(task: FormatTask): Promise<TransferredChunk> {
  const module = (await import(task.kernel)) as { default?: FormatKernel };
  if (typeof module.default !== 'function') throw new TypeError(`format kernel ${task.kernel} has no default export function`);
  return module.default(task);
}
