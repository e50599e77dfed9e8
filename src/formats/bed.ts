// The variable sites as BED: one line per site with an alt allele (the alt rule), `contig`,
// `POS - 1`, `POS` (0-based start, end exclusive: the site's one base). A site is variable when it
// has an alt allele by the alt rule (layout/alt-rule.ts), as the VCF writes a record.
//
// The whole format is this module: its kernel (the default export, run in the worker threads) and
// its description (`bedFormat`, read on the main thread), plus its line in formats/registry.ts.

import { alleleBytes } from '../layout/allele-bytes.js';
import { altAlleles, altScratch } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import type { FormatKernel } from '../worker/format-task.js';
import type { OutputFormat } from './output-format.js';

/** Encodes the variable sites of rows `[task.from, task.to)` as BED lines. */
const bedKernel: FormatKernel = (task) => {
  const { pos, ref, haplotypes } = batchViews(task, task.batch, task.from, task.to);
  const { missing } = alleleBytes(task.alleles);
  const { seen, alts } = altScratch();
  let text = '';
  let lines = 0;
  for (let r = 0; r < pos.length; r++) {
    if (altAlleles(haplotypes, r, ref[r] as number, missing, seen, alts, 1) === 0) continue;
    const at = pos[r] as number;
    text += `${task.contig}\t${at - 1}\t${at}\n`;
    lines++;
  }
  return { bytes: new TextEncoder().encode(text), lines };
};

export default bedKernel;

/** The BED format of the variable sites (`genomatrix bed`). */
export const bedFormat: OutputFormat = {
  name: 'bed',
  describe: 'Write the variable sites (those with an alt allele) as BED: contig, POS-1, POS',
  kernel: import.meta.url,
  examples: [
    { what: 'the variable sites of a matrix', commands: ['$0 bed matrix.tsv.gz -o sites.bed'] },
    { what: 'those of one contig, BGZF-compressed (tabix -p bed indexes it)', commands: ['$0 bed matrix.arrow -r chr2 -o chr2.bed.gz'] },
  ],
};
