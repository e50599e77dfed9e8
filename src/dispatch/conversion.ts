// What a conversion tells the driver (dispatch/drive.ts): the worker task of a row range, what to
// do with each range's result in genome order, and the bytes that come before and after. A
// conversion is this description plus its kernel (worker/kernels.ts); docs/architecture.md shows
// how to add one.

import type { BatchLayout, BufferRef, MatrixLayout } from '../layout/matrix-layout.js';
import type { ResultOf, WorkerTask } from '../worker/kernels.js';
import type { RangeColumns } from '../worker/messages.js';
import type { ContigUnit } from './contig-source.js';

/** Rows `[from, to)` of one batch of a contig unit: one worker task. */
export interface RangeTask {
  unit: ContigUnit;
  batch: BatchLayout;
  from: number;
  to: number;
  /** Row of `from` within the whole contig (a streamed contig is held in several batches). */
  contigFrom: number;
  /** True for the contig's last range. */
  last: boolean;
}

/**
 * Consecutive small contigs of a loaded matrix, one batch each, over one column set: run as one
 * group task made straight from the layout's numbers, with no unit, range or task object per
 * contig (the main thread's share of 20,000 contigs of 20 sites is then that of a few dozen
 * groups). The driver makes spans for a conversion with `spans` and `collectSpan`.
 */
export interface ContigSpan {
  /** The unit of its first contig (the span's tasks are `task` of its range, each with its own contig's range). */
  unit: ContigUnit;
  layout: MatrixLayout;
  /** Its batches, `[first, first + count)` of `layout.batches`, one contig each. */
  first: number;
  count: number;
  /** Rows of them all. */
  rows: number;
}

/** How a conversion takes spans (`Conversion.spans`). */
export interface SpanLimits {
  /** Most rows of a span, and of each of its contigs: a larger contig goes as a unit. */
  rows: number;
  /**
   * Most contigs of a span, for a kernel whose work goes with a span's rows, not its contigs (the
   * binding's haplotype lines): its spans then fill up to `rows`. Without it a span is full when a
   * group of ranges would be (dispatch/drive.ts `groupFull`), which bounds what the kernel holds
   * per contig.
   */
  contigs?: number;
  /** Bytes of a span's output slot (a kernel that writes into a lent slot), else the driver's own size. */
  slotBytes?: number;
  /**
   * Most bytes a contig of a span writes, for a kernel whose output is per contig (the statistics'
   * lines): a span's slot holds that many for each of its contigs (with `slotBytes` at least).
   */
  contigBytes?: number;
  /** A task field that holds its contig's index in `MatrixLayout.contigs` (`pack`'s contig code). */
  contigField?: string;
  /**
   * A span runs through its kernel's joined form (worker/kernels.ts `joinedKernels`), one result
   * for all its contigs, unless the output is BGZF (whose blocks are then each contig's own, as
   * alone). A conversion with `collectJoined` always runs joined.
   */
  joined?: boolean;
}

/** Rows per range task unless a conversion asks otherwise. */
export const DEFAULT_CHUNK_ROWS = 1 << 16;

/** A conversion, as the driver runs it. Every member is optional. */
export interface Conversion<T extends WorkerTask = WorkerTask> {
  /**
   * Rows per range task. Ranges are cut at multiples of it from each contig's first row (and at the
   * batch ends of a streamed contig), never by the thread count, so outputs are the same bytes in
   * every mode and with any number of threads; a power of two keeps streamed contigs' ranges the same.
   */
  chunkRows?: number | ((unit: ContigUnit) => number);
  /**
   * One range per worker task: the driver never puts the ranges of small contigs into one group
   * (a user's module, whose failures come back as each task's result).
   */
  ungrouped?: boolean;
  /** Bytes of the output slot a range's task writes into (kernels that write into a lent slot). */
  slotBytes?: (range: RangeTask) => number;
  /** Called before any task, with the first contig (none when the source is empty): the bytes written first. */
  begin?(first: ContigUnit | undefined): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** The worker task of one range; a conversion without one works per contig in `contigDone`. */
  task?(range: RangeTask): T;
  /** One range's result, in genome order; an encoding task's bytes are written by the driver. */
  collect?(result: ResultOf<T>, range: RangeTask): void;
  /**
   * With this member, a group of two or more small contigs' ranges (the driver's groups: one range
   * each, whole contigs) runs as one joined task through its kernel's joined form
   * (worker/kernels.ts `joinedKernels`), whose one result comes here, in genome order, with the
   * group's ranges (`pack` writes such a group as one record batch). A range alone still goes to
   * `collect`.
   */
  collectJoined?(result: ResultOf<T>, ranges: readonly RangeTask[]): void;
  /**
   * A contig's ranges are all collected; its layout is still valid. Bytes it returns are written
   * then (after the bytes of its ranges: for a conversion whose tasks write none, as `stats`, in
   * contig order).
   */
  contigDone?(unit: ContigUnit): Promise<Uint8Array | undefined | void> | Uint8Array | undefined | void;
  /**
   * Whether this contig gets no worker task: the conversion does it whole in `contigDone`, on the
   * main thread, once the tasks before it are consumed (their bytes written), so that it may write
   * to the output itself (`pack` writes a large contig's columns straight from the shared buffers).
   */
  inContigDone?(unit: ContigUnit): boolean;
  /**
   * Whether, and how, the driver runs small contigs of a loaded matrix as spans (`ContigSpan`);
   * called once, after `begin`, with the first contig. A conversion takes spans only when a span's
   * tasks are `task` of its first range with each contig's own range (and `contigField`), and its
   * `contigDone` writes nothing for a small contig: `collectSpan` then stands for `collect`,
   * `collectJoined` and `contigDone` of every contig in it.
   */
  spans?(first: ContigUnit): SpanLimits | undefined;
  /** A span's results, in genome order: one per contig, or one for all (a conversion with `collectJoined`). */
  collectSpan?(results: readonly ResultOf<T>[], span: ContigSpan): void;
  /**
   * With this member, a span gets no worker task: the conversion does it whole here, on the main
   * thread, once the tasks before it are consumed (their bytes written), as `inContigDone` does
   * for a contig (`pack` writes a span's record batch straight from the shared buffers).
   */
  spanDone?(span: ContigSpan): Promise<void> | void;
  /** After the last contig: the bytes written last, whole or in pieces (a large table). */
  end?(): Promise<Uint8Array | undefined> | Uint8Array | Iterable<Uint8Array> | undefined;
}

export type { RangeColumns } from '../worker/messages.js';

/**
 * The columns of a range's task. A streamed contig's layout holds many segments, and posting all
 * of them with every task would cost a clone each: only the batch's own buffers go.
 */
export function rangeColumns(range: RangeTask): RangeColumns {
  const { layout } = range.unit;
  const { batch, from, to } = range;
  const contig = range.unit.contig.name;
  if (layout.buffers.length <= 2 + batch.haplotypes.length) return { buffers: layout.buffers, alleles: layout.alleles, batch, contig, from, to };
  const buffers: SharedArrayBuffer[] = [];
  const take = (ref: BufferRef): BufferRef => {
    buffers.push(layout.buffers[ref.buffer] as SharedArrayBuffer);
    return { buffer: buffers.length - 1, byteOffset: ref.byteOffset };
  };
  const own: BatchLayout = { contig: batch.contig, rows: batch.rows, pos: take(batch.pos), ref: take(batch.ref), haplotypes: batch.haplotypes.map(take) };
  if (batch.row) own.row = batch.row;
  // A packed batch's checksum check goes along: the worker that first reads the batch makes it.
  if (batch.check) own.check = batch.check;
  return { buffers, alleles: layout.alleles, batch: own, contig, from, to };
}
