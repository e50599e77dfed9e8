// The haplotype table (MISSION.md): workers encode row ranges of each contig to bytes, and the
// main thread writes them in genome order as they complete.

import { runOrdered } from '../dispatch/run-ordered.js';
import type { WorkerPool } from '../dispatch/worker-pool.js';
import type { BatchLayout, BufferRef, MatrixLayout } from '../layout/matrix-layout.js';
import type { Matrix } from '../matrix.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { resolvePairs, type HaplotypePair } from './pairs.js';

/** Options of `haplotype`. */
export interface HaplotypeOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Rows per worker task. */
  chunkRows?: number;
  signal?: AbortSignal;
  /** Called on the main thread as output is written: sites done (of `totalSites`) and contigs done. */
  onProgress?: (progress: HaplotypeProgress) => void;
}

/** How far a haplotype run has come. */
export interface HaplotypeProgress {
  sites: number;
  totalSites: number;
  contigs: number;
  totalContigs: number;
}

/** What a haplotype run wrote. */
export interface HaplotypeSummary {
  /** Sites read. */
  sites: number;
  /** Data lines written (sites with at least one alt allele). */
  lines: number;
  pairs: HaplotypePair[];
}

const DEFAULT_CHUNK_ROWS = 1 << 16;

/** The header line: `contig pos ref alt`, then `<pair>_PI <pair>_PG_al` per pair. */
export function haplotypeHeader(pairs: readonly HaplotypePair[]): string {
  return ['contig', 'pos', 'ref', 'alt', ...pairs.flatMap((pair) => [`${pair.name}_PI`, `${pair.name}_PG_al`])].join('\t') + '\n';
}

/**
 * Writes the haplotype table of a loaded matrix to a file or standard output.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv');
 * const { lines } = await haplotype(matrix, { output: 'haplotypes.tsv' });
 * await matrix.close();
 */
export async function haplotype(matrix: Matrix, options: HaplotypeOptions = {}): Promise<HaplotypeSummary> {
  const pairs = resolvePairs(matrix.samples, options.pairs);
  const sink = await openOutput(options.output);
  try {
    const lines = await writeHaplotypes(matrix, pairs, sink, options);
    await sink.commit();
    return { sites: matrix.sites, lines, pairs };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

async function writeHaplotypes(matrix: Matrix, pairs: HaplotypePair[], sink: OutputSink, options: HaplotypeOptions): Promise<number> {
  await sink.write(Buffer.from(haplotypeHeader(pairs)));
  const progress = { sites: 0, totalSites: matrix.sites, contigs: 0, totalContigs: matrix.contigs.length };
  return writeLayoutHaplotypes(matrix.layout, matrix.pool, pairs, sink, options, (sites, contigEnd) => {
    progress.sites += sites;
    if (contigEnd) progress.contigs++;
    options.onProgress?.(progress);
  });
}

/**
 * Writes the haplotype lines of every batch of `layout` (no header) in genome order; `written`
 * hears of each chunk's sites and whether it ended a contig.
 */
export async function writeLayoutHaplotypes(
  layout: MatrixLayout,
  pool: WorkerPool,
  pairs: HaplotypePair[],
  sink: OutputSink,
  options: Pick<HaplotypeOptions, 'chunkRows' | 'signal'>,
  written?: (sites: number, contigEnd: boolean) => void,
): Promise<number> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const ranges = layout.batches.flatMap((batch) => {
    const out: { batch: typeof batch; from: number; to: number }[] = [];
    for (let from = 0; from < batch.rows; from += chunkRows) out.push({ batch, from, to: Math.min(batch.rows, from + chunkRows) });
    return out;
  });
  const columnPairs = pairs.map((pair) => pair.columns);
  let lines = 0;
  await runOrdered(
    ranges.length,
    2 * pool.threads,
    (i) => {
      const { batch, from, to } = ranges[i] as (typeof ranges)[number];
      const own = batchBuffers(layout, batch);
      return pool.run(
        {
          kind: 'haplotype',
          buffers: own.buffers,
          alleles: layout.alleles,
          batch: own.batch,
          contig: layout.contigs[batch.contig] ?? '',
          from,
          to,
          pairs: columnPairs,
        },
        options.signal,
      );
    },
    async (chunk, i) => {
      lines += chunk.lines;
      await sink.write(chunk.bytes);
      const { batch, from, to } = ranges[i] as (typeof ranges)[number];
      written?.(to - from, to === batch.rows);
    },
  );
  return lines;
}

/**
 * The buffers a task on `batch` needs, and the batch renumbered over them: a streamed contig's
 * layout holds many segments, and posting all of them with every task would cost a clone each.
 */
function batchBuffers(layout: MatrixLayout, batch: BatchLayout): { buffers: SharedArrayBuffer[]; batch: BatchLayout } {
  if (layout.buffers.length <= 2 + batch.haplotypes.length) return { buffers: layout.buffers, batch };
  const buffers: SharedArrayBuffer[] = [];
  const take = (ref: BufferRef): BufferRef => {
    buffers.push(layout.buffers[ref.buffer] as SharedArrayBuffer);
    return { buffer: buffers.length - 1, byteOffset: ref.byteOffset };
  };
  return { buffers, batch: { contig: batch.contig, rows: batch.rows, pos: take(batch.pos), ref: take(batch.ref), haplotypes: batch.haplotypes.map(take) } };
}
