// The statistics of a matrix (docs/specification.md, "Statistics"): what `stats` returns and
// `stats-table.ts` formats.

/** Missing and deleted cells of one haplotype column; rates are per site. */
export interface HaplotypeStats {
  haplotype: string;
  missing: number;
  missingRate: number;
  deletions: number;
  deletionRate: number;
}

/** Haplotype cells holding one allele of the dictionary. */
export interface AlleleCount {
  allele: string;
  cells: number;
}

/** Sites where both members of a pair are called (neither `N` nor `-`), and where they differ. */
export interface PairStats {
  pair: string;
  calledSites: number;
  hetSites: number;
  /** `hetSites / calledSites`; null when no site is called. */
  hetRate: number | null;
}

/** Statistics of a set of sites (one contig, or the whole genome). */
export interface SiteStats {
  sites: number;
  /** Sites with a non-empty alt (the haplotype-table rule: a cell neither `N` nor REF). */
  variableSites: number;
  /** Sites without alt, left out of the haplotype table and the VCF. */
  droppedSites: number;
  /** Sites with two or more alt alleles. */
  multiallelicSites: number;
  /** One entry per haplotype column, in column order. */
  haplotypes: HaplotypeStats[];
  /** One entry per allele of the dictionary, in code order; cells of haplotype columns only (not REF). */
  alleles: AlleleCount[];
  /** One entry per pair, in pair order. */
  pairs: PairStats[];
}

/** Statistics of one contig. */
export interface ContigStats extends SiteStats {
  contig: string;
}

/** What `stats` returns. */
export interface MatrixStats {
  /** Per contig, in contig order. */
  contigs: ContigStats[];
  /** All sites of the matrix. */
  genome: SiteStats;
}
