// Typed messages between the main thread and the worker threads (worker/entry.ts).
// Only plain data and SharedArrayBuffers cross: the matrix itself is never copied.

import type { HaplotypePair } from '../convert/pairs.js';
import type { BatchLayout, MatrixLayout } from '../layout/matrix-layout.js';
import type { Contig } from '../matrix.js';

/** A byte range of a plain-text file; the worker reads it itself. It owns the lines that start in `[start, end)`. */
export interface FileRangeSource {
  type: 'file';
  path: string;
  start: number;
  end: number;
  /** Offset of the first data line (after any header line). */
  dataStart: number;
}

/** Complete lines already in shared memory (decompressed gzip), `bytes[0, length)`. */
export interface SharedBlockSource {
  type: 'block';
  bytes: SharedArrayBuffer;
  length: number;
}

/** Parse lines of text straight into the shared columns, rows `[rowStart, rowStart + rowCapacity)`. */
export interface ParseTask {
  kind: 'parse';
  source: FileRangeSource | SharedBlockSource;
  /** Fields a line must have: CHROM, POS, REF and one per haplotype. */
  fields: number;
  /** Column buffers: POS (Int32), REF, then one per haplotype (Uint8 codes). */
  columns: SharedArrayBuffer[];
  alleles: SharedArrayBuffer;
  rowStart: number;
  rowCapacity: number;
  allowUnsorted: boolean;
}

/** A maximal run of consecutive lines of one contig. */
export interface ContigRun {
  contig: string;
  rows: number;
  firstPos: number;
  lastPos: number;
}

/** What went wrong, relative to the chunk: `line` counts from 0 at the chunk's first line. */
export interface ParseProblem {
  line: number;
  column?: number;
  problem: string;
}

export interface ParseResult {
  rows: number;
  runs: ContigRun[];
  problem?: ParseProblem;
}

/** Encode rows `[from, to)` of one batch as haplotype-table lines. */
export interface HaplotypeTask {
  kind: 'haplotype';
  buffers: SharedArrayBuffer[];
  alleles: SharedArrayBuffer;
  batch: BatchLayout;
  contig: string;
  from: number;
  to: number;
  /** Haplotype column indices of each pair's two members, in member order. */
  pairs: [number, number][];
}

export interface EncodedChunk {
  bytes: Uint8Array;
  /** Data lines written (sites kept). */
  lines: number;
}

/** Rewrite allele codes through `map` in `columns[c][0, rows)` (dictionary canonicalisation). */
export interface RemapTask {
  kind: 'remap';
  columns: SharedArrayBuffer[];
  rows: number;
  map: Uint8Array;
}

/** Run the default export of a user's module over rows `[from, to)` of one contig. */
export interface CustomTask {
  kind: 'custom';
  module: string;
  args: unknown;
  /** The shared buffers; its `batches` holds only the one this task reads. */
  layout: MatrixLayout;
  contig: Contig;
  from: number;
  to: number;
  pairs: HaplotypePair[];
}

export type WorkerTask = ParseTask | HaplotypeTask | RemapTask | CustomTask;
