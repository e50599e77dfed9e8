// The statistics as a readable TSV table, one statistic per line (README, "genomatrix stats").
//
//   contig  statistic  item  count  total  rate
//
// `contig` is the contig name, or `*` for the whole genome (its lines come last); `item` names
// the haplotype, allele or pair a line is about (`.` for site counts); `rate` is count / total
// with six decimals (`.` when the line has no total, `NA` when the total is 0).

import { jsonChunks } from '../write/json-chunks.js';
import type { MatrixStats, SiteStats } from './matrix-stats.js';

/** Column names of the statistics table. */
export const STATS_COLUMNS = ['contig', 'statistic', 'item', 'count', 'total', 'rate'] as const;

/** The statistic names of the table, in the order they are listed for each contig. */
export const StatsStatistic = {
  sites: 'sites',
  variableSites: 'variable_sites',
  droppedSites: 'dropped_sites',
  multiallelicSites: 'multiallelic_sites',
  missing: 'missing',
  deletions: 'deletions',
  alleleCells: 'allele_cells',
  calledSites: 'called_sites',
  hetSites: 'het_sites',
} as const;
export type StatsStatistic = (typeof StatsStatistic)[keyof typeof StatsStatistic];

/** Formats statistics as the TSV table, header line first (for a table of any size, see `statsTableChunks`). */
export function statsTable(stats: MatrixStats): string {
  return [...statsTableChunks(stats)].join('');
}

/** Characters of table text per chunk `statsTableChunks` yields, by default. */
const CHUNK_CHARS = 1 << 20;

/** The TSV table in chunks of about `chunkChars` characters, so no string grows with the matrix (100,000 haplotypes x many contigs). */
export function* statsTableChunks(stats: MatrixStats, chunkChars = CHUNK_CHARS): Generator<string> {
  let chunk = `${STATS_COLUMNS.join('\t')}\n`;
  for (const scope of [...stats.contigs.map((contig) => [contig.contig, contig] as const), ['*', stats.genome] as const]) {
    for (const line of scopeLines(scope[0], scope[1])) {
      chunk += `${line}\n`;
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk !== '') yield chunk;
}

/** The statistics as written (the TSV table, or JSON as `JSON.stringify(stats, null, 2)` and a newline), in chunks of bounded size. */
export function* statsOutputChunks(stats: MatrixStats, format: 'tsv' | 'json', chunkChars = CHUNK_CHARS): Generator<string> {
  if (format === 'tsv') return yield* statsTableChunks(stats, chunkChars);
  yield* jsonChunks(stats, chunkChars);
  yield '\n';
}

/** The lines of one scope (a contig, or `*` the genome), one at a time. */
function* scopeLines(scope: string, stats: SiteStats): Generator<string> {
  const cells = stats.sites * stats.haplotypes.length;
  const line = (statistic: StatsStatistic, item: string, count: number, total?: number): string =>
    [scope, statistic, item, count, total ?? '.', rate(count, total)].join('\t');
  yield line(StatsStatistic.sites, '.', stats.sites);
  yield line(StatsStatistic.variableSites, '.', stats.variableSites, stats.sites);
  yield line(StatsStatistic.droppedSites, '.', stats.droppedSites, stats.sites);
  yield line(StatsStatistic.multiallelicSites, '.', stats.multiallelicSites, stats.sites);
  for (const h of stats.haplotypes) yield line(StatsStatistic.missing, h.haplotype, h.missing, stats.sites);
  for (const h of stats.haplotypes) yield line(StatsStatistic.deletions, h.haplotype, h.deletions, stats.sites);
  for (const a of stats.alleles) yield line(StatsStatistic.alleleCells, a.allele, a.cells, cells);
  for (const p of stats.pairs) yield line(StatsStatistic.calledSites, p.pair, p.calledSites, stats.sites);
  for (const p of stats.pairs) yield line(StatsStatistic.hetSites, p.pair, p.hetSites, p.calledSites);
}

function rate(count: number, total: number | undefined): string {
  if (total === undefined) return '.';
  return total === 0 ? 'NA' : (count / total).toFixed(6);
}
