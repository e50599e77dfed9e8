// The region selection applied to a layout, without copying: each batch of a selected contig is
// cut to the rows whose POS lies in the contig's intervals. A row range is found by two binary
// searches on POS, and becomes a batch of its own whose column references start at its first row;
// a contig with several disjoint ranges is several consecutive batches of that contig. A whole
// contig (`CHR`, `--contigs`) is kept as it is, its POS never read. A cut contig's POS is read once
// to learn whether it is sorted (the layout does not record it: --allow-unsorted and contigs in
// several runs may leave it unsorted) and its largest POS; unsorted, its rows are found by a scan.
//
// Many small ranges (a BED file of exons) would make many tiny batches, and every consumer pays a
// task per batch: there the selected rows of the contig are gathered instead into one new batch
// (a copy of the selected rows only), so the work follows the selected bytes, not the region count.

import { missingContigs, noContigs } from '../layout/select-contigs.js';
import { batchViews, staggerUp, type BatchLayout, type BufferRef, type MatrixLayout } from '../layout/matrix-layout.js';
import { sharedBuffer } from '../native.js';
import { wholeContig, type Interval, type RegionSet } from './regions.js';

/** Rows `[from, to)` of one batch. */
export interface RowSpan {
  from: number;
  to: number;
}

/**
 * The rows of `positions` whose POS lies in `intervals` (sorted, disjoint), as maximal spans in
 * row order. Sorted positions: two binary searches per interval, O(k log n); otherwise one scan.
 */
export function rowSpans(positions: Int32Array, intervals: readonly Interval[], sorted = positionSummary(positions).sorted): RowSpan[] {
  const spans: RowSpan[] = [];
  if (sorted) {
    for (const { from, to } of intervals) {
      const start = lowerBound(positions, from);
      const end = lowerBound(positions, to + 1);
      if (end > start) spans.push({ from: start, to: end });
    }
    return spans;
  }
  let open = -1;
  for (let r = 0; r <= positions.length; r++) {
    const inside = r < positions.length && contains(intervals, positions[r] as number);
    if (inside && open < 0) open = r;
    else if (!inside && open >= 0) {
      spans.push({ from: open, to: r });
      open = -1;
    }
  }
  return spans;
}

/** Rows `[from, to)` of a batch as a batch of its own, over the same columns. */
export function sliceBatch(batch: BatchLayout, from: number, to: number): BatchLayout {
  if (from === 0 && to === batch.rows) return batch;
  return { contig: batch.contig, rows: to - from, row: (batch.row ?? 0) + from, pos: batch.pos, ref: batch.ref, haplotypes: batch.haplotypes };
}

/** Ranges of a cut contig shorter than this on average are gathered into one batch (see the top of this file). */
export const GATHER_BELOW_ROWS = 1 << 14;

/** What `selectRegions` checks. */
export interface SelectRegionsOptions {
  /** Throw a usage error naming the contigs of `regions` the layout lacks (default true). */
  requireContigs?: boolean;
  /** Gather a cut contig's ranges when they are shorter than this on average (default `GATHER_BELOW_ROWS`; 0: never). */
  gatherBelowRows?: number | undefined;
}

/**
 * The layout holding only the rows of `regions`: the batches of unselected contigs left out, the
 * others cut (see the top of this file), in the layout's own order; a contig without a row in its
 * regions is left out. `contigLengths` keeps each cut contig's largest POS before the cut (for the
 * VCF header). Nothing is copied: the buffers are the same.
 */
export function selectRegions(path: string, layout: MatrixLayout, regions: RegionSet, options: SelectRegionsOptions = {}): MatrixLayout {
  if (regions.intervals.size === 0) throw noContigs(path);
  if (options.requireContigs ?? true) {
    const present = new Set(layout.batches.map((batch) => layout.contigs[batch.contig] ?? ''));
    const missing = [...regions.intervals.keys()].filter((name) => !present.has(name));
    if (missing.length > 0) throw missingContigs(path, missing, [...present]);
  }
  const contigLengths = layout.contigLengths ? [...layout.contigLengths] : layout.contigs.map(() => 0);
  const buffers = [...layout.buffers];
  const batches: BatchLayout[] = [];
  for (const batch of layout.batches) {
    const intervals = regions.intervals.get(layout.contigs[batch.contig] ?? '');
    if (!intervals) continue;
    if (wholeContig(intervals)) {
      batches.push(batch);
      continue;
    }
    const { pos } = batchViews(layout, batch);
    const { sorted, max } = positionSummary(pos);
    if (!layout.contigLengths?.[batch.contig]) contigLengths[batch.contig] = Math.max(contigLengths[batch.contig] ?? 0, max);
    const spans = rowSpans(pos, intervals, sorted);
    const rows = spans.reduce((sum, span) => sum + span.to - span.from, 0);
    if (spans.length > 1 && rows < (options.gatherBelowRows ?? GATHER_BELOW_ROWS) * spans.length) {
      const gathered = gatherRows(layout, batch, spans, rows);
      buffers.push(gathered.buffer);
      batches.push(gathered.batch(buffers.length - 1));
    } else for (const span of spans) batches.push(sliceBatch(batch, span.from, span.to));
  }
  return { ...layout, buffers, batches, contigLengths };
}

/**
 * The rows of `spans` of a batch copied, in order, into one new SharedArrayBuffer (POS, REF and each
 * haplotype at 64-byte aligned offsets, staggered as a loaded matrix keeps them: `staggerUp`), and
 * the batch over it.
 */
export function gatherRows(layout: Pick<MatrixLayout, 'buffers'>, batch: BatchLayout, spans: readonly RowSpan[], rows: number) {
  const views = batchViews(layout, batch);
  const columns = [views.pos, views.ref, ...views.haplotypes];
  const offsets: number[] = [];
  let bytes = 0;
  for (const column of columns) {
    offsets.push(bytes);
    bytes += staggerUp(column.BYTES_PER_ELEMENT * rows);
  }
  const buffer = sharedBuffer(Math.max(bytes, 8));
  columns.forEach((column, c) => {
    const target = column instanceof Int32Array ? new Int32Array(buffer, offsets[c], rows) : new Uint8Array(buffer, offsets[c], rows);
    let at = 0;
    for (const { from, to } of spans) {
      // A short span is copied row by row: a subarray and a set() per span cost more than its rows.
      if (to - from < 64) for (let r = from; r < to; r++) target[at++] = column[r] as number;
      else {
        target.set(column.subarray(from, to), at);
        at += to - from;
      }
    }
  });
  const ref = (index: number, c: number): BufferRef => ({ buffer: index, byteOffset: offsets[c] as number });
  return {
    buffer,
    batch: (index: number): BatchLayout => ({ contig: batch.contig, rows, pos: ref(index, 0), ref: ref(index, 1), haplotypes: batch.haplotypes.map((_, h) => ref(index, 2 + h)) }),
  };
}

/** Index of the first position `>= value` in sorted `positions`. */
function lowerBound(positions: Int32Array, value: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((positions[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when `pos` lies in one of the sorted, disjoint `intervals` (binary search). */
function contains(intervals: readonly Interval[], pos: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((intervals[mid] as Interval).to < pos) lo = mid + 1;
    else hi = mid;
  }
  const found = intervals[lo];
  return found !== undefined && found.from <= pos;
}

/** Whether the positions never decrease, and the largest, in one pass. */
export function positionSummary(positions: Int32Array): { sorted: boolean; max: number } {
  let sorted = true;
  let max = positions.length > 0 ? (positions[0] as number) : 0;
  for (let r = 1; r < positions.length; r++) {
    const p = positions[r] as number;
    if (p < max) sorted = false;
    else max = p;
  }
  return { sorted, max };
}
