// Deletion runs of one haplotype column, as the VCF kernel describes them (docs/vcf.md,
// "Deletions"): the forms a run is written in, the deletion a run (or runs joined) becomes, and
// the block of runs joined so far. vcf-haplotype-cells.ts reads a column for them,
// vcf-deletions.ts finds a task's.

/**
 * How far left a deletion is moved at most, in positions (docs/vcf.md, "Left alignment"): what
 * bounds a task's reads past its range. bcftools norm has no such bound: in a repeat longer than
 * this it moves the deletion further (bcftools 1.16 moved one 2,898 positions, to POS 1).
 */
export const MAX_SHIFT = 1000;

/** How a run is written. */
export const RunForm = {
  /** Anchored on the base before it (possibly moved left). */
  anchored: 0,
  /** At POS 1: anchored on the base after it (a row's, or the FASTA's when that position is not in the matrix). */
  first: 1,
  /** After a POS gap: anchored on the FASTA base before it, which is no row of the matrix. */
  gap: 2,
  /** One `*` allele per deleted base (the anchor base is unknown). */
  star: 3,
  /** The haplotype's own anchor base is `N` or no base: the deletion cannot be written; `.` over it. */
  unknown: 4,
} as const;
export type RunForm = (typeof RunForm)[keyof typeof RunForm];

/** One contig's columns, whole (rows 0..n), as the VCF kernel reads them. */
export interface ContigColumns {
  pos: Int32Array;
  ref: Uint8Array;
  /** The haplotype columns written to the VCF, in matrix column order. */
  haplotypes: Uint8Array[];
}

/** What the kernel needs to know of the allele dictionary. */
export interface AlleleCodes {
  /** Code -> allele string. */
  texts: readonly string[];
  /** Code -> its VCF REF form (`vcfRefAllele`). */
  refTexts: readonly string[];
  /** Code -> the upper-case byte of a one-base allele A C G T, or 0. */
  base: Uint8Array;
  /** Code -> 1 when the allele is a base string (A C G T N in either case), which can be padded. */
  bases: Uint8Array;
  /** Code of `N` and of `-`, or -1. */
  missing: number;
  deletion: number;
}

/** The reference base at a 1-based position of the task's contig, or undefined (no FASTA, or out of range). */
export type FastaBase = (pos: number) => string | undefined;

/** One deletion (one run, or runs joined) and its VCF record. */
export interface DeletionRun {
  form: RunForm;
  /** Rows deleted as written (after moving left), first and last. */
  first: number;
  last: number;
  /** Rows from the first `-` cell to the last of the runs joined: those not deleted as written read REF. */
  cellFirst: number;
  cellLast: number;
  /** The runs of `-` cells joined, as [first, last] row pairs (the star form marks these). */
  members: number[];
  /** The row whose range owns the record: its POS row (for `gap`, the first row after the gap). */
  recordRow: number;
  /** POS of the record. */
  recordPos: number;
  /** Last position the haplotype's own allele covers (the last deleted one, or the base after it for `first`). */
  spanLastPos: number;
  /** The haplotype's allele over [recordPos, spanLastPos], deleted bases removed; null when unknown. */
  allele: string | null;
  /** The last deleted position. */
  lastPos: number;
}

/** The byte of a one-base string A C G T (upper case), or 0. */
export function baseCode(base: string | undefined): number {
  return base !== undefined && /^[ACGT]$/.test(base) ? base.charCodeAt(0) : 0;
}

/** Runs joined so far: deleted positions [pos of row s, e]; cells after them up to row c read REF; `members` as in DeletionRun. */
export interface Block {
  s: number;
  /** The last deleted position (a position, not a row: a join may reach over a POS gap). */
  e: number;
  c: number;
  members: number[];
}

/** Block `later` joined onto `block`: its deletion moved left up to the block's, its cells read REF. */
export function join(block: Block, later: Block, pos: Int32Array): void {
  block.e += later.e - (pos[later.s] as number) + 1;
  block.c = later.c;
  for (const row of later.members) block.members.push(row);
}
