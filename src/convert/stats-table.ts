// The statistics as a readable TSV table, one statistic per line (README, "genomatrix stats").
//
//   contig  statistic  item  count  total  rate
//
// `contig` is the contig name, or `*` for the whole genome (its lines come last); `item` names
// the haplotype, allele or pair a line is about (`.` for site counts); `rate` is count / total
// with six decimals (`.` when the line has no total, `NA` when the total is 0).

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

/** Formats statistics as the TSV table, header line first. */
export function statsTable(stats: MatrixStats): string {
  const lines = [STATS_COLUMNS.join('\t')];
  for (const contig of stats.contigs) lines.push(...scopeLines(contig.contig, contig));
  lines.push(...scopeLines('*', stats.genome));
  return lines.join('\n') + '\n';
}

function scopeLines(scope: string, stats: SiteStats): string[] {
  const cells = stats.sites * stats.haplotypes.length;
  const line = (statistic: StatsStatistic, item: string, count: number, total?: number): string =>
    [scope, statistic, item, count, total ?? '.', rate(count, total)].join('\t');
  return [
    line(StatsStatistic.sites, '.', stats.sites),
    line(StatsStatistic.variableSites, '.', stats.variableSites, stats.sites),
    line(StatsStatistic.droppedSites, '.', stats.droppedSites, stats.sites),
    line(StatsStatistic.multiallelicSites, '.', stats.multiallelicSites, stats.sites),
    ...stats.haplotypes.map((h) => line(StatsStatistic.missing, h.haplotype, h.missing, stats.sites)),
    ...stats.haplotypes.map((h) => line(StatsStatistic.deletions, h.haplotype, h.deletions, stats.sites)),
    ...stats.alleles.map((a) => line(StatsStatistic.alleleCells, a.allele, a.cells, cells)),
    ...stats.pairs.map((p) => line(StatsStatistic.calledSites, p.pair, p.calledSites, stats.sites)),
    ...stats.pairs.map((p) => line(StatsStatistic.hetSites, p.pair, p.hetSites, p.calledSites)),
  ];
}

function rate(count: number, total: number | undefined): string {
  if (total === undefined) return '.';
  return total === 0 ? 'NA' : (count / total).toFixed(6);
}
