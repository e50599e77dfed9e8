// The per-contig task of the allele frequency spectrum example: runs in a worker thread over one
// chunk of one contig's rows and adds its histogram into the shared result buffer.
//
// A site is *complete* when REF and every haplotype cell are called (neither `N` nor `-`); its
// derived allele count is the number of haplotypes whose allele differs from REF (every non-REF
// allele counts as derived, so a multi-allelic site adds all its alternative alleles together).
// Unfolded, complete sites go to bin `derived` (0..H); folded, to bin `min(derived, H - derived)`.
// Other sites are counted as incomplete, in the last slot.

import { defineTask } from 'genomatrix';

export interface SpectrumArgs {
  /** Int32 counts, one row of `stride()` slots per contig: bins 0..H, then the incomplete sites. */
  counts: SharedArrayBuffer;
  folded: boolean;
}

/** Slots per contig in `counts` for H haplotypes. */
export function stride(haplotypes: number): number {
  return haplotypes + 2;
}

export default defineTask((view, args: SpectrumArgs) => {
  const haplotypes = view.haplotypes.length;
  const local = new Int32Array(stride(haplotypes));
  const incomplete = haplotypes + 1;
  for (let r = 0; r < view.sites; r++) {
    const ref = view.ref[r] as number;
    let derived = 0;
    let complete = view.called(ref);
    for (let h = 0; complete && h < haplotypes; h++) {
      const code = (view.haplotypes[h] as Uint8Array)[r] as number;
      if (!view.called(code)) complete = false;
      else if (code !== ref) derived++;
    }
    if (!complete) local[incomplete]!++;
    else local[args.folded ? Math.min(derived, haplotypes - derived) : derived]!++;
  }
  // Chunks of one contig may run at the same time on different threads: add atomically.
  const counts = new Int32Array(args.counts);
  const row = view.contig.index * local.length;
  local.forEach((count, k) => count !== 0 && Atomics.add(counts, row + k, count));
  return view.sites;
});
