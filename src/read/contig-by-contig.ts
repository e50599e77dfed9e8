// The input contig by contig, for the low-memory modes: a text matrix streamed in file order
// (stream-contigs.ts), a packed matrix read one record batch (a contig) at a time. Each contig
// comes as a layout of its own, over buffers the next contig may reuse.

import type { WorkerPool } from '../dispatch/worker-pool.js';
import { missingContigs, noContigs, selectBatches } from '../layout/select-contigs.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import type { RecordBatchEntry } from './arrow-file-index.js';
import { InputFormat, type InputFile } from './input-format.js';
import { loadArrowBatches, readArrowMatrix } from './load-arrow.js';
import type { LoadProgress } from '../layout/types.js';
import { streamContigs, type StreamOptions } from './stream-contigs.js';

/** Options of `contigLayouts`: those of a text load, and a contig selection. */
export interface ContigByContigOptions extends StreamOptions {
  /** Only these contigs (see `LoadOptions.contigs`); a text input is still read whole. */
  contigs?: readonly string[] | undefined;
  onProgress: (progress: LoadProgress) => void;
}

/** The selected contigs of the input, one at a time, each as a layout of its own (the consumer must be done with one before it asks for the next). */
export async function* contigLayouts(input: InputFile, pool: WorkerPool, options: ContigByContigOptions): AsyncGenerator<{ samples: string[]; layout: MatrixLayout }> {
  if (input.format === InputFormat.arrow) {
    // A record batch at a time, in file order (as the in-memory mode goes through them).
    const file = readArrowMatrix(input);
    const keep = options.contigs ? selectBatches(input.path, file.contigs, file.batchContigs, options.contigs) : [...file.batchContigs.keys()];
    const progress: LoadProgress = { bytes: 0, totalBytes: input.size, sites: 0 };
    for (const b of keep) {
      const layout = await loadArrowBatches(file, [b], options);
      const entry = file.index.recordBatches[b] as RecordBatchEntry;
      progress.bytes += entry.bodyLength;
      progress.sites += entry.rows;
      options.onProgress(progress);
      yield { samples: file.samples, layout };
    }
    return;
  }
  if (options.contigs?.length === 0) throw noContigs(input.path);
  const wanted = options.contigs && new Set(options.contigs);
  const seen = new Set<string>();
  for await (const contig of streamContigs(input, pool, options)) {
    seen.add(contig.name);
    if (!wanted || wanted.has(contig.name)) yield contig;
  }
  const missing = wanted && [...wanted].filter((name) => !seen.has(name));
  if (missing?.length) throw missingContigs(input.path, missing, [...seen]);
}
