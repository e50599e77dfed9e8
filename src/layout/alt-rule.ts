// The alt rule (docs/specification.md, "Alt alleles"), written once for every kernel: the alt
// alleles of a site are the distinct cell values over all haplotype columns, leaving out `N` and
// the row's REF (`-` counts), in order of first appearance from left to right. A site without
// one is dropped by the haplotype table and the VCF, and counted as not variable by the statistics.
// The VCF kernel's row encoder (worker/vcf-chunk.ts) applies the same rule in its one pass over a
// row's cells, over the alleles' VCF forms, as it fills in the genotypes.

/**
 * Writes the alt allele codes of row `r` into `alts` in order of first appearance and returns how
 * many there are, stopping once `limit` are found. `missing` is the code of `N` (-1 when the
 * dictionary lacks it). `seen` holds 256 entries, all -1 at first, and is reused from row to row of
 * one task (it marks the codes met in row `r`), so nothing is cleared or allocated per row.
 */
export function altAlleles(
  haplotypes: readonly Uint8Array[],
  r: number,
  refCode: number,
  missing: number,
  seen: Int32Array,
  alts: Uint8Array,
  limit = 256,
): number {
  let count = 0;
  for (let h = 0; h < haplotypes.length && count < limit; h++) {
    const c = (haplotypes[h] as Uint8Array)[r] as number;
    if (c !== missing && c !== refCode && seen[c] !== r) {
      seen[c] = r;
      alts[count++] = c;
    }
  }
  return count;
}

/**
 * A row's allele mask, one byte: the OR of its cells' bits. Codes 0-6 (A C G T N - and the first
 * other allele) own a bit each; every rarer code sets `RARE_BIT`. With the bits of `N` and of the
 * row's REF cleared, a mask without `RARE_BIT` holds exactly the row's alt alleles, one bit each
 * (how many: its set bits); a mask with it is decided by `altAlleles`, cell by cell. The haplotype
 * and statistics kernels build masks column by column, reading each column in order.
 */
export const RARE_BIT = 128;
/** The first code without a bit of its own. */
export const RARE_CODE = 7;
export const ALLELE_BIT = new Uint8Array(256).map((_, code) => (code < RARE_CODE ? 1 << code : RARE_BIT));

/** The mask bit of `N` (code `missing`, -1 when the dictionary lacks it), or 0 when it has none of its own. */
export function missingBitOf(missing: number): number {
  return missing >= 0 ? (ALLELE_BIT[missing] as number) & ~RARE_BIT : 0;
}

/** A row's alt bits: its mask without the bits of `N` (`missingBit`) and of its REF. */
export function altBits(mask: number, refCode: number, missingBit: number): number {
  const alts = mask & ~missingBit;
  return refCode < RARE_CODE ? alts & ~(1 << refCode) : alts;
}

/** A fresh `seen` table for `altAlleles`. */
export function altScratch(): { seen: Int32Array; alts: Uint8Array } {
  return { seen: new Int32Array(256).fill(-1), alts: new Uint8Array(256) };
}
