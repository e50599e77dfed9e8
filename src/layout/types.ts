// Types every layer shares (contig, pair, progress, allele codes): the ground floor that the CLI,
// the conversions, the dispatcher and the worker kernels all import, and that imports nothing.

/** One contig: its name, its number of sites, and its rows `[rowStart, rowEnd)` in table order. */
export interface Contig {
  name: string;
  /** Position in `Matrix.contigs` (and index of its record batch in `Matrix.table`). */
  index: number;
  sites: number;
  rowStart: number;
  rowEnd: number;
}

/** Two haplotype columns read as one diploid sample (docs/specification.md, "Pairs"). */
export interface HaplotypePair {
  /** `<first><second>`, e.g. `10a10b`. */
  name: string;
  members: [string, string];
  /** Indices of the members among the haplotype columns. */
  columns: [number, number];
}

/** Where a view lies: the contig and the rows `[from, to)` within it. */
export interface ViewRange {
  contig: Contig;
  from: number;
  to: number;
}

/** How far a load has come. */
export interface LoadProgress {
  /** Input bytes parsed (compressed bytes read, for gzip). */
  bytes: number;
  /** Size of the input file in bytes (0 when not known: standard input). */
  totalBytes: number;
  /** Rows (sites) parsed. */
  sites: number;
}

/** Codes of the alleles every dictionary starts with (`SEED_ALLELES`): they are the same in every matrix. */
export const AlleleCode = { A: 0, C: 1, G: 2, T: 3, N: 4, deletion: 5 } as const;
export type AlleleCode = (typeof AlleleCode)[keyof typeof AlleleCode];
