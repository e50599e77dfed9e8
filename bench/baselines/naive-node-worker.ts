// Worker of the naive Node.js baseline: receives one contig's rows (a structured-clone copy) and
// answers with its haplotype-table lines, built with ordinary string operations.

import { parentPort } from 'node:worker_threads';

/** One contig's rows, as arrays of strings (CHROM, POS, REF, haplotypes...). */
export interface ContigJob {
  contig: string;
  rows: string[][];
  /** Haplotype column indices (0 = first haplotype) of each pair, in member order. */
  pairs: [number, number][];
}

export interface ContigLines {
  contig: string;
  lines: string[];
}

/** The haplotype-table lines of one contig (docs/specification.md, "Alt alleles": alt in order of first appearance, N and `-` shown as REF). */
export function contigLines(job: ContigJob): ContigLines {
  const lines: string[] = [];
  for (const row of job.rows) {
    const ref = row[2] as string;
    const haplotypes = row.slice(3);
    const alt: string[] = [];
    for (const allele of haplotypes) {
      if (allele !== 'N' && allele !== ref && !alt.includes(allele)) alt.push(allele);
    }
    if (alt.length === 0) continue;
    const fields = [row[0], row[1], ref, alt.join(',')];
    for (const [a, b] of job.pairs) {
      const x = haplotypes[a] === 'N' || haplotypes[a] === '-' ? ref : haplotypes[a];
      const y = haplotypes[b] === 'N' || haplotypes[b] === '-' ? ref : haplotypes[b];
      fields.push(job.contig, `${x}|${y}`);
    }
    lines.push(fields.join('\t'));
  }
  return { contig: job.contig, lines };
}

parentPort?.on('message', (job: ContigJob) => {
  parentPort?.postMessage(contigLines(job));
});
