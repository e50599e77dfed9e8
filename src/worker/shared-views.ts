// One set of views for many small contigs. A loaded text matrix keeps each column as one region of
// rows (native-layout/README.md, "Alignment"), so the ranges of a task group that lie in the same
// regions are rows of the same columns, at one row distance from each other in every column. A
// kernel that reads its rows through `SharedRows` builds its typed arrays once per such run of
// ranges instead of once per range: for 20,000 contigs of 20 sites, 20,000 x 33 arrays fewer.

import { batchViews, type BatchLayout, type BatchViews } from '../layout/matrix-layout.js';

/** The rows of one range task inside views shared by a run of its group's tasks. */
export interface SharedRows {
  /** Views of the run's rows (the same object for every task of the run). */
  views: BatchViews;
  /** Row of `views` that is the task's row `from`. */
  row: number;
}

/** What a range task gives to be placed in shared views. */
interface RangeOfBatch {
  buffers: SharedArrayBuffer[];
  batch: BatchLayout;
  from: number;
  to: number;
}

/**
 * The shared rows of each task, for runs of two or more consecutive tasks whose every column lies in
 * the same buffer as the run's first task's, at the same row distance in every column (POS 4 bytes
 * a row, the others 1), at or after its rows; `undefined` for a task alone in its run, or whose
 * batch carries a packed file's checks (it is checked on its own first use, by `batchViews`).
 */
export function sharedRows(tasks: readonly (RangeOfBatch | object)[]): (SharedRows | undefined)[] {
  const shared: (SharedRows | undefined)[] = new Array<SharedRows | undefined>(tasks.length).fill(undefined);
  let first = 0;
  const distance = new Float64Array(tasks.length);
  const close = (end: number): void => {
    if (end - first < 2) return;
    const head = tasks[first] as RangeOfBatch;
    let to = 0;
    for (let k = first; k < end; k++) to = Math.max(to, (distance[k] as number) + (tasks[k] as RangeOfBatch).to);
    const views = batchViews(head, head.batch, head.from, to);
    for (let k = first; k < end; k++) shared[k] = { views, row: (distance[k] as number) + (tasks[k] as RangeOfBatch).from - head.from };
  };
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as RangeOfBatch;
    const rows = 'batch' in task && !task.batch.check ? rowDistance(tasks[first] as RangeOfBatch, task) : undefined;
    if (k > first && rows !== undefined) {
      distance[k] = rows;
      continue;
    }
    close(k);
    first = k;
    distance[k] = 0;
    if (!('batch' in task) || task.batch.check) first = k + 1;
  }
  close(tasks.length);
  return shared;
}

/** How many rows after `head`'s batch `task`'s batch starts in every column, or `undefined` when its columns are not so placed. */
function rowDistance(head: RangeOfBatch, task: RangeOfBatch): number | undefined {
  const a = head.batch;
  const b = task.batch;
  if (!('batch' in head) || a.check || a.haplotypes.length !== b.haplotypes.length) return undefined;
  const rows = b.ref.byteOffset - a.ref.byteOffset;
  if (head.buffers[a.ref.buffer] !== task.buffers[b.ref.buffer] || rows + task.from < head.from) return undefined;
  if (head.buffers[a.pos.buffer] !== task.buffers[b.pos.buffer] || b.pos.byteOffset - a.pos.byteOffset !== 4 * rows) return undefined;
  for (let h = 0; h < a.haplotypes.length; h++) {
    const x = a.haplotypes[h] as BatchLayout['ref'];
    const y = b.haplotypes[h] as BatchLayout['ref'];
    if (head.buffers[x.buffer] !== task.buffers[y.buffer] || y.byteOffset - x.byteOffset !== rows) return undefined;
  }
  return rows;
}
