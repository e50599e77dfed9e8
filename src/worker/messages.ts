// Typed messages between the main thread and the worker threads (worker/entry.ts).
// Only plain data and SharedArrayBuffers cross: the matrix itself is never copied. Which kernel
// takes which task is the registry's business (kernels.ts): no union of tasks is kept here.

import type { BatchLayout, MatrixLayout } from '../layout/matrix-layout.js';
import type { Contig, HaplotypePair } from '../layout/types.js';
import type { FastaContig } from './fasta-bases.js';

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

/** A group of BGZF blocks `[start, end)` of a file (`size` bytes), inflated by the worker that parses it (read/bgzf-index.ts). */
export interface BgzfRangeSource {
  type: 'bgzf';
  path: string;
  start: number;
  end: number;
  size: number;
  /** Start of the last non-empty block before this group, or -1 for the first group. */
  before: number;
  /** Header lines before the data (first group only). */
  headerLines: number;
}

/** Parse lines of text straight into the shared columns, rows `[rowStart, rowStart + rowCapacity)`. */
export interface ParseTask {
  kind: 'parse';
  source: FileRangeSource | SharedBlockSource | BgzfRangeSource;
  /** Fields a line must have: CHROM, POS, REF and one per haplotype. */
  fields: number;
  /** Column buffers: POS (Int32), REF, then one per haplotype (Uint8 codes); or, with `columnRefs`, the buffers these point into. */
  columns: SharedArrayBuffer[];
  /**
   * Where each column's row 0 is (POS, REF, haplotypes), when columns share buffers: buffer and
   * byte offset of column c at `[2c]` and `[2c + 1]` (numbers, not an object per column: a matrix
   * of 100,000 columns posted 100,000 objects with every parse task).
   */
  columnRefs?: Float64Array;
  alleles: SharedArrayBuffer;
  rowStart: number;
  rowCapacity: number;
  allowUnsorted: boolean;
  /**
   * With a selection: the contigs whose lines become rows. The other contigs' lines are skipped:
   * no POS is read and no row written, but their cells are checked and their alleles enter the
   * dictionary, so the alleles (and the VCF's ALT codes) are those of the whole matrix.
   */
  contigs?: string[];
}

/** A maximal run of consecutive lines of one contig. */
export interface ContigRun {
  contig: string;
  rows: number;
  firstPos: number;
  lastPos: number;
  /** Lines of a contig outside `ParseTask.contigs`, skipped (the run then has no rows). */
  skipped?: number;
}

/**
 * A chunk's contig runs in file order, as the parse hands them back: `RUN_NUMBERS` numbers per
 * run (rows, first POS, last POS, lines skipped or -1, the name's hash: layout/name-hash.ts, and
 * where its name is in `names`: first character and length), and the names in one string, a tab
 * after each but the last (a name holds no tab: it is a field of a tab-separated line, and the
 * parse refuses control bytes in CHROM). Not an object or a string per run: a chunk of a matrix
 * of 100,000 small contigs holds thousands of runs, whose names, made one by one in the parse and
 * read one by one from the message, cost a worker more than its lines; `runNames` makes them
 * strings at once. The binding's loop keeps runs this way itself (native/binding.c
 * `parse_lines`). Every number fits 32 bits: POS is at most 2^31 - 1, and a chunk's rows, lines
 * and name bytes are far fewer than its bytes.
 */
export interface ContigRuns {
  names: string;
  numbers: Int32Array;
}

/** Numbers per run in `ContigRuns.numbers`. */
export const RUN_NUMBERS = 7;

/** The number of runs in `runs`. */
export function runCount(runs: ContigRuns): number {
  return runs.numbers.length / RUN_NUMBERS;
}

/** The contig names in a `ContigRuns.names`, in order: one split, each name a string of its own (a name is never empty). */
export function runNames(names: string): string[] {
  return names === '' ? [] : names.split('\t');
}

/** The contig name of run `k`. */
export function runName(runs: ContigRuns, k: number): string {
  const at = RUN_NUMBERS * k + 5;
  const start = runs.numbers[at] as number;
  return runs.names.slice(start, start + (runs.numbers[at + 1] as number));
}

/** Run `k` of `runs` as an object (for a message or an error: the loops over runs read the numbers). */
export function contigRunAt(runs: ContigRuns, k: number): ContigRun {
  const at = RUN_NUMBERS * k;
  const { numbers } = runs;
  const run: ContigRun = { contig: runName(runs, k), rows: numbers[at] as number, firstPos: numbers[at + 1] as number, lastPos: numbers[at + 2] as number };
  const skipped = numbers[at + 3] as number;
  if (skipped >= 0) run.skipped = skipped;
  return run;
}

/** What went wrong, relative to the chunk: `line` counts from 0 at the chunk's first line. */
export interface ParseProblem {
  line: number;
  column?: number;
  problem: string;
}

export interface ParseResult {
  rows: number;
  /** Lines read: the rows and the skipped lines. */
  lines: number;
  runs: ContigRuns;
  problem?: ParseProblem;
  /** The chunk's compressed bytes are damaged (a BGZF block that does not inflate): what, and at which byte. */
  damaged?: string;
}

/**
 * What every encoding task (one that turns rows into output bytes) carries: the driver sets it,
 * and the worker entry compresses the kernel's bytes when `bgzf` is set (worker/bgzf-task.ts).
 */
export interface EncodingTask {
  encodes?: true;
  /** Compress the encoded bytes as BGZF blocks. */
  bgzf?: boolean;
  /** Their deflate level, 0-9 (default `DEFAULT_BGZF_LEVEL`). */
  level?: number;
  /**
   * An output slot lent by the main thread (shared memory, from its first byte: dispatch/drive.ts
   * `lendSlot`): kernels that write into one do; the bytes handed back go there when they fit
   * (worker/bgzf-task.ts `handBack`).
   */
  output?: Uint8Array;
}

/** Compress `bytes` as BGZF blocks (a header or a trailer, in a worker). */
export interface BgzfTask {
  kind: 'bgzf';
  bytes: Uint8Array;
  /** The deflate level, 0-9 (default `DEFAULT_BGZF_LEVEL`). */
  level?: number;
}

/**
 * The columns a task on one row range gets (dispatch/conversion.ts `rangeColumns`): the buffers of
 * its batch only, the batch renumbered over them, the contig's name and the rows `[from, to)`.
 */
export interface RangeColumns {
  buffers: SharedArrayBuffer[];
  alleles: SharedArrayBuffer;
  batch: BatchLayout;
  /** The contig's name. */
  contig: string;
  from: number;
  to: number;
}

/** Encode rows `[from, to)` of one batch as haplotype-table lines. */
export interface HaplotypeTask extends EncodingTask, RangeColumns {
  kind: 'haplotype';
  /**
   * Haplotype column indices of each pair's two members, in member order, flat (`a0 b0 a1 b1 ...`):
   * one typed array to copy into a task message, not an array per pair (thousands of pairs).
   */
  pairs: Int32Array;
  // `output` (EncodingTask): where to write the encoded lines, a slot lent by the main thread,
  // large enough for any row range of this size.
  /** `table` (default): the seed table; `phase-extender`: the form phase-extender reads. */
  format?: 'table' | 'phase-extender';
}

/** Encoded bytes handed back in memory of their own (VCF, whose BGZF size is not bounded in advance: worker/bgzf-task.ts `sharedCopy`). */
export interface TransferredChunk {
  bytes: Uint8Array;
  /** Data lines written (sites kept). */
  lines: number;
  /** VCF: deletion runs written in the star form because their anchor base is unknown. */
  starRuns?: number;
  /** What the kernel hands back beside its bytes (`stats`: the range's counts). */
  data?: unknown;
}

/** What an encoding task wrote into its output slot. */
export interface EncodedChunk {
  /** Bytes written at the start of the slot. */
  length: number;
  /** Data lines written (sites kept). */
  lines: number;
  /** VCF: as in `TransferredChunk`. */
  starRuns?: number;
  /** As in `TransferredChunk`. */
  data?: unknown;
}

/**
 * Place some columns' parsed rows (read/group-contigs.ts `placeRows`): each column's moves, in
 * order, from its source to its target (the same place: moved in place), then its allele codes
 * rewritten through `map` (dictionary canonicalisation) over the target's `extent` rows.
 */
export interface PlaceTask {
  kind: 'place';
  buffers: SharedArrayBuffer[];
  /**
   * Per column: target buffer, byte offset and bytes per row, then the source buffer and byte
   * offset in each segment (3 + 2 x segments numbers a column).
   */
  columns: Float64Array;
  /** Rows of each segment's columns (read/column-store.ts `Segment`). */
  segmentRows: Float64Array;
  /** Four numbers per move: segment, source row in it, target row, rows. */
  moves: Float64Array;
  /** Rows of each target column. */
  targetRows: number;
  /** Rows of the target holding data. */
  extent: number;
  map?: Uint8Array;
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

/**
 * Encode the VCF records rows `[from, to)` of one batch own (see convert/vcf-alleles.ts for the
 * allele tables, worker/vcf-records.ts for deletions); the task may read every row of the batch.
 */
export interface VcfTask extends EncodingTask, RangeColumns {
  kind: 'vcf';
  /** Haplotype columns written to the VCF, in matrix column order. */
  columns: number[];
  /** Each sample's members as indices into `columns`: two for a pair (member order), one for a haploid sample. */
  samples: number[][];
  /** `indel`: deletions as anchored indels; `star`: one `*` allele per deleted base. */
  deletions: 'indel' | 'star';
  /** The reference sequence of this contig, for anchors in POS gaps. */
  fasta?: FastaContig;
  /** Matrix allele code -> index into `altTexts`, or -1 when the allele is written as missing. */
  altOf: Int16Array;
  /** The distinct VCF ALT strings (`*`, base strings, `<ID>` symbolic alleles). */
  altTexts: string[];
  /** Matrix allele code -> the REF string written when a site's REF has that code. */
  refTexts: string[];
}

/** Count rows `[from, to)` of one batch for the statistics (see convert/stats.ts). */
export interface StatsTask extends EncodingTask, RangeColumns {
  kind: 'stats';
  pairs: [number, number][];
  /** With the TSV table written (an encoding task): the names its lines carry. */
  table?: StatsNames;
  /** The rows are the whole contig: the task writes its lines of the table (else none). */
  whole?: boolean;
}

/** The names the lines of the statistics table carry (convert/stats-table.ts), with what counts them. */
export interface StatsNames {
  haplotypes: readonly string[];
  /** In the order listed, each with its allele code. */
  alleles: readonly { allele: string; code: number }[];
  pairs: readonly string[];
  missingCode: number;
  deletionCode: number;
  /** Codes of the dictionary. */
  stride: number;
}

/** Counts of one row range; summed over ranges on the main thread. */
export interface StatsCounts {
  sites: number;
  /** Sites with a non-empty alt (the haplotype-table rule). */
  variableSites: number;
  /** Sites with two or more alt alleles. */
  multiallelicSites: number;
  /** Cells per haplotype and allele code: `cells[h * stride + code]`. */
  cells: Float64Array;
  /** Codes counted per haplotype: one more than the largest code of the counted rows. */
  stride: number;
  /** Per pair: sites where both members are called (not `N`, not `-`). */
  pairCalled: Float64Array;
  /** Per pair: called sites where the two members differ. */
  pairHet: Float64Array;
}
