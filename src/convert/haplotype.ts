// The haplotype table (MISSION.md): workers encode row ranges of each contig to bytes, and the
// main thread writes them in genome order as they complete.

import { Readable } from 'node:stream';
import type { Matrix } from '../matrix.js';
import { haplotypeRowBound } from '../worker/haplotype-chunk.js';
import type { HaplotypeTask } from '../worker/messages.js';
import { openOutput } from '../write/output-sink.js';
import { encodedChunks, SLOT_BYTES } from '../write/write-encoded.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { DEFAULT_CHUNK_ROWS, rowRanges } from './row-ranges.js';

/** Options of `haplotype`. */
export interface HaplotypeOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: `matrix.pairs` (automatic `<stem>a`/`<stem>b` pairs unless given at load). */
  pairs?: string | readonly (readonly [string, string])[];
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Rows per worker task. */
  chunkRows?: number;
  /** Aborts the run; a file output is then not created (an existing one is left untouched). */
  signal?: AbortSignal;
  /** Called as rows are written, with the sites done and the total. */
  onProgress?: (done: number, total: number) => void;
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
  const sink = await openOutput(options.output);
  try {
    let lines = 0;
    for await (const chunk of haplotypeChunks(matrix, pairs, options)) {
      lines += chunk.lines;
      await sink.write(chunk.bytes);
    }
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
      // A stream keeps what it is given, and slots are reused: hand it a copy.
      for await (const chunk of haplotypeChunks(matrix, pairs, options)) yield Buffer.from(chunk.bytes);
    })(),
    { objectMode: false },
  );
}

/** The header, then each row range's encoded lines, in genome order (views valid until the next chunk). */
async function* haplotypeChunks(matrix: Matrix, pairs: HaplotypePair[], options: HaplotypeOptions): AsyncGenerator<{ bytes: Uint8Array; lines: number }> {
  options.signal?.throwIfAborted();
  yield { bytes: Buffer.from(haplotypeHeader(pairs)), lines: 0 };
  const { layout } = matrix;
  // Rows per task: as many as fit an output slot, at most `chunkRows`.
  const maxAllele = Math.max(...matrix.alleles.map((allele) => Buffer.byteLength(allele)));
  const maxContig = Math.max(...layout.contigs.map((name) => Buffer.byteLength(name)));
  const rowBound = haplotypeRowBound(maxContig, maxAllele, matrix.samples.length, pairs.length);
  const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, Math.floor(SLOT_BYTES / rowBound)));
  const ranges = rowRanges(layout, chunkRows);
  const columnPairs = pairs.map((pair) => pair.columns);
  let done = 0;
  const chunks = encodedChunks(ranges.length, 2 * matrix.threads, Math.max(SLOT_BYTES, rowBound * chunkRows), (i, output) => {
    const { batch, from, to } = ranges[i] as (typeof ranges)[number];
    const task: HaplotypeTask = {
      kind: 'haplotype',
      buffers: layout.buffers,
      alleles: layout.alleles,
      batch,
      contig: layout.contigs[batch.contig] ?? '',
      from,
      to,
      pairs: columnPairs,
      output,
    };
    return matrix.pool.run(task, options.signal);
  });
  for await (const chunk of chunks) {
    yield chunk;
    const range = ranges[chunk.index] as (typeof ranges)[number];
    options.onProgress?.((done += range.to - range.from), matrix.sites);
  }
}
