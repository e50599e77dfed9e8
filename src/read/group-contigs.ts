// After a parallel parse every chunk holds its rows at the start of its own row region, in file
// order. This plans where each contig's rows go so that a contig becomes one row range (contigs in
// order of first appearance, each contig's rows in file order), and moves them there.

import { COLUMN_ALIGNMENT } from '../layout/matrix-layout.js';
import { allocateColumnStore, columnBytes, columnWidth, type ColumnStore } from './column-store.js';

/** Rows `[src, src + rows)` of the parse regions holding one run of `contig`. */
export interface PlacedRun {
  contig: string;
  src: number;
  rows: number;
}

/** A contig's final row range `[start, start + rows)` in the column buffers. */
export interface ContigPlacement {
  name: string;
  start: number;
  rows: number;
}

export interface RowMove {
  src: number;
  dest: number;
  rows: number;
}

export interface RowPlan {
  contigs: ContigPlacement[];
  /** In the order they must run when done in place. */
  moves: RowMove[];
  /** Rows the buffers need, alignment padding included. */
  extent: number;
  /** True when running `moves` in order inside the same buffers never overwrites rows not yet moved. */
  inPlace: boolean;
}

/**
 * Groups runs by contig. A contig of `COLUMN_ALIGNMENT` rows or more starts on a
 * `COLUMN_ALIGNMENT`-row boundary (its one-byte segments 64-byte aligned); a smaller one follows
 * the previous contig directly, so many small contigs neither pad the columns nor each cost a move
 * per column (native-layout/README.md, "Alignment").
 */
export function planContigs(runs: readonly PlacedRun[], capacity: number): RowPlan {
  const byContig = new Map<string, PlacedRun[]>();
  for (const run of runs) {
    if (run.rows === 0) continue;
    const list = byContig.get(run.contig);
    if (list) list.push(run);
    else byContig.set(run.contig, [run]);
  }
  const contigs: ContigPlacement[] = [];
  const moves: RowMove[] = [];
  let dest = 0;
  for (const [name, list] of byContig) {
    const rows = list.reduce((sum, run) => sum + run.rows, 0);
    if (rows >= COLUMN_ALIGNMENT) dest = Math.ceil(dest / COLUMN_ALIGNMENT) * COLUMN_ALIGNMENT;
    const start = dest;
    for (const run of list) {
      const previous = moves[moves.length - 1];
      if (previous && previous.src + previous.rows === run.src && previous.dest + previous.rows === dest) previous.rows += run.rows;
      else moves.push({ src: run.src, dest, rows: run.rows });
      dest += run.rows;
    }
    contigs.push({ name, start, rows: dest - start });
  }
  // In place is safe when no move writes over the source of a move that runs after it.
  let inPlace = dest <= capacity;
  let laterSrc = Infinity;
  for (let i = moves.length - 1; i >= 0 && inPlace; i--) {
    const move = moves[i] as RowMove;
    if (move.dest + move.rows > laterSrc) inPlace = false;
    laterSrc = Math.min(laterSrc, move.src);
  }
  return { contigs, moves, extent: dest, inPlace };
}

/**
 * Applies a plan to the columns of `store`. In place when the plan allows and `compact` is not
 * asked for; otherwise into a new store of `plan.extent` rows (few buffers, see column-store.ts).
 */
export function applyRowPlan(plan: RowPlan, store: ColumnStore, compact = false): ColumnStore {
  if (plan.inPlace && !compact) {
    store.columns.forEach((_, c) => {
      const column = columnBytes(store, c, 0, store.capacity);
      const width = columnWidth(c);
      for (const { src, dest, rows } of plan.moves) {
        if (src !== dest) column.copyWithin(dest * width, src * width, (src + rows) * width);
      }
    });
    return store;
  }
  const target = allocateColumnStore(store.columns.length, plan.extent);
  store.columns.forEach((_, c) => {
    const from = columnBytes(store, c, 0, store.capacity);
    const to = columnBytes(target, c, 0, target.capacity);
    const width = columnWidth(c);
    for (const { src, dest, rows } of plan.moves) to.set(from.subarray(src * width, (src + rows) * width), dest * width);
  });
  return target;
}
