// The haplotype table (MISSION.md): workers encode row ranges of each contig to bytes, and the
// main thread writes them in genome order as they complete.

import { Readable } from 'node:stream';
import type { WorkerPool } from '../dispatch/worker-pool.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import type { BatchLayout, BufferRef, MatrixLayout } from '../layout/matrix-layout.js';
import type { Matrix } from '../matrix.js';
import { haplotypeRowBound } from '../worker/haplotype-chunk.js';
import type { HaplotypeTask } from '../worker/messages.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { encodedChunks, SLOT_BYTES } from '../write/write-encoded.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { DEFAULT_CHUNK_ROWS, rowRanges } from './row-ranges.js';

/** Options of `haplotype`. */
export interface HaplotypeOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: `matrix.pairs` (given at load, packed with the matrix, or automatic `<stem>a`/`<stem>b` pairs). */
  pairs?: string | readonly (readonly [string, string])[];
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Rows per worker task. */
  chunkRows?: number;
  /** Aborts the run; a file output is then not created (an existing one is left untouched). */
  signal?: AbortSignal;
  /** Called on the main thread as rows are written: sites done, the total, and the details (contigs done). */
  onProgress?: (done: number, total: number, progress: HaplotypeProgress) => void;
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

/** The header line: `contig pos ref alt`, then `<pair>_PI <pair>_PG_al` per pair. */
export function haplotypeHeader(pairs: readonly HaplotypePair[]): string {
  return ['contig', 'pos', 'ref', 'alt', ...pairs.flatMap((pair) => [`${pair.name}_PI`, `${pair.name}_PG_al`])].join('\t') + '\n';
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
  const pairs = conversionPairs(matrix, options.pairs);
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  try {
    await sink.write(Buffer.from(haplotypeHeader(pairs)));
    const lines = await writeLayoutHaplotypes(matrix.layout, matrix.pool, pairs, sink, options, progressOf(matrix, options));
    await sink.commit();
    return { sites: matrix.sites, lines, pairs };
  } catch (error) {
    await sink.abort();
    throw error;
  }
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
export function haplotypeStream(matrix: Matrix, options: Omit<HaplotypeOptions, 'output'> = {}): Readable {
  const pairs = conversionPairs(matrix, options.pairs);
  return Readable.from(
    (async function* bytes() {
      options.signal?.throwIfAborted();
      yield Buffer.from(haplotypeHeader(pairs));
      // A stream keeps what it is given, and output slots are reused: hand it a copy.
      for await (const chunk of haplotypeChunks(matrix.layout, matrix.pool, pairs, options, progressOf(matrix, options))) {
        yield Buffer.from(chunk.bytes);
      }
    })(),
    { objectMode: false },
  );
}

/**
 * Writes the haplotype lines of every batch of `layout` (no header) in genome order; `written`
 * hears of each chunk's sites and whether it ended a contig. Returns the lines written.
 */
export async function writeLayoutHaplotypes(
  layout: MatrixLayout,
  pool: WorkerPool,
  pairs: readonly HaplotypePair[],
  sink: OutputSink,
  options: Pick<HaplotypeOptions, 'chunkRows' | 'signal'>,
  written?: (sites: number, contigEnd: boolean) => void,
): Promise<number> {
  let lines = 0;
  for await (const chunk of haplotypeChunks(layout, pool, pairs, options, written)) {
    lines += chunk.lines;
    await sink.write(chunk.bytes);
  }
  return lines;
}

/** Each row range's encoded lines, in genome order (a view, valid until the next chunk is asked for). */
async function* haplotypeChunks(
  layout: MatrixLayout,
  pool: WorkerPool,
  pairs: readonly HaplotypePair[],
  options: Pick<HaplotypeOptions, 'chunkRows' | 'signal'>,
  written?: (sites: number, contigEnd: boolean) => void,
): AsyncGenerator<{ bytes: Uint8Array; lines: number }> {
  options.signal?.throwIfAborted();
  // Rows per task: as many as fit an output slot, at most `chunkRows`.
  const alleles = AlleleDictionary.attach(layout.alleles).toStrings();
  const maxAllele = alleles.reduce((most, allele) => Math.max(most, Buffer.byteLength(allele)), 0);
  const maxContig = layout.contigs.reduce((most, name) => Math.max(most, Buffer.byteLength(name)), 0);
  const rowBound = haplotypeRowBound(maxContig, maxAllele, layout.samples.length, pairs.length);
  const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, Math.floor(SLOT_BYTES / rowBound)));
  const ranges = rowRanges(layout, chunkRows);
  const columnPairs = pairs.map((pair) => pair.columns);
  const chunks = encodedChunks(ranges.length, 2 * pool.threads, Math.max(SLOT_BYTES, rowBound * chunkRows), (i, output) => {
    const { batch, from, to } = ranges[i] as (typeof ranges)[number];
    const own = batchBuffers(layout, batch);
    const task: HaplotypeTask = {
      kind: 'haplotype',
      buffers: own.buffers,
      alleles: layout.alleles,
      batch: own.batch,
      contig: layout.contigs[batch.contig] ?? '',
      from,
      to,
      pairs: columnPairs,
      output,
    };
    return pool.run(task, options.signal);
  });
  for await (const chunk of chunks) {
    yield chunk;
    const { batch, from, to } = ranges[chunk.index] as (typeof ranges)[number];
    written?.(to - from, to === batch.rows);
  }
}

/** Turns chunk reports into the `onProgress` calls of a run over a loaded matrix. */
function progressOf(matrix: Matrix, options: HaplotypeOptions): ((sites: number, contigEnd: boolean) => void) | undefined {
  const { onProgress } = options;
  if (!onProgress) return undefined;
  const progress: HaplotypeProgress = { sites: 0, totalSites: matrix.sites, contigs: 0, totalContigs: matrix.contigs.length };
  return (sites, contigEnd) => {
    progress.sites += sites;
    if (contigEnd) progress.contigs++;
    onProgress(progress.sites, progress.totalSites, progress);
  };
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
