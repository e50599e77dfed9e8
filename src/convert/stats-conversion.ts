// The statistics as a conversion for the driver: workers count row ranges (worker/stats-chunk.ts),
// the main thread adds each contig's range counts as they come, in genome order, and derives the
// statistics and rates once every contig is counted. A contig's counts are kept only for the
// alleles known when it ends (a later allele cannot be in it), so memory follows the contigs.

import { rangeColumns, type Conversion } from '../dispatch/conversion.js';
import { AlleleDictionary, canonicalAlleles, SEED_ALLELES } from '../layout/allele-dictionary.js';
import type { HaplotypePair } from '../layout/types.js';
import type { StatsCounts, StatsTask } from '../worker/messages.js';
import type { MatrixStats, SiteStats } from './matrix-stats.js';
import { statsOutputChunks } from './stats-table.js';

/** The statistics' description for the driver; `result()` gives them once the run is done. */
export interface StatsConversion extends Conversion<StatsTask> {
  result(): MatrixStats;
}

/** Counts of one contig, its cells trimmed to the alleles known when it ended. */
interface ContigCounts {
  name: string;
  counts: StatsCounts;
  /** Alleles (codes) the trimmed cells cover: `cells[h * stride + code]`. */
  stride: number;
}

/** Describes the statistics for the driver; `format` set writes them (TSV or JSON) as the run's output. */
export function statsConversion(pairsOf: (samples: readonly string[]) => HaplotypePair[], options: { format?: 'tsv' | 'json'; chunkRows?: number } = {}): StatsConversion {
  let pairs: HaplotypePair[] = [];
  let columnPairs: [number, number][] = [];
  let samples: readonly string[] = [];
  let dictionary: SharedArrayBuffer | undefined;
  let current: StatsCounts | undefined;
  const contigs: ContigCounts[] = [];
  let cached: MatrixStats | undefined;
  const conversion: StatsConversion = {
    ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
    begin(first) {
      samples = first?.layout.samples ?? [];
      pairs = pairsOf(samples);
      columnPairs = pairs.map((pair) => pair.columns);
      return undefined;
    },
    task: (range) => {
      return { kind: 'stats', ...rangeColumns(range), pairs: columnPairs };
    },
    collect(counts) {
      current ??= emptyCounts(samples.length, pairs.length, 256);
      addCounts(current, counts, 256);
    },
    contigDone(unit) {
      dictionary = unit.layout.alleles;
      const stride = AlleleDictionary.attach(dictionary).size;
      const counts = emptyCounts(samples.length, pairs.length, stride);
      if (current) addCounts(counts, current, 256, stride);
      contigs.push({ name: unit.contig.name, counts, stride });
      current = undefined;
    },
    end() {
      if (options.format === undefined) return undefined;
      const chunks = statsOutputChunks(conversion.result(), options.format);
      return (function* () {
        for (const chunk of chunks) yield Buffer.from(chunk);
      })();
    },
    result() {
      if (cached) return cached;
      // Alleles in the dictionary's canonical order (seed alleles, then the others by their bytes),
      // whatever order a streamed input met them in.
      const strings = dictionary ? AlleleDictionary.attach(dictionary).toStrings() : [...SEED_ALLELES];
      const alleles = canonicalAlleles(strings).map((allele) => ({ allele, code: strings.indexOf(allele) }));
      const names = { samples, alleles, pairs: pairs.map((pair) => pair.name) };
      const stride = strings.length;
      const genome = emptyCounts(samples.length, pairs.length, stride);
      for (const contig of contigs) addCounts(genome, contig.counts, contig.stride, stride);
      cached = {
        contigs: contigs.map((contig) => ({ contig: contig.name, ...siteStats(contig.counts, contig.stride, names) })),
        genome: siteStats(genome, stride, names),
      };
      return cached;
    },
  };
  return conversion;
}

function emptyCounts(width: number, pairs: number, stride: number): StatsCounts {
  return { sites: 0, variableSites: 0, multiallelicSites: 0, cells: new Float64Array(width * stride), pairCalled: new Float64Array(pairs), pairHet: new Float64Array(pairs) };
}

/** Adds `counts` (cells of stride `from`) into `into` (cells of stride `to`, by default the same). */
function addCounts(into: StatsCounts, counts: StatsCounts, from: number, to = from): void {
  into.sites += counts.sites;
  into.variableSites += counts.variableSites;
  into.multiallelicSites += counts.multiallelicSites;
  const width = into.cells.length / to;
  const codes = Math.min(from, to);
  for (let h = 0; h < width; h++) {
    for (let c = 0; c < codes; c++) into.cells[h * to + c] = (into.cells[h * to + c] as number) + (counts.cells[h * from + c] as number);
  }
  counts.pairCalled.forEach((n, i) => (into.pairCalled[i] = (into.pairCalled[i] as number) + n));
  counts.pairHet.forEach((n, i) => (into.pairHet[i] = (into.pairHet[i] as number) + n));
}

/** A count per site of a scope (0 for a scope without sites). */
export function perSite(n: number, sites: number): number {
  return sites > 0 ? n / sites : 0;
}

/** Heterozygous sites per called site of a pair (null when no site is called). */
export function hetRate(hetSites: number, calledSites: number): number | null {
  return calledSites > 0 ? hetSites / calledSites : null;
}

interface Names {
  samples: readonly string[];
  /** Every allele, in the order listed, with its code. */
  alleles: readonly { allele: string; code: number }[];
  pairs: readonly string[];
}

function siteStats(counts: StatsCounts, stride: number, names: Names): SiteStats {
  const { sites, cells } = counts;
  const cellsOfCode = (h: number, code: number): number => (code >= 0 && code < stride ? (cells[h * stride + code] as number) : 0);
  const codeOf = (allele: string): number => names.alleles.find((entry) => entry.allele === allele)?.code ?? -1;
  const missingCode = codeOf('N');
  const deletionCode = codeOf('-');
  return {
    sites,
    variableSites: counts.variableSites,
    droppedSites: sites - counts.variableSites,
    multiallelicSites: counts.multiallelicSites,
    haplotypes: names.samples.map((haplotype, h) => {
      const missing = cellsOfCode(h, missingCode);
      const deletions = cellsOfCode(h, deletionCode);
      return { haplotype, missing, missingRate: perSite(missing, sites), deletions, deletionRate: perSite(deletions, sites) };
    }),
    alleles: names.alleles.map(({ allele, code }) => {
      let total = 0;
      for (let h = 0; h < names.samples.length; h++) total += cellsOfCode(h, code);
      return { allele, cells: total };
    }),
    pairs: names.pairs.map((pair, p) => {
      const calledSites = counts.pairCalled[p] as number;
      const hetSites = counts.pairHet[p] as number;
      return { pair, calledSites, hetSites, hetRate: hetRate(hetSites, calledSites) };
    }),
  };
}
