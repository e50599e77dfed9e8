// The haplotype table (docs/specification.md, "The haplotype table"): workers encode row ranges of
// each contig to bytes (worker/haplotype-chunk.ts), and the driver writes them in genome order.
// This file is the table's description for the driver; `haplotype` and `haplotypeStream` run it
// over a loaded matrix, `lowMemoryHaplotype` over a streamed one.

import { Readable } from 'node:stream';
import { memorySource } from '../dispatch/contig-source.js';
import { DEFAULT_CHUNK_ROWS, rangeColumns, type Conversion, type RangeTask } from '../dispatch/conversion.js';
import { drive } from '../dispatch/drive.js';
import type { ContigUnit } from '../dispatch/contig-source.js';
import { alleleBytes } from '../layout/allele-bytes.js';
import { longestName } from '../layout/contig-names.js';
import type { Matrix } from '../matrix.js';
import { haplotypeRowBound } from '../worker/haplotype-chunk.js';
import type { HaplotypeTask } from '../worker/messages.js';
import { UsageError } from '../errors.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { compressionOf, type OutputTypeOptions } from '../write/output-type.js';
import type { SampleSelection } from '../select/samples.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { progressOf, type ConversionProgress, type ProgressOptions } from './conversion-progress.js';

/** Options of `haplotype`. */
export interface HaplotypeOptions extends OutputTypeOptions, ProgressOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: `matrix.pairs` (given at load, packed with the matrix, or automatic `<stem>a`/`<stem>b` pairs). */
  pairs?: string | readonly (readonly [string, string])[];
  /** Only these pairs' columns (`-s`: `"[^]NAME,..."`, see src/select/samples.ts); alt still sees every haplotype. */
  samples?: string | SampleSelection;
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Rows per worker task. */
  chunkRows?: number;
  /** `table` (default): the seed table; `phase-extender`: the file phase-extender reads (docs/vcf.md). */
  format?: HaplotypeFormat;
  /** Aborts the run; a file output is then not created (an existing one is left untouched). */
  signal?: AbortSignal;
}

/** How far a haplotype run has come (every conversion's `ConversionProgress`). */
export type HaplotypeProgress = ConversionProgress;

/** What a haplotype run wrote. */
export interface HaplotypeSummary {
  /** Sites read. */
  sites: number;
  /** Data lines written (sites with at least one alt allele). */
  lines: number;
  pairs: HaplotypePair[];
}

/**
 * Default size of one output slot: rows per task are as many as fit one, by a bound several times
 * a line's usual bytes (a row's every allele an alt). 8 MiB: 32,768 rows a task on the seed shape,
 * where 2 MiB made 8,192, whose posts and replies took the run 1.1x its time (paired runs);
 * the peak memory is the load's either way.
 */
export const SLOT_BYTES = 8 << 20;

/** The forms of the haplotype table. */
export const HaplotypeFormat = { table: 'table', phaseExtender: 'phase-extender' } as const;
export type HaplotypeFormat = (typeof HaplotypeFormat)[keyof typeof HaplotypeFormat];

/**
 * The header line: `contig pos ref alt`, then `<pair>_PI <pair>_PG_al` per pair; in the
 * phase-extender form `CHROM POS REF all-alleles`, then `<pair>:PI <pair>:PG_al`.
 */
export function haplotypeHeader(pairs: readonly HaplotypePair[], format: HaplotypeFormat = HaplotypeFormat.table): string {
  if (!Object.values(HaplotypeFormat).includes(format)) throw new UsageError(`--format: expected table or phase-extender, got '${format}'`);
  const [fixed, separator] = format === HaplotypeFormat.phaseExtender ? [['CHROM', 'POS', 'REF', 'all-alleles'], ':'] : [['contig', 'pos', 'ref', 'alt'], '_'];
  return [...fixed, ...pairs.flatMap((pair) => [`${pair.name}${separator}PI`, `${pair.name}${separator}PG_al`])].join('\t') + '\n';
}

/** The haplotype table's description for the driver, with the lines it wrote so far. */
export interface HaplotypeConversion extends Conversion<HaplotypeTask> {
  lines: number;
  sites: number;
  pairs: HaplotypePair[];
}

/** Describes the haplotype table for the driver; `pairsOf` gives the pairs once the samples are known (from the first contig). */
export function haplotypeConversion(pairsOf: (samples: readonly string[]) => HaplotypePair[], options: Pick<HaplotypeOptions, 'chunkRows' | 'format'>): HaplotypeConversion {
  const format = options.format ?? HaplotypeFormat.table;
  haplotypeHeader([], format); // a bad format fails here, before any output is opened
  let columnPairs = new Int32Array(0);
  const rowBoundOf = (unit: ContigUnit, nameBytes = Buffer.byteLength(unit.contig.name)): number => {
    // The longest allele's bytes, from the dictionary's tables (made once per dictionary and size, not per contig).
    const maxAllele = alleleBytes(unit.layout.alleles).maxLength;
    return haplotypeRowBound(nameBytes, maxAllele, unit.layout.samples.length, columnPairs.length >> 1);
  };
  /** As many rows as fit an output slot for a contig name of `nameBytes`, at most `chunkRows`, rounded down to a power of two. */
  const rowsFitting = (unit: ContigUnit, nameBytes?: number): number => floorPowerOfTwo(Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, Math.floor(SLOT_BYTES / rowBoundOf(unit, nameBytes)))));
  /** `chunkRows` by contig name bytes and longest allele (a streamed dictionary grows), worked out once each. */
  const chunkRowsBy = new Map<number, number>();
  const conversion: HaplotypeConversion = {
    lines: 0,
    sites: 0,
    pairs: [],
    begin(first) {
      conversion.pairs = pairsOf(first?.layout.samples ?? []);
      columnPairs = Int32Array.from(conversion.pairs.flatMap((pair) => pair.columns));
      return Buffer.from(haplotypeHeader(conversion.pairs, format));
    },
    // As many rows as fit an output slot, at most `chunkRows`, rounded down to a power of two so
    // that a streamed contig's segments cut it into the same ranges as in memory.
    chunkRows: (unit) => {
      const key = Buffer.byteLength(unit.contig.name) * 2048 + alleleBytes(unit.layout.alleles).maxLength;
      let rows = chunkRowsBy.get(key);
      if (rows === undefined) chunkRowsBy.set(key, (rows = rowsFitting(unit)));
      return rows;
    },
    // Spans of a loaded matrix's small contigs: rows as for its longest contig name, so that each
    // contig of a span is one range (as alone) and every task of it fits one slot; as many
    // contigs as those rows hold (the binding writes a span's lines at a cost per row), so that a
    // span is as much work as a range of a large contig. Full as groups of ranges are (2,048
    // contigs of 4 sites, 8,192 rows), 100,000 contigs were 49 spans, each a post, a reply and a
    // write: 25 took 0.985x the time (0.975x the CPU time; 12 pairs), and 20,000 contigs of 20
    // sites 0.990x.
    spans: (first) => {
      const nameBytes = longestName(first.layout);
      const rows = rowsFitting(first, nameBytes);
      // Joined: the span's lines go into the slot one contig after the other (they fit it, as its rows do).
      return { rows, contigs: rows, slotBytes: SLOT_BYTES, joined: true };
    },
    collectSpan(results, span) {
      for (const result of results) conversion.lines += result.lines;
      conversion.sites += span.rows;
    },
    slotBytes: (range: RangeTask) => Math.max(SLOT_BYTES, rowBoundOf(range.unit) * (range.to - range.from)),
    task: (range) => ({ kind: 'haplotype', encodes: true, ...rangeColumns(range), pairs: columnPairs, format }),
    collect(result, range) {
      conversion.lines += result.lines;
      conversion.sites += range.to - range.from;
    },
  };
  return conversion;
}

/** The largest power of two at most `n` (n >= 1). */
function floorPowerOfTwo(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/**
 * Writes the haplotype table of a loaded matrix to a file (or to standard output when `output` is
 * not given) and resolves when it is complete. `haplotypeStream` gives the same bytes as a stream.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv');
 * const { lines } = await haplotype(matrix, { output: 'haplotypes.tsv' });
 * await matrix.close();
 */
export async function haplotype(matrix: Matrix, options: HaplotypeOptions = {}): Promise<HaplotypeSummary> {
  const pairs = conversionPairs(matrix, options.pairs, options.samples);
  const conversion = haplotypeConversion(() => pairs, options);
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, ...compressionOf(options.output, options, 'haplotype'), signal: options.signal, onRange: progressOf(matrix, options) });
  return { sites: matrix.sites, lines: conversion.lines, pairs };
}

/**
 * The haplotype table of a loaded matrix as a Node.js `Readable` of bytes (header line first).
 * Rows are computed as the stream is read, a few chunks ahead: a slow reader holds back the
 * workers instead of filling memory. `signal` or `stream.destroy()` stops the run.
 *
 * @example
 * import { pipeline } from 'node:stream/promises';
 * import { createGzip } from 'node:zlib';
 * await pipeline(haplotypeStream(matrix), createGzip(), createWriteStream('haplotypes.tsv.gz'));
 */
export function haplotypeStream(matrix: Matrix, options: Omit<HaplotypeOptions, 'output' | 'outputType'> = {}): Readable {
  const pairs = conversionPairs(matrix, options.pairs, options.samples);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let more: (() => void) | undefined;
  const readable = new Readable({
    read() {
      more?.();
      more = undefined;
    },
    destroy(error, callback) {
      stop.abort(error ?? new Error('stream destroyed'));
      more?.();
      callback(error);
    },
  });
  const sink: OutputSink = {
    async write(bytes) {
      signal.throwIfAborted();
      // A stream keeps what it is given, and output slots are reused: hand it a copy.
      if (!readable.push(Buffer.from(bytes))) await new Promise<void>((resolve) => (more = resolve));
    },
    async commit() {
      readable.push(null);
    },
    async abort() {},
  };
  const conversion = haplotypeConversion(() => pairs, options);
  drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, signal, onRange: progressOf(matrix, options) }).catch((error: unknown) => {
    if (!readable.destroyed) readable.destroy(error as Error);
  });
  return readable;
}
