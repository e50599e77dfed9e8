// Every conversion in low-memory mode (`--low-memory`): the matrix is streamed contig by contig
// (dispatch/contig-source.ts, `streamedSource`: a text matrix parsed in file order, a packed .arrow
// file read one record batch at a time, or standard input) and each contig is converted by the
// workers, through zero-copy views as in memory, before the next one takes its place. The
// conversions are the same descriptions the in-memory runs use, so the output is the same bytes.
// Peak memory: the largest contig's columns, plus a few parse chunks and output chunks.

import { streamedSource, type StreamedSourceOptions, type UnitTransform } from '../dispatch/contig-source.js';
import type { Conversion } from '../dispatch/conversion.js';
import { drive } from '../dispatch/drive.js';
import { WorkerPool } from '../dispatch/worker-pool.js';
import type { LoadProgress } from '../layout/types.js';
import type { WorkerTask } from '../worker/kernels.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { compressionOf, type Compression } from '../write/output-type.js';
import { haplotypeConversion, type HaplotypeOptions, type HaplotypeSummary } from './haplotype.js';
import type { MatrixStats } from './matrix-stats.js';
import { conversionPairs, resolvePairs } from './pairs.js';
import type { StatsOptions } from './stats.js';
import { statsConversion } from './stats-conversion.js';
import { vcfCompression, vcfConversion, type VcfOptions, type VcfSummary } from './vcf.js';
import { vcfHeaderPass } from './vcf-header-pass.js';
import { detectInput } from '../read/input-format.js';
import { STDIN, withMatrixInput } from '../read/open-matrix-input.js';
import type { ColumnStore } from '../read/column-store.js';
import { withStdinSpool } from '../read/stdin-spool.js';
import type { SelectionSpec } from '../select/regions.js';

/** Options every low-memory run takes: those of a text load, a selection (see `LoadOptions`) and progress. */
export interface LowMemoryOptions extends SelectionSpec {
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
  /** Bytes of input each parse task takes (default 8 MiB). */
  chunkBytes?: number;
  /** Called on the main thread after each parsed chunk, with the contigs written so far. */
  onProgress?: (progress: LoadProgress & { contigs: number }) => void;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
  /** Rows of one segment of a streamed contig (default 262,144; tests use small ones). */
  segmentRows?: number;
}

/** Options of `lowMemoryHaplotype`: those of a low-memory run and of `haplotype`. */
export interface LowMemoryHaplotypeOptions extends LowMemoryOptions, Omit<HaplotypeOptions, 'onProgress'> {}

/** Options of `lowMemoryVcf`. */
export interface LowMemoryVcfOptions extends LowMemoryOptions, Omit<VcfOptions, 'onProgress'> {}

/** Options of `lowMemoryStats`. */
export interface LowMemoryStatsOptions extends LowMemoryOptions, Omit<StatsOptions, 'onProgress'> {}

/**
 * Writes the haplotype table of a matrix file contig by contig, holding one contig in memory at
 * a time (the CLI's `--low-memory`). Each contig's rows must be together in the file.
 *
 * @example
 * const { lines } = await lowMemoryHaplotype('big.tsv.gz', { output: 'haplotypes.tsv' });
 */
export async function lowMemoryHaplotype(path: string, options: LowMemoryHaplotypeOptions = {}): Promise<HaplotypeSummary> {
  const conversion = haplotypeConversion((samples) => conversionPairs({ samples }, options.pairs, options.samples), options);
  await streamedRun(path, conversion, options.output, compressionOf(options.output, options, 'haplotype'), options);
  return { sites: conversion.sites, lines: conversion.lines, pairs: conversion.pairs };
}

/**
 * Writes a matrix file as VCF contig by contig (the CLI's `vcf --low-memory`). The header's
 * `##contig` and `##ALT` lines come from a first pass (vcf-header-pass.ts) that keeps nothing but
 * the contigs, their lengths and the alleles, so the output is written once, straight to its file
 * (with `fastaRef` or `fai`, the lengths are the index's). Standard input (`-`) is spooled to a
 * temporary file first (read/stdin-spool.ts). Each contig comes in one batch, as in memory (the
 * first pass gives the largest contig's rows, the size of the second pass's one segment), so a
 * task sees the whole contig and deletion runs are placed as in memory, with no copy.
 *
 * @example
 * await lowMemoryVcf('big.tsv.gz', { output: 'big.vcf.gz' });
 */
export async function lowMemoryVcf(path: string, options: LowMemoryVcfOptions = {}): Promise<VcfSummary> {
  const compression = vcfCompression(options);
  // Standard input is spooled to a file, so that the header pass and the records read it in turn.
  if (path === STDIN) return withStdinSpool(path, (spool) => lowMemoryVcf(spool, options));
  const input = detectInput(path);
  const pool = new WorkerPool(options.threads);
  try {
    // The records pass parses into the header pass's staging columns: no second set of them.
    const staging: ColumnStore[] = [];
    const header = await vcfHeaderPass(input, pool, { ...sourceOptions(options, () => undefined), staging });
    // The whole pair set: -s selects among the VCF's samples, pairs and haploid ones (vcfSamples).
    const conversion = vcfConversion(path, (samples) => resolvePairs(samples, options.pairs), header, options);
    const segmentRows = header.largestContigRows > 0 ? header.largestContigRows : options.segmentRows;
    await streamedRun(input.path, conversion, options.output, compression, { ...options, dictionary: header.dictionary, segmentRows, staging }, pool);
    return { sites: conversion.sites, records: conversion.records, pairs: conversion.pairs, haploid: conversion.haploid, starRuns: conversion.starRuns };
  } finally {
    await pool.destroy();
  }
}

/**
 * The statistics of a matrix file, counted contig by contig (the CLI's `stats --low-memory`);
 * written to `output` when given, as `stats` does.
 *
 * @example
 * const { genome } = await lowMemoryStats('big.tsv.gz');
 */
export async function lowMemoryStats(path: string, options: LowMemoryStatsOptions = {}): Promise<MatrixStats> {
  const format = options.output === undefined ? undefined : (options.format ?? 'tsv');
  const conversion = statsConversion((samples) => conversionPairs({ samples }, options.pairs, options.samples), { ...options, format });
  await streamedRun(path, conversion, options.output ?? false, compressionOf(options.output, options, 'stats'), options);
  return conversion.result();
}

/**
 * Runs a conversion over a streamed matrix file (or standard input, `-`): a pool of its own (unless
 * given), the output (`false`: none; undefined: standard output) opened first, progress as contigs
 * complete.
 */
export async function streamedRun<T extends WorkerTask>(
  path: string,
  conversion: Conversion<T>,
  output: string | undefined | false,
  compression: Compression,
  options: LowMemoryOptions & { dictionary?: SharedArrayBuffer; staging?: ColumnStore[]; transform?: UnitTransform },
  sharedPool?: WorkerPool,
): Promise<void> {
  await withMatrixInput(path, async (input) => {
    const pool = sharedPool ?? new WorkerPool(options.threads);
    let contigs = 0;
    let loaded: LoadProgress = { bytes: 0, totalBytes: input.size, sites: 0 };
    const report = (): void => options.onProgress?.({ ...loaded, contigs });
    let sink: OutputSink | undefined;
    try {
      sink = output === false ? undefined : await openOutput(output, { inputs: [path, options.header] });
    } catch (error) {
      if (!sharedPool) await pool.destroy();
      throw error;
    }
    const source = streamedSource(input, pool, sourceOptions(options, (progress) => {
      loaded = progress;
      report();
    }));
    await drive(source, conversion, {
      pool,
      ownsPool: !sharedPool,
      sink,
      ...compression,
      signal: options.signal,
      transform: options.transform,
      onRange: (_sites, ended) => {
        if (ended === 0) return;
        contigs += ended;
        report();
      },
    });
  });
}

/** The source options of a low-memory run. */
function sourceOptions(options: LowMemoryOptions & { dictionary?: SharedArrayBuffer; staging?: ColumnStore[] }, onProgress: (progress: LoadProgress) => void): StreamedSourceOptions {
  const { header, allowUnsorted, chunkBytes, onWarning, contigs, regions, regionsFile, signal, dictionary, segmentRows, staging } = options;
  return { header, allowUnsorted, chunkBytes, onWarning, contigs, regions, regionsFile, signal, dictionary, segmentRows, staging, onProgress };
}
