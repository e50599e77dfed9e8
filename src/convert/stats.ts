// Statistics of a loaded matrix, per contig and for the whole genome. Workers count row ranges
// (stats-chunk.ts); the main thread adds the counts of each contig's ranges, then derives rates.

import { runOrdered } from '../dispatch/run-ordered.js';
import { UsageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { StatsCounts } from '../worker/messages.js';
import { openOutput } from '../write/output-sink.js';
import { conversionPairs } from './pairs.js';
import { rowRanges } from './row-ranges.js';
import { statsTableChunks } from './stats-table.js';

/** Options of `stats`. */
export interface StatsOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Also write the statistics to this file (`-`: standard output); default: only return them. */
  output?: string;
  /** What to write: the TSV table (default) or JSON. */
  format?: 'tsv' | 'json';
  /** Rows per worker task. */
  chunkRows?: number;
  signal?: AbortSignal;
}

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

/**
 * Counts sites, variable and multi-allelic sites, missing and deleted cells, alleles and
 * heterozygous sites per pair, per contig and for the whole genome.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * const { genome, contigs } = await stats(matrix);
 * console.log(genome.variableSites, contigs.map((c) => c.pairs[0]?.hetRate));
 * await matrix.close();
 */
export async function stats(matrix: Matrix, options: StatsOptions = {}): Promise<MatrixStats> {
  const pairs = conversionPairs(matrix, options.pairs);
  const { layout } = matrix;
  const width = matrix.samples.length;
  const totals = matrix.contigs.map(() => emptyCounts(width, pairs.length));
  const ranges = rowRanges(layout, options.chunkRows);
  const columnPairs = pairs.map((pair) => pair.columns);
  await runOrdered(
    ranges.length,
    2 * matrix.threads,
    (i) => {
      const { batch, from, to } = ranges[i] as (typeof ranges)[number];
      return matrix.pool.run({ kind: 'stats', buffers: layout.buffers, alleles: layout.alleles, batch, from, to, pairs: columnPairs }, options.signal);
    },
    (counts, i) => {
      const batch = (ranges[i] as (typeof ranges)[number]).batch;
      addCounts(totals[layout.batches.indexOf(batch)] as StatsCounts, counts);
    },
  );
  const genomeCounts = emptyCounts(width, pairs.length);
  for (const counts of totals) addCounts(genomeCounts, counts);

  const names = { samples: matrix.samples, alleles: matrix.alleles, pairs: pairs.map((pair) => pair.name) };
  const result: MatrixStats = {
    contigs: matrix.contigs.map((contig, i) => ({ contig: contig.name, ...siteStats(totals[i] as StatsCounts, names) })),
    genome: siteStats(genomeCounts, names),
  };
  if (options.output !== undefined) await writeStats(result, options.output, options.format ?? 'tsv', [matrix.source]);
  return result;
}

/**
 * The statistics of a whole matrix from those of shards of its contigs (`stats --contigs`): the
 * contigs of every part in order, and the genome summed from them. The same as `stats` of the whole
 * matrix when the parts together hold each of its contigs once, in matrix order. Throws a
 * `UsageError` when the parts do not fit together (other haplotypes, alleles or pairs, or a contig
 * twice); `names` name the parts in the messages.
 *
 * @example
 * const whole = mergeStats([await stats(shard1), await stats(shard2)]);
 */
export function mergeStats(parts: readonly MatrixStats[], names: readonly string[] = parts.map((_, i) => `part ${i + 1}`)): MatrixStats {
  const [first] = parts;
  if (!first) throw new UsageError('no statistics to merge');
  const keyOf = (stats: SiteStats) => JSON.stringify([stats.haplotypes.map((h) => h.haplotype), stats.alleles.map((a) => a.allele), stats.pairs.map((p) => p.pair)]);
  const key = keyOf(first.genome);
  const seen = new Set<string>();
  parts.forEach((part, i) => {
    if (keyOf(part.genome) !== key || part.contigs.some((contig) => keyOf(contig) !== key)) {
      throw new UsageError(`${names[i]}: other haplotypes, alleles or pairs than ${names[0]}: not shards of one matrix`);
    }
    for (const contig of part.contigs) {
      if (seen.has(contig.contig)) throw new UsageError(`${names[i]}: contig ${contig.contig} is in an earlier part already`);
      seen.add(contig.contig);
    }
  });
  const contigs = parts.flatMap((part) => part.contigs);
  return { contigs, genome: sumSiteStats(contigs, first.genome) };
}

/** The statistics of the union of `scopes`, disjoint sets of sites; `shape` gives the names when there are none. */
function sumSiteStats(scopes: readonly SiteStats[], shape: SiteStats): SiteStats {
  const sum = (of: (stats: SiteStats) => number): number => scopes.reduce((total, stats) => total + of(stats), 0);
  const sites = sum((stats) => stats.sites);
  return {
    sites,
    variableSites: sum((stats) => stats.variableSites),
    droppedSites: sum((stats) => stats.droppedSites),
    multiallelicSites: sum((stats) => stats.multiallelicSites),
    haplotypes: shape.haplotypes.map(({ haplotype }, h) => {
      const missing = sum((stats) => stats.haplotypes[h]?.missing ?? 0);
      const deletions = sum((stats) => stats.haplotypes[h]?.deletions ?? 0);
      return { haplotype, missing, missingRate: perSite(missing, sites), deletions, deletionRate: perSite(deletions, sites) };
    }),
    alleles: shape.alleles.map(({ allele }, a) => ({ allele, cells: sum((stats) => stats.alleles[a]?.cells ?? 0) })),
    pairs: shape.pairs.map(({ pair }, p) => {
      const calledSites = sum((stats) => stats.pairs[p]?.calledSites ?? 0);
      const hetSites = sum((stats) => stats.pairs[p]?.hetSites ?? 0);
      return { pair, calledSites, hetSites, hetRate: hetRate(hetSites, calledSites) };
    }),
  };
}

/** Writes statistics as the TSV table or JSON to a file (`-`: standard output), through a temporary file. */
export async function writeStats(result: MatrixStats, output: string, format: 'tsv' | 'json', inputs: readonly string[] = []): Promise<void> {
  const chunks = format === 'json' ? [`${JSON.stringify(result, null, 2)}\n`] : statsTableChunks(result);
  const sink = await openOutput(output, { inputs });
  try {
    for (const chunk of chunks) await sink.write(Buffer.from(chunk));
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

function emptyCounts(width: number, pairs: number): StatsCounts {
  return {
    sites: 0,
    variableSites: 0,
    multiallelicSites: 0,
    cells: new Float64Array(width * 256),
    pairCalled: new Float64Array(pairs),
    pairHet: new Float64Array(pairs),
  };
}

function addCounts(into: StatsCounts, counts: StatsCounts): void {
  into.sites += counts.sites;
  into.variableSites += counts.variableSites;
  into.multiallelicSites += counts.multiallelicSites;
  counts.cells.forEach((n, i) => (into.cells[i] = (into.cells[i] as number) + n));
  counts.pairCalled.forEach((n, i) => (into.pairCalled[i] = (into.pairCalled[i] as number) + n));
  counts.pairHet.forEach((n, i) => (into.pairHet[i] = (into.pairHet[i] as number) + n));
}

/** A count per site of a scope (0 for a scope without sites). */
function perSite(n: number, sites: number): number {
  return sites > 0 ? n / sites : 0;
}

/** Heterozygous sites per called site of a pair (null when no site is called). */
function hetRate(hetSites: number, calledSites: number): number | null {
  return calledSites > 0 ? hetSites / calledSites : null;
}

function siteStats(counts: StatsCounts, names: { samples: readonly string[]; alleles: readonly string[]; pairs: readonly string[] }): SiteStats {
  const { sites, cells } = counts;
  const cellsOf = (h: number, allele: string): number => {
    const code = names.alleles.indexOf(allele);
    return code < 0 ? 0 : (cells[h * 256 + code] as number);
  };
  return {
    sites,
    variableSites: counts.variableSites,
    droppedSites: sites - counts.variableSites,
    multiallelicSites: counts.multiallelicSites,
    haplotypes: names.samples.map((haplotype, h) => {
      const missing = cellsOf(h, 'N');
      const deletions = cellsOf(h, '-');
      return { haplotype, missing, missingRate: perSite(missing, sites), deletions, deletionRate: perSite(deletions, sites) };
    }),
    alleles: names.alleles.map((allele, code) => {
      let total = 0;
      for (let h = 0; h < names.samples.length; h++) total += cells[h * 256 + code] as number;
      return { allele, cells: total };
    }),
    pairs: names.pairs.map((pair, p) => {
      const calledSites = counts.pairCalled[p] as number;
      const hetSites = counts.pairHet[p] as number;
      return { pair, calledSites, hetSites, hetRate: hetRate(hetSites, calledSites) };
    }),
  };
}
