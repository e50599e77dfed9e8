// The in-memory layout of a loaded matrix, as posted to worker threads. It is plain data
// (SharedArrayBuffers, numbers, strings) so structured clone shares the buffers instead of
// copying them. native-layout/README.md specifies it for readers in other languages.

import { ensureChecked, type BatchCheck } from './batch-check.js';

/** Version of the layout described in native-layout/README.md. */
export const LAYOUT_VERSION = 2;

/** Longest contig or sample name accepted, in bytes (a bound on every line genomatrix writes). */
export const MAX_NAME_BYTES = 1024;

/** Alignment, in bytes, of every column buffer's start. */
export const COLUMN_ALIGNMENT = 64;

/** Where one column starts: a buffer of `MatrixLayout.buffers` and a byte offset in it (of row 0: a batch's rows start at its `row`). */
export interface BufferRef {
  buffer: number;
  byteOffset: number;
}

/**
 * A batch is the rows of one contig, held as one segment per column: `POS` (Int32, 4 bytes a row),
 * `REF` and each haplotype (Uint8 allele codes, 1 byte a row). The segments start at row `row` of
 * the columns `pos`, `ref` and `haplotypes` point at: the batches of a loaded text matrix share
 * those references (one object each for the whole matrix, however many contigs).
 */
export interface BatchLayout {
  /** Index into `MatrixLayout.contigs`. */
  contig: number;
  rows: number;
  /** Row of the columns where this batch's rows start (absent: 0). */
  row?: number;
  pos: BufferRef;
  ref: BufferRef;
  haplotypes: BufferRef[];
  /** A packed file's checksums of this batch, checked on first use (layout/batch-check.ts). */
  check?: BatchCheck;
}

/** Everything a worker needs to rebuild zero-copy views of the matrix. */
export interface MatrixLayout {
  version: typeof LAYOUT_VERSION;
  buffers: SharedArrayBuffer[];
  /** The allele dictionary buffer (see layout/allele-dictionary.ts). */
  alleles: SharedArrayBuffer;
  samples: string[];
  contigs: string[];
  /**
   * One batch per contig, in contig order; a region selection (src/select) may cut a contig into
   * several consecutive batches, one per row range.
   */
  batches: BatchLayout[];
  /** Largest POS of each contig (by index in `contigs`) before a region selection cut it; 0 or absent: not cut. */
  contigLengths?: number[];
}

/** Raw typed-array views of one batch, rows `[from, to)`. */
export interface BatchViews {
  pos: Int32Array;
  ref: Uint8Array;
  haplotypes: Uint8Array[];
}

/** Zero-copy typed arrays over rows `[from, to)` of a batch (checked first, when it carries a check). */
export function batchViews(layout: Pick<MatrixLayout, 'buffers'>, batch: BatchLayout, from = 0, to = batch.rows): BatchViews {
  const pos = batchPositions(layout, batch, from, to);
  const rows = to - from;
  const first = (batch.row ?? 0) + from;
  const bytes = (ref: BufferRef): Uint8Array => new Uint8Array(bufferOf(layout, ref), ref.byteOffset + first, rows);
  // Pushed one by one: always an array of one elements kind. `map` made some arrays of another
  // (by the path V8 took), and a kernel met with both deoptimised and was compiled again.
  const haplotypes: Uint8Array[] = [];
  for (const ref of batch.haplotypes) haplotypes.push(bytes(ref));
  return { pos, ref: bytes(batch.ref), haplotypes };
}

/** The POS view of rows `[from, to)` of a batch, checked as `batchViews` checks it, without the other columns' views. */
export function batchPositions(layout: Pick<MatrixLayout, 'buffers'>, batch: BatchLayout, from = 0, to = batch.rows): Int32Array {
  if (batch.check) ensureChecked(layout.buffers, batch);
  return new Int32Array(bufferOf(layout, batch.pos), batch.pos.byteOffset + 4 * ((batch.row ?? 0) + from), to - from);
}

function bufferOf(layout: Pick<MatrixLayout, 'buffers'>, ref: BufferRef): SharedArrayBuffer {
  const buffer = layout.buffers[ref.buffer];
  if (!buffer) throw new Error(`layout has no buffer ${ref.buffer}`);
  return buffer;
}

/** Rounds `n` up to a multiple of `COLUMN_ALIGNMENT`. */
export function alignUp(n: number): number {
  return Math.ceil(n / COLUMN_ALIGNMENT) * COLUMN_ALIGNMENT;
}

/**
 * The distance between one-byte columns of `n` bytes laid side by side in one buffer: `n` (at
 * least 1) rounded up to an odd multiple of `COLUMN_ALIGNMENT`. The parse writes row r of every
 * column at once, and the kernels read it so: with columns a multiple of 4 KiB apart (a
 * power-of-two row count, or 1 in 64 of the multiples of 64), all of them fall into one set of the
 * CPU's 8-way L1 cache and evict each other at every row. The native parse of 32 such columns ran
 * 6.5x slower (29 ms against 193 ms for 64 MB), 2.5x at 2 KiB apart. An odd multiple of 64 bytes
 * puts 64 columns side by side in 64 different sets (docs/internals.md, "Columns a cache set apart").
 */
export function staggerUp(n: number): number {
  const aligned = alignUp(Math.max(1, n));
  return aligned % (2 * COLUMN_ALIGNMENT) === 0 ? aligned + COLUMN_ALIGNMENT : aligned;
}
