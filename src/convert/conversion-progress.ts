// The progress of a conversion over a loaded matrix: the driver reports each range as it is
// consumed, in genome order, and this turns those reports into the `onProgress` calls every
// in-memory conversion takes (the command line's progress bar, a library user's own display).

import { batchTable } from '../layout/batch-table.js';
import type { Matrix } from '../matrix.js';

/** How far a conversion has come: sites and contigs written (or counted), of all. */
export interface ConversionProgress {
  sites: number;
  totalSites: number;
  contigs: number;
  totalContigs: number;
}

/** The progress option of a conversion over a loaded matrix. */
export interface ProgressOptions {
  /** Called on the main thread as rows are converted: sites done, the total, and the details (contigs done). */
  onProgress?: (done: number, total: number, progress: ConversionProgress) => void;
}

/** Turns the driver's range reports (`DriveOptions.onRange`) into `onProgress` calls over `matrix`. */
export function progressOf(matrix: Matrix, options: ProgressOptions): ((sites: number, contigs: number) => void) | undefined {
  const { onProgress } = options;
  if (!onProgress) return undefined;
  const progress: ConversionProgress = { sites: 0, totalSites: matrix.sites, contigs: 0, totalContigs: batchTable(matrix.layout).length };
  return (sites, contigs) => {
    progress.sites += sites;
    progress.contigs += contigs;
    onProgress(progress.sites, progress.totalSites, progress);
  };
}
