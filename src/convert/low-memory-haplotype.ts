// The haplotype table in low-memory mode: contigs are streamed from the input one at a time
// (read/stream-contigs.ts; a packed .arrow input is read one record batch, a contig, at a time)
// and each is converted by the workers, through zero-copy views as in memory, before the next one
// takes its place. Peak memory: the largest contig's columns, plus a few parse chunks and output
// chunks.

import { freemem } from 'node:os';
import { WorkerPool } from '../dispatch/worker-pool.js';
import { detectInput, InputFormat, type InputFile } from '../read/input-format.js';
import type { LoadProgress } from '../read/load-text.js';
import { contigLayouts } from '../read/contig-by-contig.js';
import { openOutput } from '../write/output-sink.js';
import { haplotypeHeader, writeLayoutHaplotypes, type HaplotypeOptions, type HaplotypeSummary } from './haplotype.js';
import { resolvePairs, type HaplotypePair } from './pairs.js';

/** Options of `lowMemoryHaplotype`: those of `loadMatrix` and of `haplotype` together. */
export interface LowMemoryHaplotypeOptions extends Omit<HaplotypeOptions, 'onProgress'> {
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
  /** Bytes of input each parse task takes (default 8 MiB). */
  chunkBytes?: number;
  /** Called on the main thread after each parsed chunk, with the contigs written so far. */
  onProgress?: (progress: LoadProgress & { contigs: number }) => void;
  onWarning?: (message: string) => void;
  /** Only these contigs (see `LoadOptions.contigs`); a text input is still read whole. */
  contigs?: readonly string[];
}

/**
 * Writes the haplotype table of a matrix file contig by contig, holding one contig in memory at
 * a time (the CLI's `--low-memory`). Each contig's rows must be together in the file.
 *
 * @example
 * const { lines } = await lowMemoryHaplotype('big.tsv.gz', { output: 'haplotypes.tsv' });
 */
export async function lowMemoryHaplotype(path: string, options: LowMemoryHaplotypeOptions = {}): Promise<HaplotypeSummary> {
  const input = detectInput(path);
  const pool = new WorkerPool(options.threads);
  const sink = await openOutput(options.output, { inputs: [path, options.header] }).catch(async (error: unknown) => {
    await pool.destroy();
    throw error;
  });
  let pairs: HaplotypePair[] | undefined;
  let sites = 0;
  let lines = 0;
  let contigs = 0;
  let loaded: LoadProgress = { bytes: 0, totalBytes: input.size, sites: 0 };
  const report = (): void => options.onProgress?.({ ...loaded, contigs });
  try {
    const stream = contigLayouts(input, pool, {
      ...options,
      onProgress: (progress) => {
        loaded = progress;
        report();
      },
    });
    for await (const contig of stream) {
      if (!pairs) {
        pairs = resolvePairs(contig.samples, options.pairs);
        await sink.write(Buffer.from(haplotypeHeader(pairs)));
      }
      lines += await writeLayoutHaplotypes(contig.layout, pool, pairs, sink, options);
      sites += contig.layout.batches.reduce((sum, batch) => sum + batch.rows, 0);
      contigs++;
      report();
    }
    await sink.commit();
    return { sites, lines, pairs: pairs ?? [] };
  } catch (error) {
    await sink.abort();
    throw error;
  } finally {
    await pool.destroy();
  }
}

/** Share of the available memory an in-memory load may take before low-memory mode is chosen. */
export const LOW_MEMORY_SHARE = 0.5;
/** How many times its size a gzip input is assumed to inflate to (the size inside is not known up front). */
const GZIP_RATIO = 10;

/**
 * Memory this process may still take: the machine's free memory, or less under a memory limit
 * (a cgroup: a SLURM job, a container), where the limit less what the process holds is left.
 */
export function availableMemory(): number {
  const free = freemem();
  const limit = process.constrainedMemory?.() ?? 0;
  // No limit reads as 0, or as the cgroup's "max" (2^63 or 2^64 bytes).
  if (limit <= 0 || limit >= Number.MAX_SAFE_INTEGER) return free;
  return Math.max(0, Math.min(free, limit - process.memoryUsage.rss()));
}

/**
 * Whether a file is too large to load in memory: an in-memory load of a text matrix peaks at about
 * 0.6 times its text size (one byte a cell plus row regions), that of a packed .arrow matrix at its
 * size, against `LOW_MEMORY_SHARE` of the available memory (`availableMemory`). Returns the
 * estimate when it is too large.
 */
export function tooLargeForMemory(input: InputFile, free = availableMemory()): { needed: number; free: number } | undefined {
  const text = input.format === InputFormat.gzip ? input.size * GZIP_RATIO : input.size;
  const needed = input.format === InputFormat.arrow ? input.size : Math.round(0.6 * text);
  return needed > LOW_MEMORY_SHARE * free ? { needed, free } : undefined;
}
