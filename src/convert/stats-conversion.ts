// The statistics as a conversion for the driver: workers count row ranges (worker/stats-chunk.ts),
// the main thread adds each contig's range counts as they come, in genome order, and derives the
// statistics and rates: of each contig as it is done when the allele dictionary is complete (a
// loaded matrix; its lines of the table are written then), else once every contig is counted (a
// streamed input, whose dictionary grows). A contig's counts are kept only up to the largest
// allele code it holds, so memory follows the contigs.

import { rangeColumns, type Conversion } from '../dispatch/conversion.js';
import { AlleleDictionary, canonicalAlleles, SEED_ALLELES } from '../layout/allele-dictionary.js';
import type { HaplotypePair } from '../layout/types.js';
import type { StatsCounts, StatsTask } from '../worker/messages.js';
import type { ContigStats, MatrixStats, SiteStats } from './matrix-stats.js';
import { scopeLines, statsOutputChunks, statsTableHeader, TextChunks } from './stats-table.js';

/** The statistics' description for the driver; `result()` gives them once the run is done. */
export interface StatsConversion extends Conversion<StatsTask> {
  result(): MatrixStats;
}

/** Counts of one contig, its cells up to the largest allele code it holds. */
interface ContigCounts {
  name: string;
  counts: StatsCounts;
}

/** Options of `statsConversion`. */
export interface StatsConversionOptions {
  /** Write the statistics (TSV or JSON) as the run's output. */
  format?: 'tsv' | 'json';
  chunkRows?: number;
  /**
   * The allele dictionary is complete before the run (a loaded matrix): each contig's statistics
   * are made as it is done, and its lines of the TSV table written then, while the workers count
   * the next contigs, instead of all of them after the last.
   */
  dictionaryComplete?: boolean;
}

/** Describes the statistics for the driver; `format` set writes them (TSV or JSON) as the run's output. */
export function statsConversion(pairsOf: (samples: readonly string[]) => HaplotypePair[], options: StatsConversionOptions = {}): StatsConversion {
  let pairs: HaplotypePair[] = [];
  let columnPairs: [number, number][] = [];
  let samples: readonly string[] = [];
  let dictionary: SharedArrayBuffer | undefined;
  let current: StatsCounts | undefined;
  const contigs: ContigCounts[] = [];
  let cached: MatrixStats | undefined;
  // With a complete dictionary: the names, each contig's statistics, the genome's counts and the table so far.
  let names: Names | undefined;
  const done: ContigStats[] = [];
  let genome: StatsCounts | undefined;
  let table: TextChunks | undefined;
  const conversion: StatsConversion = {
    ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
    begin(first) {
      samples = first?.layout.samples ?? [];
      pairs = pairsOf(samples);
      columnPairs = pairs.map((pair) => pair.columns);
      if (options.dictionaryComplete && first) {
        const strings = AlleleDictionary.shared(first.layout.alleles).toStrings();
        names = namesOf(strings, samples, pairs);
        genome = emptyCounts(samples.length, pairs.length, strings.length);
        if (options.format === 'tsv') {
          table = new TextChunks();
          table.add(statsTableHeader());
        }
      }
      return undefined;
    },
    task: (range) => {
      return { kind: 'stats', ...rangeColumns(range), pairs: columnPairs };
    },
    collect(counts) {
      // The first range of a contig is its counts, unless more ranges follow (a long contig).
      if (!current) current = counts;
      else current = addCounts(current.stride >= counts.stride ? current : addCounts(emptyCounts(samples.length, pairs.length, counts.stride), current), counts);
    },
    contigDone(unit) {
      dictionary = unit.layout.alleles;
      // The counts as they came: their cells stop at the largest code the contig holds.
      const counts = current ?? emptyCounts(samples.length, pairs.length, 0);
      current = undefined;
      if (!names || !genome) {
        contigs.push({ name: unit.contig.name, counts });
        return undefined;
      }
      addCounts(genome, counts);
      const stats = contigStats(unit.contig.name, siteStats(counts, names));
      done.push(stats);
      return table?.add(scopeLines(stats.contig, stats));
    },
    end() {
      if (options.format === undefined) return undefined;
      if (!table) return statsOutputChunks(conversion.result(), options.format);
      const last = table.add(scopeLines('*', conversion.result().genome));
      return [last, table.rest()].filter((bytes): bytes is Uint8Array => bytes !== undefined);
    },
    result() {
      if (cached) return cached;
      if (names && genome) {
        cached = { contigs: done, genome: siteStats(genome, names) };
        return cached;
      }
      // Alleles in the dictionary's canonical order (seed alleles, then the others by their bytes),
      // whatever order a streamed input met them in.
      const strings = dictionary ? AlleleDictionary.shared(dictionary).toStrings() : [...SEED_ALLELES];
      const all = namesOf(strings, samples, pairs);
      const sum = emptyCounts(samples.length, pairs.length, strings.length);
      for (const contig of contigs) addCounts(sum, contig.counts);
      cached = {
        contigs: contigs.map((contig) => contigStats(contig.name, siteStats(contig.counts, all))),
        genome: siteStats(sum, all),
      };
      return cached;
    },
  };
  return conversion;
}

/** The names the statistics list: samples, every allele of the dictionary `strings` in canonical order (seed alleles, then the others by their bytes) with its code, pairs. */
function namesOf(strings: readonly string[], samples: readonly string[], pairs: readonly HaplotypePair[]): Names {
  const alleles = canonicalAlleles(strings).map((allele) => ({ allele, code: strings.indexOf(allele) }));
  return { samples, alleles, pairs: pairs.map((pair) => pair.name) };
}

/** A contig's statistics: its name first (as JSON lists it), then its site statistics; no object spread, which cost more than building them. */
function contigStats(contig: string, stats: SiteStats): ContigStats {
  const { sites, variableSites, droppedSites, multiallelicSites, haplotypes, alleles, pairs } = stats;
  return { contig, sites, variableSites, droppedSites, multiallelicSites, haplotypes, alleles, pairs };
}

function emptyCounts(width: number, pairs: number, stride: number): StatsCounts {
  return { sites: 0, variableSites: 0, multiallelicSites: 0, cells: new Float64Array(width * stride), stride, pairCalled: new Float64Array(pairs), pairHet: new Float64Array(pairs) };
}

/** Adds `counts` into `into`, whose stride is at least as large (no code of `counts` is left out); returns `into`. */
function addCounts(into: StatsCounts, counts: StatsCounts): StatsCounts {
  if (counts.stride > into.stride) throw new RangeError(`statistics: counts of ${counts.stride} alleles added to counts of ${into.stride}`);
  into.sites += counts.sites;
  into.variableSites += counts.variableSites;
  into.multiallelicSites += counts.multiallelicSites;
  const { stride: to } = into;
  const { stride: from } = counts;
  const width = from === 0 ? 0 : counts.cells.length / from;
  for (let h = 0; h < width; h++) {
    for (let c = 0; c < from; c++) into.cells[h * to + c] = (into.cells[h * to + c] as number) + (counts.cells[h * from + c] as number);
  }
  counts.pairCalled.forEach((n, i) => (into.pairCalled[i] = (into.pairCalled[i] as number) + n));
  counts.pairHet.forEach((n, i) => (into.pairHet[i] = (into.pairHet[i] as number) + n));
  return into;
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

function siteStats(counts: StatsCounts, names: Names): SiteStats {
  const { sites, cells, stride } = counts;
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
