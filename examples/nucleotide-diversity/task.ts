// The per-contig task of the nucleotide diversity example: pi in windows of `window` bp.
//
// Windows are [1, w], [w + 1, 2w], ... of 1-based POS. At a site with n >= 2 called haplotypes
// (cells that are neither `N` nor `-`) and allele counts c_i, the diversity is the chance that two
// distinct called haplotypes differ: n / (n - 1) * (1 - sum((c_i / n)^2)). A window's pi is the sum
// over its sites divided by the number of those sites (sites with n >= 2): diversity per site with
// data, not per bp of the window, since a matrix need not hold every position. Sites with fewer
// than two calls are left out. Windows without such a site are not listed.

import { defineTask } from 'genomatrix';

export interface DiversityArgs {
  /** Window length in bp. */
  window: number;
}

export interface DiversityWindow {
  /** First and last position of the window (1-based, inclusive). */
  start: number;
  end: number;
  /** Sites with at least two called haplotypes. */
  sites: number;
  pi: number;
}

export default defineTask((view, args: DiversityArgs) => {
  const windows = new Map<number, { sites: number; sum: number }>();
  const counts = new Int32Array(256);
  for (let r = 0; r < view.sites; r++) {
    counts.fill(0);
    let called = 0;
    for (const codes of view.haplotypes) {
      const code = codes[r] as number;
      if (view.called(code)) {
        counts[code]!++;
        called++;
      }
    }
    if (called < 2) continue;
    let squares = 0;
    for (const count of counts) squares += count * count;
    const diversity = (called / (called - 1)) * (1 - squares / (called * called));
    const w = Math.floor(((view.pos[r] as number) - 1) / args.window);
    const window = windows.get(w) ?? { sites: 0, sum: 0 };
    window.sites++;
    window.sum += diversity;
    windows.set(w, window);
  }
  const result: DiversityWindow[] = [...windows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([w, { sites, sum }]) => ({ start: w * args.window + 1, end: (w + 1) * args.window, sites, pi: sum / sites }));
  return { contig: view.contig.name, windows: result };
});
