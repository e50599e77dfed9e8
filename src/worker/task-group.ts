// A group of range tasks run as one message: the driver (dispatch/drive.ts) puts the ranges of
// small contigs together, so that 20,000 contigs of 20 sites cost a few dozen posts, replies and
// output writes instead of 20,000 of each. Each task of the group runs exactly as it would alone,
// its encoded bytes (BGZF blocks of its own, when asked for) copied out in order, so the output is
// the same bytes as one task per range.

import { encodedBytes, handBack } from './bgzf-task.js';
import { sharedRows, type SharedRows } from './shared-views.js';
import type { BatchLayout, BufferRef } from '../layout/matrix-layout.js';
import type { WorkerTask } from './kernels.js';
import type { EncodedChunk, EncodingTask, TransferredChunk } from './messages.js';

/** Range tasks of one kernel, run one after the other by one worker. */
export interface TaskGroup {
  kind: 'group';
  /** The tasks, each batch's columns left out (`columns` holds them). */
  tasks: WorkerTask[];
  /**
   * The column references of the tasks' batches, in task order, as numbers: per batch the number
   * of haplotypes, then buffer and byte offset of POS, REF and each haplotype. A batch of 31
   * haplotypes is 33 objects to clone, and a group of 4,000 small contigs cost more to post and
   * to receive than to run; as one array of numbers it costs a copy.
   */
  columns: Float64Array;
  /** One task sent this way only for its columns: it runs, and its result comes back, as alone. */
  single?: true;
}

/**
 * The group message of `tasks` (their batches' columns as numbers, see `TaskGroup.columns`); with
 * `single`, the message of one task, whose columns travel the same way (a batch of 2,000 haplotypes
 * would be 2,000 objects to clone).
 */
export function taskGroup(tasks: readonly WorkerTask[], single = false): TaskGroup {
  let total = 0;
  for (const task of tasks) if ('batch' in task) total += 5 + 2 * task.batch.haplotypes.length;
  const columns = new Float64Array(total);
  let at = 0;
  const put = (ref: BufferRef): void => {
    columns[at++] = ref.buffer;
    columns[at++] = ref.byteOffset;
  };
  const sent = tasks.map((task) => {
    if (!('batch' in task)) return task;
    const { batch } = task;
    columns[at++] = batch.haplotypes.length;
    put(batch.pos);
    put(batch.ref);
    batch.haplotypes.forEach(put);
    const bare: BatchLayout = { contig: batch.contig, rows: batch.rows, pos: NO_COLUMN, ref: NO_COLUMN, haplotypes: [] };
    if (batch.check) bare.check = batch.check;
    return { ...task, batch: bare };
  });
  const group: TaskGroup = { kind: 'group', tasks: sent, columns };
  if (single) group.single = true;
  return group;
}

const NO_COLUMN: BufferRef = { buffer: -1, byteOffset: 0 };

/** Puts the column references of `group.columns` back into its tasks' batches (in the worker); returns the tasks. */
export function restoreColumns(group: TaskGroup): WorkerTask[] {
  const { columns } = group;
  let at = 0;
  const take = (): BufferRef => ({ buffer: columns[at++] as number, byteOffset: columns[at++] as number });
  for (const task of group.tasks) {
    if (!('batch' in task)) continue;
    const { batch } = task;
    const haplotypes = new Array<BufferRef>(columns[at++] as number);
    batch.pos = take();
    batch.ref = take();
    for (let h = 0; h < haplotypes.length; h++) haplotypes[h] = take();
    batch.haplotypes = haplotypes;
  }
  return group.tasks;
}

/** What a group gives back: each task's result in order; for encoding tasks, their bytes one after the other. */
export interface GroupResult<R = unknown> {
  results: R[];
  /** The encoded bytes of every task, in order (encoding tasks only, when they did not fit the tasks' output slot). */
  bytes?: Uint8Array;
  /** Else the length of those bytes, at the start of the slot. */
  length?: number;
}

/** An encoding task's result in a group: its lines and warnings, its bytes gone into the group's. */
type GroupedChunk = Omit<TransferredChunk, 'bytes'> & { length: number };

/**
 * Runs each task of `group` through `run` (its kernel), gathering encoded bytes. Tasks whose rows
 * lie in the same column regions get shared views (worker/shared-views.ts), which a kernel may read
 * instead of making its own.
 */
export async function runTaskGroup(group: TaskGroup, run: (task: WorkerTask, rows?: SharedRows) => unknown): Promise<GroupResult> {
  const tasks = restoreColumns(group);
  const shared = sharedRows(tasks);
  const results: unknown[] = [];
  let out = new Uint8Array(0);
  let length = 0;
  let encodes = false;
  for (const [k, task] of tasks.entries()) {
    let result = run(task, shared[k]);
    if (result instanceof Promise) result = await result;
    if (!('encodes' in task && task.encodes)) {
      results.push(result);
      continue;
    }
    encodes = true;
    // Copied at once: a slot or a kernel's scratch is reused by the next task.
    const bytes = encodedBytes(task, result as EncodedChunk | TransferredChunk);
    if (length + bytes.length > out.length) {
      const grown = new Uint8Array(Math.max(2 * out.length, length + bytes.length, 1 << 16));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(bytes, length);
    length += bytes.length;
    const { lines, starRuns } = result as TransferredChunk;
    const grouped: GroupedChunk = { length: bytes.length, lines };
    if (starRuns !== undefined) grouped.starRuns = starRuns;
    results.push(grouped);
  }
  if (!encodes) return { results };
  // The tasks share one slot: it is free again now, for the group's bytes when they fit.
  return handBack((group.tasks[0] as EncodingTask).output, out.subarray(0, length), { results }, true);
}
