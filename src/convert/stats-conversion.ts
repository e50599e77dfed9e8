// The statistics as a conversion for the driver: workers count row ranges (worker/stats-chunk.ts),
// the main thread adds each contig's range counts as they come, in genome order. When the allele
// dictionary is complete (a loaded matrix), each contig's lines of the table are written as it is
// done, straight from its counts (by the worker that counted it, for plain text); else (a
// streamed input, whose dictionary grows) once every contig is counted. The statistics objects
// `result()` returns are made from the counts kept, when asked for. A contig's counts are kept
// only up to the largest allele code it holds, so memory follows the contigs.

import type { ContigUnit } from '../dispatch/contig-source.js';
import { DEFAULT_CHUNK_ROWS, rangeColumns, type ContigSpan, type Conversion, type RangeTask, type SpanLimits } from '../dispatch/conversion.js';
import { longestName } from '../layout/contig-names.js';
import { AlleleDictionary, SEED_ALLELES } from '../layout/allele-dictionary.js';
import type { HaplotypePair } from '../layout/types.js';
import type { ContigStats, MatrixStats, SiteStats } from './matrix-stats.js';
import type { StatsCounts, StatsNames, StatsTask, TransferredChunk } from '../worker/messages.js';
import { addCounts, emptyCounts } from '../worker/stats-chunk.js';
import { lineMiddles, scopeBytesBound, scopeChunks, scopeNumbers, scopeScratch, statsNames, statsOutputChunks, StatsTableWriter, type ScopeNumbers, type ScopeScratch } from './stats-table.js';

/** The statistics' description for the driver; `result()` gives them once the run is done. */
export interface StatsConversion extends Conversion<StatsTask> {
  /** The statistics; throws when they were not kept (`keep: false`). */
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
   * The allele dictionary is complete before the run (a loaded matrix): each contig's lines of the
   * TSV table are written as it is done, while the workers count the next contigs, instead of all
   * of them after the last.
   */
  dictionaryComplete?: boolean;
  /**
   * With `dictionaryComplete`: the lines of a contig of one range are written by its task, in the
   * workers, contigs in parallel (default false). The bytes of each task are then its own (its own
   * BGZF blocks when compressed): a run that writes BGZF leaves this off, so that its lines come in
   * chunks of 1 MiB as those of a streamed run do, and both write the same bytes.
   */
  linesInWorkers?: boolean;
  /**
   * Keep each contig's counts for `result()` (default true). A run that only writes the TSV table
   * of a loaded matrix keeps none: memory stays that of one contig's counts, whatever their number.
   */
  keep?: boolean;
}

/** Describes the statistics for the driver; `format` set writes them (TSV or JSON) as the run's output. */
export function statsConversion(pairsOf: (samples: readonly string[]) => HaplotypePair[], options: StatsConversionOptions = {}): StatsConversion {
  let pairs: HaplotypePair[] = [];
  let columnPairs: [number, number][] = [];
  let samples: readonly string[] = [];
  let dictionary: SharedArrayBuffer | undefined;
  let current: StatsCounts | undefined;
  const contigs: ContigCounts[] = [];
  // With a complete dictionary: the names, the genome's counts so far and the table, written as contigs are done.
  let names: StatsNames | undefined;
  let genome: StatsCounts | undefined;
  let table: StatsTableWriter | undefined;
  let scratch: ScopeScratch | undefined;
  // Whether the current contig's lines were written by its worker (a contig of one range).
  let written = false;
  const keep = options.keep !== false || options.format === 'json' || !options.dictionaryComplete;
  // Contigs of joined groups (see `collectJoined`) whose `contigDone` is still to come: their lines
  // are written and their counts in the genome's.
  let joinedContigs = 0;
  let cached: MatrixStats | undefined;
  const conversion: StatsConversion = {
    ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
    begin(first) {
      samples = first?.layout.samples ?? [];
      pairs = pairsOf(samples);
      columnPairs = pairs.map((pair) => pair.columns);
      if (!options.dictionaryComplete || !first) return undefined;
      names = namesOf(AlleleDictionary.shared(first.layout.alleles).toStrings(), samples, pairs);
      scratch = scopeScratch(names);
      genome = emptyCounts(samples.length, pairs.length, names.stride);
      if (options.format !== 'tsv') return undefined;
      if (!options.linesInWorkers) {
        // Chunks of 1 MiB, handed on as they fill (the table's chunks of a streamed run).
        table = new StatsTableWriter(names);
        return table.header();
      }
      // Chunks of a contig's lines at most: each is written as its contig is done.
      table = new StatsTableWriter(names, 1 << 16);
      table.header();
      return table.rest();
    },
    task: (range) => {
      const task: StatsTask = { kind: 'stats', ...rangeColumns(range), pairs: columnPairs };
      if (!table || !options.linesInWorkers) return task;
      // The lines of a contig of one range are written by its worker; a longer contig's here, from its summed counts.
      task.encodes = true;
      task.table = names;
      task.whole = range.contigFrom === 0 && range.last;
      return task;
    },
    collect(result, range) {
      written = table !== undefined && options.linesInWorkers === true && range.contigFrom === 0 && range.last;
      // An encoding task's counts come beside its lines.
      const counts = 'data' in result ? (result.data as StatsCounts) : (result as StatsCounts);
      // The first range of a contig is its counts, unless more ranges follow (a long contig).
      if (!current) current = counts;
      else current = addCounts(current.stride >= counts.stride ? current : addCounts(emptyCounts(samples.length, pairs.length, counts.stride), current), counts);
    },
    contigDone(unit) {
      dictionary = unit.layout.alleles;
      if (joinedContigs > 0) {
        joinedContigs--;
        return undefined;
      }
      // The counts as they came: their cells stop at the largest code the contig holds.
      const counts = current ?? emptyCounts(samples.length, pairs.length, 0);
      current = undefined;
      if (keep) contigs.push({ name: unit.contig.name, counts });
      if (!names || !genome || !scratch) return undefined;
      addCounts(genome, counts);
      if (!table || written) return undefined;
      const full = table.scope(unit.contig.name, scopeNumbers(counts, names, scratch));
      // Beside the workers' lines, a contig's own lines go at once, in contig order.
      return options.linesInWorkers ? table.rest() : full;
    },
    end() {
      if (options.format === 'json') return statsOutputChunks(conversion.result(), 'json');
      if (options.format !== 'tsv') return undefined;
      if (table && names && genome) return tableEnd(table, genome, names);
      // A streamed input: every contig's lines now, the dictionary complete.
      const all = finalNames();
      const streamed = new StatsTableWriter(all);
      streamed.header();
      return tableEnd(streamed, sumCounts(all), all, contigs);
    },
    // Groups of small contigs run joined (stats-chunk.ts `runStatsJoined`) when the workers write
    // the table and no contig's counts are kept: one sum of counts comes back per group; on a
    // loaded matrix, as spans.
    ...(!keep && options.format === 'tsv' && options.linesInWorkers && options.dictionaryComplete
      ? {
          collectJoined(result: StatsCounts | TransferredChunk, ranges: readonly RangeTask[]) {
            addJoined(result);
            joinedContigs += ranges.length;
          },
          // A span's slot holds its contigs' lines as the binding writes them: slots sized by
          // the lines of the first spans that came back (the first four overflowed into the
          // workers' own buffers, then new slots) made the run 1.06x slower.
          spans: (first: ContigUnit) => {
            const limits: SpanLimits = { rows: options.chunkRows ?? DEFAULT_CHUNK_ROWS };
            if (names) limits.contigBytes = contigBytesBound(names, longestName(first.layout));
            return limits;
          },
          collectSpan(results: readonly (StatsCounts | TransferredChunk)[], span: ContigSpan) {
            addJoined(results[0] as StatsCounts | TransferredChunk);
            dictionary = span.layout.alleles;
          },
        }
      : {}),
    result() {
      if (cached) return cached;
      if (!keep) throw new Error('statistics: the counts of each contig were not kept');
      const all = finalNames();
      const numbers = scopeScratch(all);
      cached = {
        contigs: contigs.map((contig) => contigStats(contig.name, siteStats(contig.counts, all, numbers))),
        genome: siteStats(genome ?? sumCounts(all), all, numbers),
      };
      return cached;
    },
  };

  /** Adds a joined group's counts (their sum, beside the lines its worker wrote) to the genome's. */
  function addJoined(result: StatsCounts | TransferredChunk): void {
    if (!genome || !('data' in result)) throw new Error("statistics: a joined group without the genome's counts");
    addCounts(genome, result.data as StatsCounts);
  }

  /** The names of a complete dictionary, or of the last contig's (a streamed input's grows). */
  function finalNames(): StatsNames {
    if (names) return names;
    const strings = dictionary ? AlleleDictionary.shared(dictionary).toStrings() : [...SEED_ALLELES];
    return namesOf(strings, samples, pairs);
  }

  /** The genome's counts, summed from the kept contigs'. */
  function sumCounts(all: StatsNames): StatsCounts {
    const sum = emptyCounts(samples.length, pairs.length, all.stride);
    for (const contig of contigs) addCounts(sum, contig.counts);
    return sum;
  }
  return conversion;
}

/** Most bytes of a contig's lines of the table (`scopeBytesBound`) for names of up to `nameBytes`. */
function contigBytesBound(names: StatsNames, nameBytes: number): number {
  const middles = lineMiddles(names);
  let middleBytes = 0;
  for (const middle of middles) middleBytes += middle.length;
  return scopeBytesBound(middles.length, middleBytes, nameBytes);
}

/** The table's last chunks: the lines of `contigs` (when not written yet), then the genome's. */
function tableEnd(table: StatsTableWriter, genome: StatsCounts, names: StatsNames, contigs: readonly ContigCounts[] = []): Generator<Uint8Array> {
  const scratch = scopeScratch(names);
  function* scopes(): Generator<readonly [string, ScopeNumbers]> {
    for (const contig of contigs) yield [contig.name, scopeNumbers(contig.counts, names, scratch)];
    yield ['*', scopeNumbers(genome, names, scratch)];
  }
  return scopeChunks(table, scopes());
}

/** The names the statistics list: samples, every allele of the dictionary `strings` with its code, pairs. */
function namesOf(strings: readonly string[], samples: readonly string[], pairs: readonly HaplotypePair[]): StatsNames {
  return statsNames(strings, samples, pairs.map((pair) => pair.name));
}

/** A contig's statistics: its name first (as JSON lists it), then its site statistics; no object spread, which cost more than building them. */
function contigStats(contig: string, stats: SiteStats): ContigStats {
  const { sites, variableSites, droppedSites, multiallelicSites, haplotypes, alleles, pairs } = stats;
  return { contig, sites, variableSites, droppedSites, multiallelicSites, haplotypes, alleles, pairs };
}

/** A count per site of a scope (0 for a scope without sites). */
export function perSite(n: number, sites: number): number {
  return sites > 0 ? n / sites : 0;
}

/** Heterozygous sites per called site of a pair (null when no site is called). */
export function hetRate(hetSites: number, calledSites: number): number | null {
  return calledSites > 0 ? hetSites / calledSites : null;
}

/** A scope's statistics, from its counts (`scratch` holds its numbers until they are copied out). */
function siteStats(counts: StatsCounts, names: StatsNames, scratch: ScopeScratch): SiteStats {
  const numbers = scopeNumbers(counts, names, scratch);
  const { sites } = numbers;
  return {
    sites,
    variableSites: numbers.variableSites,
    droppedSites: numbers.droppedSites,
    multiallelicSites: numbers.multiallelicSites,
    haplotypes: names.haplotypes.map((haplotype, h) => {
      const missing = numbers.missing[h] as number;
      const deletions = numbers.deletions[h] as number;
      return { haplotype, missing, missingRate: perSite(missing, sites), deletions, deletionRate: perSite(deletions, sites) };
    }),
    alleles: names.alleles.map(({ allele }, a) => ({ allele, cells: numbers.alleleCells[a] as number })),
    pairs: names.pairs.map((pair, p) => {
      const calledSites = counts.pairCalled[p] as number;
      const hetSites = counts.pairHet[p] as number;
      return { pair, calledSites, hetSites, hetRate: hetRate(hetSites, calledSites) };
    }),
  };
}
