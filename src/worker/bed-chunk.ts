// The BED kernel (src/formats/bed.ts): the variable sites of a range, one BED line each,
// `contig \t POS-1 \t POS` (0-based start, end exclusive: the site's one base). A site is variable
// when it has an alt allele by the alt rule (layout/alt-rule.ts), as the VCF writes a record.

import { alleleBytes } from '../layout/allele-bytes.js';
import { altAlleles, altScratch } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import type { FormatKernel } from './format-task.js';

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
