// A layout's batches grouped by contig. A contig is one batch after a load, several after a region
// selection cut it into row ranges (select-regions.ts) or while it is streamed in segments: the
// outputs that speak of contigs (VCF `##contig` lines, statistics per contig, one record batch per
// contig in a packed file) take such a run of batches as one contig.

import type { BatchLayout, MatrixLayout } from '../layout/matrix-layout.js';

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

/** The layout's batches as runs of one contig each, in batch order (a linear pass). */
export function contigRuns(layout: Pick<MatrixLayout, 'contigs' | 'batches'>): ContigRun[] {
  const runs: ContigRun[] = [];
  layout.batches.forEach((batch: BatchLayout, b) => {
    const last = runs[runs.length - 1];
    if (last && last.contig === batch.contig) {
      last.batches.push(b);
      last.rows += batch.rows;
    } else runs.push({ contig: batch.contig, name: layout.contigs[batch.contig] ?? '', batches: [b], rows: batch.rows });
  });
  return runs;
}
