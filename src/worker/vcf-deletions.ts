// Deletion runs of one haplotype column and the VCF record each becomes (docs/vcf.md, "Deletions").
// A run is a maximal stretch of `-` cells over consecutive positions. It is written anchored on
// the base before it, moved left while the haplotype's anchor base equals the last deleted base
// (what `bcftools norm -f` does), at POS 1 anchored on the base after it, and after a POS gap
// anchored on the reference FASTA's base (or, without a FASTA, left in the star form).
//
// Pure functions over one contig's typed arrays: the rows of the whole contig are readable, so a
// task on rows [from, to) sees runs that begin before `from` or move left across `to`.

/** How far left a deletion is moved at most, in positions (bcftools norm keeps a 1,000 bp window too). */
export const MAX_SHIFT = 1000;

/** How a run is written. */
export const RunForm = {
  /** Anchored on the base before it (possibly moved left). */
  anchored: 0,
  /** At POS 1: anchored on the base after it. */
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

/** One run of `-` cells and its VCF record. */
export interface DeletionRun {
  form: RunForm;
  /** Rows deleted as written (after moving left), first and last. */
  first: number;
  last: number;
  /** Rows of `-` cells in the matrix. */
  cellFirst: number;
  cellLast: number;
  /** The row whose range owns the record: its POS row (for `gap`, the first deleted row). */
  recordRow: number;
  /** POS of the record. */
  recordPos: number;
  /** Last row the haplotype's own allele covers (the deleted rows, or the base after them for `first`). */
  spanLast: number;
  /** The haplotype's allele over [record, spanLast], deleted bases removed; null when unknown. */
  allele: string | null;
}

/**
 * The runs of `column` a task on rows [from, to) needs: every run with a `-` cell in [from, to],
 * and the first run after `to` (it may move left into the range; later ones cannot pass it).
 */
export function deletionRuns(
  contig: ContigColumns,
  column: Uint8Array,
  codes: AlleleCodes,
  from: number,
  to: number,
  fasta: FastaBase | undefined,
): DeletionRun[] {
  const { pos, ref } = contig;
  const n = column.length;
  const del = codes.deletion;
  const runs: DeletionRun[] = [];
  if (del < 0) return runs;
  // A `-` cell deletes its base unless REF is `-` too (then it is the REF allele).
  const deleted = (row: number): boolean => column[row] === del && ref[row] !== del;
  let r = from;
  // A run in progress at `from` began earlier: walk back to its first cell.
  while (r > 0 && deleted(r) && deleted(r - 1) && pos[r - 1] === (pos[r] as number) - 1) r--;
  const end = Math.min(n, to + MAX_SHIFT + 1);
  while (r < end) {
    if (!deleted(r)) {
      r++;
      continue;
    }
    let q = r;
    while (q + 1 < n && deleted(q + 1) && pos[q + 1] === (pos[q] as number) + 1) q++;
    runs.push(placeRun(contig, column, codes, r, q, fasta));
    if (r > to) break;
    r = q + 1;
  }
  return runs;
}

/** Where the run of `-` cells [p, q] is written. */
export function placeRun(contig: ContigColumns, column: Uint8Array, codes: AlleleCodes, p: number, q: number, fasta: FastaBase | undefined): DeletionRun {
  const { pos } = contig;
  const p0 = pos[p] as number;
  const run = { first: p, last: q, cellFirst: p, cellLast: q, recordRow: p, recordPos: p0, spanLast: q };
  if (p > 0 && pos[p - 1] === p0 - 1) return anchoredRun(contig, column, codes, p, q);
  if (p0 === 1) {
    // VCF: a deletion at the contig's first base keeps the base after it.
    const after = q + 1;
    if (after < column.length && pos[after] === (pos[q] as number) + 1) {
      const code = column[after] as number;
      const known = code !== codes.missing && codes.bases[code] === 1;
      return { ...run, form: known ? RunForm.first : RunForm.unknown, spanLast: after, allele: known ? (codes.texts[code] as string) : null };
    }
    return { ...run, form: RunForm.star, allele: null };
  }
  const anchor = fasta?.(p0 - 1);
  if (anchor === undefined) return { ...run, form: RunForm.star, allele: null };
  return { ...run, form: RunForm.gap, recordPos: p0 - 1, allele: anchor };
}

/**
 * A run whose previous position is a row: anchored there, then moved left one position at a time
 * while the haplotype's anchor base equals the last deleted REF base (the deletion then reads the
 * same), at most MAX_SHIFT times. It stops at the contig's start, a POS gap, or an anchor that is
 * not one base (N, `-`, a longer allele): docs/vcf.md, "Left alignment".
 */
function anchoredRun(contig: ContigColumns, column: Uint8Array, codes: AlleleCodes, p: number, q: number): DeletionRun {
  const { pos, ref } = contig;
  const { base } = codes;
  let a = p - 1;
  let last = q;
  const anchorCode = column[a] as number;
  if (anchorCode === codes.missing || codes.bases[anchorCode] !== 1) {
    return { form: RunForm.unknown, first: p, last: q, cellFirst: p, cellLast: q, recordRow: a, recordPos: pos[a] as number, spanLast: q, allele: null };
  }
  for (let shifted = 0; shifted < MAX_SHIFT; shifted++) {
    const x = base[column[a] as number] as number;
    if (x === 0 || x !== base[ref[last] as number]) break;
    if (a === 0 || pos[a - 1] !== (pos[a] as number) - 1 || base[column[a - 1] as number] === 0) break;
    a--;
    last--;
  }
  return {
    form: RunForm.anchored,
    first: a + 1,
    last,
    cellFirst: p,
    cellLast: q,
    recordRow: a,
    recordPos: pos[a] as number,
    spanLast: last,
    allele: codes.texts[column[a] as number] as string,
  };
}
