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
  return Buffer.concat([...statsTableChunks(stats)]).toString('utf8');
}

/** Bytes of table text per chunk `statsTableChunks` yields. */
const CHUNK_BYTES = 1 << 20;

/**
 * The TSV table as UTF-8 bytes in chunks of about 1 MB, so no string grows with the matrix (100,000
 * haplotypes x many contigs). Each scope's text is one short-lived string written into the chunk: a
 * table of 20,000 contigs is millions of lines, and a string of them all (or a rope of them) cost
 * more in garbage collection than the formatting itself.
 */
export function* statsTableChunks(stats: MatrixStats, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const chunks = new TextChunks(chunkBytes);
  chunks.add(statsTableHeader());
  for (const contig of stats.contigs) {
    const full = chunks.add(scopeLines(contig.contig, contig));
    if (full) yield full;
  }
  const full = chunks.add(scopeLines('*', stats.genome));
  if (full) yield full;
  const rest = chunks.rest();
  if (rest) yield rest;
}

/** The table's header line. */
export function statsTableHeader(): string {
  return `${STATS_COLUMNS.join('\t')}\n`;
}

/** Text gathered as UTF-8 into chunks of about `chunkBytes` (a chunk is handed on whole, never reused). */
export class TextChunks {
  private chunk: Buffer;
  private at = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Adds `text`; returns the chunk it filled, when it did. */
  add(text: string): Uint8Array | undefined {
    const most = 3 * text.length; // UTF-8 bytes of a string of this many UTF-16 units, at most
    let full: Uint8Array | undefined;
    if (this.at + most > this.chunk.length) {
      if (this.at > 0) full = this.chunk.subarray(0, this.at);
      this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, most));
      this.at = 0;
    }
    this.at += this.chunk.write(text, this.at);
    return full;
  }

  /** The bytes added since the last chunk handed on, if any. */
  rest(): Uint8Array | undefined {
    if (this.at === 0) return undefined;
    const rest = this.chunk.subarray(0, this.at);
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.at = 0;
    return rest;
  }
}

/** The statistics as written (the TSV table, or JSON as `JSON.stringify(stats, null, 2)` and a newline), as UTF-8 in chunks of bounded size. */
export function* statsOutputChunks(stats: MatrixStats, format: 'tsv' | 'json', chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  if (format === 'tsv') return yield* statsTableChunks(stats, chunkBytes);
  for (const piece of jsonChunks(stats, chunkBytes)) yield Buffer.from(piece);
  yield Buffer.from('\n');
}

/** The lines of one scope (a contig, or `*` the genome). */
export function scopeLines(scope: string, stats: SiteStats): string {
  const cells = stats.sites * stats.haplotypes.length;
  const { sites } = stats;
  let text = '';
  const line = (statistic: StatsStatistic, item: string, count: number, total?: number): void => {
    text += `${scope}\t${statistic}\t${item}\t${total === undefined ? `${count}\t.\t.\n` : counted(count, total)}`;
  };
  line(StatsStatistic.sites, '.', sites);
  line(StatsStatistic.variableSites, '.', stats.variableSites, sites);
  line(StatsStatistic.droppedSites, '.', stats.droppedSites, sites);
  line(StatsStatistic.multiallelicSites, '.', stats.multiallelicSites, sites);
  for (const h of stats.haplotypes) line(StatsStatistic.missing, h.haplotype, h.missing, sites);
  for (const h of stats.haplotypes) line(StatsStatistic.deletions, h.haplotype, h.deletions, sites);
  for (const a of stats.alleles) line(StatsStatistic.alleleCells, a.allele, a.cells, cells);
  for (const p of stats.pairs) line(StatsStatistic.calledSites, p.pair, p.calledSites, sites);
  for (const p of stats.pairs) line(StatsStatistic.hetSites, p.pair, p.hetSites, p.calledSites);
  return text;
}

/** Line ends (`count total rate`) already formatted, by count and total: few distinct ones in the lines of many small contigs. */
const ends = new Map<number, string>();

/** `count\ttotal\trate\n`, formatted once for each count and total below 2^26. */
function counted(count: number, total: number): string {
  if (!(Number.isInteger(count) && Number.isInteger(total) && count >= 0 && total >= 0 && count < 2 ** 26 && total < 2 ** 26)) return `${count}\t${total}\t${rate(count, total)}\n`;
  const key = count * 2 ** 26 + total;
  let end = ends.get(key);
  if (end === undefined) {
    if (ends.size >= MAX_RATES) ends.clear();
    end = `${count}\t${total}\t${rate(count, total)}\n`;
    ends.set(key, end);
  }
  return end;
}

/** Rates already formatted, by value: the table of many small contigs holds few distinct rates, millions of times. */
const rates = new Map<number, string>();
/** Most rates kept formatted (the cache is emptied when full: a large matrix's rates are mostly distinct). */
const MAX_RATES = 1 << 16;

function rate(count: number, total: number): string {
  if (total === 0) return 'NA';
  const value = count / total;
  let text = rates.get(value);
  if (text === undefined) {
    if (rates.size >= MAX_RATES) rates.clear();
    text = value.toFixed(6);
    rates.set(value, text);
  }
  return text;
}
