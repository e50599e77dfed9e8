// One set of views for many small contigs. A loaded text matrix keeps each column as one region of
// rows (native-layout/README.md, "Alignment"), and its batches share one set of column references,
// each from its own row: the ranges of a task group over one such set are rows of the same views. A
// kernel that reads its rows through `SharedRows` builds its typed arrays once per such run of
// ranges instead of once per range: for 20,000 contigs of 20 sites, 20,000 x 33 arrays fewer.

import type { BatchViews } from '../layout/matrix-layout.js';

/** The rows of one range task inside views shared by a run of its group's tasks. */
export interface SharedRows {
  /** Views of the run's rows (the same object for every task of the run). */
  views: BatchViews;
  /** Row of `views` that is the task's row `from`. */
  row: number;
}

/** Runs of tasks that share views: each task's run head (-1: alone) and its row in the views. */
export interface RowRuns {
  head: Int32Array;
  row: Float64Array;
}

/**
 * The runs of two or more consecutive eligible tasks over one set of columns, each from the first
 * row of the run's first task on. `ranges` holds `stride` numbers per task, as a task group's
 * message does (worker/task-group.ts): its column set (-1: none), contig, rows, first row of its
 * batch, `from` and `to`.
 */
export function rowRuns(ranges: Float64Array, stride: number, eligible: (k: number) => boolean): RowRuns {
  const count = ranges.length / stride;
  const head = new Int32Array(count).fill(-1);
  const row = new Float64Array(count);
  let first = -1;
  let set = -1;
  let start = 0;
  for (let k = 0; k < count; k++) {
    const at = stride * k;
    const from = (ranges[at + 3] as number) + (ranges[at + 4] as number);
    const ok = (ranges[at] as number) >= 0 && eligible(k);
    if (first >= 0 && ok && ranges[at] === set && from >= start) {
      if (k === first + 1) head[first] = first;
      head[k] = first;
      row[k] = from - start;
      continue;
    }
    first = ok ? k : -1;
    set = ranges[at] as number;
    start = from;
  }
  return { head, row };
}

/**
 * A joined group's tasks as the binding's line writers take them (native/binding.c
 * `haplotypeLines`, `statsLines`), made from the group's numbers (task-group.ts `spanRows`) with
 * no object per task: a span of 512 small contigs restored as 512 tasks, and those turned into
 * numbers again, cost a worker twice the binding's own time for their lines.
 */
export interface SpanRows<T = unknown> {
  /** The group's first task (what every task shares: the group has no task fields of its own). */
  head: T;
  /** Views of every task's rows. */
  views: BatchViews;
  /** Four numbers a task: its first row in `views`, its rows, its contig name's offset and length in `names`. */
  numbers: Float64Array;
  /** The tasks' contig names' UTF-8 bytes, one after the other. */
  names: Uint8Array;
}
