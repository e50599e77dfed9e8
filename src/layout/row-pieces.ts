// The rows of a record batch made of several whole contigs (`pack`'s groups of small contigs), as
// pieces of adjacent rows: a loaded text matrix's small contigs follow each other in the shared
// columns, so a group of hundreds is one piece per column to copy or hand to the writer. The same
// step serves the main thread's spans (convert/pack.ts) and the workers' kernel
// (worker/pack-batch.ts), whose bytes must be the same.

import { isSorted } from './matrix-column.js';

/** Rows `[start, start + rows)` of `source` (the columns a contig's rows are read from). */
export interface RowPiece<S> {
  source: S;
  start: number;
  rows: number;
}

/** Contigs added in batch order, merged into pieces where one starts where the last ended in the same source. */
export class RowPieces<S> {
  readonly pieces: RowPiece<S>[] = [];
  /** Rows of every contig added. */
  total = 0;
  /** Whether no contig's POS decreases (across contigs, POS may). */
  sorted = true;

  /** A contig of `rows` rows from row `start` of `source`, whose positions are `pos[start...]`. */
  add(source: S, pos: Int32Array, start: number, rows: number): void {
    if (this.sorted) this.sorted = isSorted(pos, start, start + rows);
    this.total += rows;
    const last = this.pieces[this.pieces.length - 1];
    if (last && last.source === source && last.start + last.rows === start) last.rows += rows;
    else this.pieces.push({ source, start, rows });
  }

  /**
   * Contigs `[first, first + count)` of a batch table's numbers (`row`: each one's first row,
   * `rows`: its rows), all of `source`, as `add` adds each: one loop with no call per contig (a
   * span of thousands of small contigs added a call each took the main thread 13 ms for 20,000
   * contigs, most of it before V8 had optimised the loop; profiles of `pack`).
   */
  addAll(source: S, pos: Int32Array, row: Float64Array, rows: Float64Array, first: number, count: number): void {
    let sorted = this.sorted;
    let total = this.total;
    let last = this.pieces[this.pieces.length - 1];
    for (let k = first; k < first + count; k++) {
      const start = row[k] as number;
      const n = rows[k] as number;
      for (let r = start + 1; sorted && r < start + n; r++) if ((pos[r] as number) < (pos[r - 1] as number)) sorted = false;
      total += n;
      if (last && last.source === source && last.start + last.rows === start) last.rows += n;
      else this.pieces.push((last = { source, start, rows: n }));
    }
    this.sorted = sorted;
    this.total = total;
  }
}
