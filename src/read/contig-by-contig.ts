// The input contig by contig, for the low-memory modes: a text matrix streamed in file order
// (stream-contigs.ts), a packed matrix read one record batch (one contig, or several) at a time. Each contig
// comes as a layout of its own, over buffers the next contig may reuse. A selection (`-r`, `-R`,
// `--contigs`) skips the other contigs (a packed input does not read them; a text input's parse
// tasks skip their lines without making rows, `ParseTask.contigs`) and cuts each selected one to
// its regions' rows (src/select/select-regions.ts), a contig without such rows skipped.

import type { WorkerPool } from '../dispatch/worker-pool.js';
import { missingContigs, selectBatches } from '../layout/select-contigs.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import { parsedContigs, selectionOf, type RegionSet, type SelectionSpec } from '../select/regions.js';
import { selectRegions } from '../select/select-regions.js';
import type { RecordBatchEntry } from './arrow-file-index.js';
import { InputFormat, type InputFile } from './input-format.js';
import { loadArrowBatches, readArrowMatrix } from './load-arrow.js';
import { recordBatchRunEnd } from './packed-checks.js';
import type { LoadProgress } from '../layout/types.js';
import { streamContigs, type StreamOptions } from './stream-contigs.js';

/** Options of `contigLayouts`: those of a streamed text load, and a selection (see `LoadOptions`). */
export interface ContigByContigOptions extends StreamOptions, SelectionSpec {
  onProgress: (progress: LoadProgress) => void;
  /** Called with the rows of each contig of a text input as streamed, before a region cut. */
  onContigRows?: (rows: number) => void;
}

/** The selected contigs of the input, one at a time, each as a layout of its own (the consumer must be done with one before it asks for the next). */
export async function* contigLayouts(input: InputFile, pool: WorkerPool, options: ContigByContigOptions): AsyncGenerator<{ samples: string[]; layout: MatrixLayout }> {
  const regions = selectionOf(options);
  const cut = (layout: MatrixLayout): MatrixLayout | undefined => {
    const selected = regions ? selectRegions(input.path, layout, regions, { requireContigs: false }) : layout;
    return selected.batches.length > 0 ? selected : undefined;
  };
  if (input.format === InputFormat.arrow) {
    // A record batch at a time, in file order (as the in-memory mode goes through them).
    const file = readArrowMatrix(input);
    const keep = regions ? selectBatches(input.path, file.contigs, file.batchContigs, [...regions.intervals.keys()]) : [...file.batchContigs.keys()];
    const progress: LoadProgress = { bytes: 0, totalBytes: input.size, sites: 0 };
    // The kept contigs of one record batch of several are read together, the batch once.
    for (let k = 0; k < keep.length; ) {
      const whole = file.index.recordBatches[keep[k] as number]?.within?.batch;
      const end = recordBatchRunEnd(file.index.recordBatches, keep, k);
      const loaded = await loadArrowBatches(file, keep.slice(k, end), { ...options, selection: undefined });
      for (const [i, batch] of loaded.batches.entries()) {
        const entry = file.index.recordBatches[keep[k + i] as number] as RecordBatchEntry;
        progress.bytes += whole ? Math.round((whole.bodyLength * entry.rows) / whole.rows) : entry.bodyLength;
        progress.sites += entry.rows;
        options.onProgress(progress);
        const layout = cut({ ...loaded, batches: [batch] });
        if (layout) yield { samples: file.samples, layout };
      }
      k = end;
    }
    return;
  }
  const seen = new Set<string>();
  const onlyContigs = parsedContigs(regions);
  for await (const contig of streamContigs(input, pool, onlyContigs ? { ...options, onlyContigs } : options)) {
    seen.add(contig.name);
    options.onContigRows?.(contig.layout.batches.reduce((sum, batch) => sum + batch.rows, 0));
    const layout = wanted(regions, contig.name) ? cut(contig.layout) : undefined;
    if (layout) yield { samples: contig.samples, layout };
  }
  const missing = regions && [...regions.intervals.keys()].filter((name) => !seen.has(name));
  if (missing?.length) throw missingContigs(input.path, missing, [...seen]);
}

/** True when a contig is selected (every contig when there is no selection). */
function wanted(regions: RegionSet | undefined, contig: string): boolean {
  return !regions || regions.intervals.has(contig);
}
