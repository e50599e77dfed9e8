// A layout's batches grouped by contig. A contig is one batch after a load, several after a region
// selection cut it into row ranges (select-regions.ts) or while it is streamed in segments: the
// outputs that speak of contigs (VCF `##contig` lines, statistics per contig, one record batch per
// contig in a packed file) take such a run of batches as one contig.

import { batchTable, contigEnd } from '../layout/batch-table.js';
import { contigName } from '../layout/contig-names.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';

/** Consecutive batches of one contig. */
export interface ContigRun {
  /** Index into `MatrixLayout.contigs`. */
  contig: number;
  name: string;
  /** Indexes into `MatrixLayout.batches`. */
  batches: number[];
  /** Rows of those batches together. */
  rows: number;
}

/** The layout's batches as runs of one contig each, in batch order (a linear pass over its batch table). */
export function contigRuns(layout: MatrixLayout): ContigRun[] {
  const table = batchTable(layout);
  const runs: ContigRun[] = [];
  for (let b = 0; b < table.length; ) {
    const end = contigEnd(table, b);
    const contig = table.contig[b] as number;
    const run: ContigRun = { contig, name: contigName(layout, contig), batches: [], rows: 0 };
    for (let k = b; k < end; k++) {
      run.batches.push(k);
      run.rows += table.rows[k] as number;
    }
    runs.push(run);
    b = end;
  }
  return runs;
}
