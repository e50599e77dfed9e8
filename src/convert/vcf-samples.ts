// The samples of the VCF (docs/vcf.md, "Samples and genotypes"): one phased diploid sample per
// pair, then one haploid sample per haplotype column in no pair, and those a sample selection keeps.

import { UsageError } from '../errors.js';
import { asSampleSelection, selectSamples, type SampleSelection } from '../select/samples.js';
import type { HaplotypePair } from './pairs.js';

/** What becomes of haplotypes in no pair. */
export const VcfUnpaired = { haploid: 'haploid', drop: 'drop' } as const;
export type VcfUnpaired = (typeof VcfUnpaired)[keyof typeof VcfUnpaired];

/** One VCF sample: a pair (diploid) or a haplotype column in no pair (haploid). */
export interface VcfSample {
  name: string;
  columns: readonly number[];
  pair?: HaplotypePair;
}

/**
 * The VCF's samples: one per pair of `pairs` (the matrix's whole pair set), then one haploid
 * sample per haplotype column in none of them (none with `unpaired: 'drop'`): `all`; and `chosen`,
 * those a sample selection (`-s`, src/select/samples.ts) keeps, chosen among all of them by name,
 * as `bcftools view -s` chooses among the samples of the whole VCF.
 */
export function vcfSamples(
  names: readonly string[],
  pairs: readonly HaplotypePair[],
  unpaired: VcfUnpaired,
  selection: string | SampleSelection | undefined,
): { all: VcfSample[]; chosen: VcfSample[] } {
  const paired = new Set(pairs.flatMap((pair) => pair.columns));
  const haploid = unpaired === VcfUnpaired.drop ? [] : names.map((_, c) => c).filter((c) => !paired.has(c));
  const all: VcfSample[] = [...pairs.map((pair) => ({ name: pair.name, columns: pair.columns, pair })), ...haploid.map((c) => ({ name: names[c] as string, columns: [c] }))];
  const seen = new Set<string>();
  for (const { name } of all) {
    if (seen.has(name)) throw new UsageError(`two samples are both named '${name}': VCF sample names must differ`);
    seen.add(name);
  }
  return { all, chosen: selectSamples(all, asSampleSelection(selection), 'sample') };
}
