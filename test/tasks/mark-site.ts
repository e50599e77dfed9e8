// A custom task for the zero-copy tests: reports what it reads, then writes into the shared memory.

import { defineTask } from 'genomatrix';

export interface MarkArgs {
  /** Allele written into the first haplotype's cell of the contig's first site. */
  allele: string;
}

export default defineTask((view, args: MarkArgs) => {
  const before = view.alleles[view.haplotypes[0]?.[0] ?? -1];
  const code = view.code(args.allele);
  if (code < 0) throw new Error(`allele ${args.allele} not in the dictionary`);
  (view.haplotypes[0] as Uint8Array)[0] = code;
  return {
    contig: view.contig.name,
    sites: view.pos.length,
    firstPos: view.pos[0],
    before,
    shared: view.pos.buffer instanceof SharedArrayBuffer && view.haplotypes.every((h) => h.buffer instanceof SharedArrayBuffer),
  };
});
