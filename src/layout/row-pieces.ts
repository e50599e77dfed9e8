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
}
