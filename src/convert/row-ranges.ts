// Row ranges handed to workers: each contig's batch cut into ranges of at most `chunkRows` rows.
// The cut depends only on the layout and `chunkRows`, never on the thread count, so outputs
// assembled range by range are the same bytes whatever the number of threads.

import { UsageError } from '../errors.js';
import type { BatchLayout, MatrixLayout } from '../layout/matrix-layout.js';

/** Rows `[from, to)` of one batch. */
export interface RowRange {
  batch: BatchLayout;
  from: number;
  to: number;
}

/** Rows per worker task unless a caller asks otherwise. */
export const DEFAULT_CHUNK_ROWS = 1 << 16;

/** The row ranges of every batch, in genome order. */
export function rowRanges(layout: MatrixLayout, chunkRows = DEFAULT_CHUNK_ROWS): RowRange[] {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UsageError(`chunkRows must be a positive integer, got ${chunkRows}`);
  return layout.batches.flatMap((batch) => {
    const ranges: RowRange[] = [];
    for (let from = 0; from < batch.rows; from += chunkRows) ranges.push({ batch, from, to: Math.min(batch.rows, from + chunkRows) });
    return ranges;
  });
}
