// The variable sites as BED: one line per site with an alt allele (the alt rule), `contig`,
// `POS - 1`, `POS`. Its kernel is worker/bed-chunk.ts; this description is all the rest.

import type { OutputFormat } from './output-format.js';

/** The BED format of the variable sites (`genomatrix bed`). */
export const bedFormat: OutputFormat = {
  name: 'bed',
  describe: 'Write the variable sites (those with an alt allele) as BED: contig, POS-1, POS',
  kernel: new URL('../worker/bed-chunk.js', import.meta.url),
  examples: [
    { what: 'the variable sites of a matrix', commands: ['$0 bed matrix.tsv.gz -o sites.bed'] },
    { what: 'those of one contig, BGZF-compressed (tabix -p bed indexes it)', commands: ['$0 bed matrix.arrow -r chr2 -o chr2.bed.gz'] },
  ],
};
