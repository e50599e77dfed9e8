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
 * haplotypes x many contigs). The lines are written as bytes straight into the chunk: names encoded
 * once, numbers digit by digit, each distinct rate formatted once. A table of 20,000 contigs is two
 * million lines, and a string per line (or per contig) cost more in formatting, encoding and
 * garbage collection than the counting.
 */
export function* statsTableChunks(stats: MatrixStats, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const out = new LineWriter(chunkBytes);
  out.text(`${STATS_COLUMNS.join('\t')}\n`);
  const scopes: (readonly [string, SiteStats])[] = stats.contigs.map((contig) => [contig.contig, contig] as const);
  scopes.push(['*', stats.genome]);
  const names = new Map<string, Uint8Array>();
  const encoded = (name: string): Uint8Array => {
    let bytes = names.get(name);
    if (!bytes) names.set(name, (bytes = Buffer.from(name, 'utf8')));
    return bytes;
  };
  for (const [scope, site] of scopes) {
    const scopeBytes = Buffer.from(scope, 'utf8');
    const cells = site.sites * site.haplotypes.length;
    const { sites } = site;
    const line = (statistic: Uint8Array, item: Uint8Array, count: number, total?: number): void => {
      out.room(scopeBytes.length + statistic.length + item.length + 3 * MAX_NUMBER_BYTES + 6);
      out.bytes(scopeBytes);
      out.bytes(statistic);
      out.bytes(item);
      out.tab();
      out.number(count);
      if (total === undefined) out.bytes(NO_TOTAL);
      else {
        out.tab();
        out.number(total);
        out.tab();
        out.bytes(rate(count, total));
        out.newline();
      }
    };
    line(STATISTIC.sites, DOT, sites);
    line(STATISTIC.variableSites, DOT, site.variableSites, sites);
    line(STATISTIC.droppedSites, DOT, site.droppedSites, sites);
    line(STATISTIC.multiallelicSites, DOT, site.multiallelicSites, sites);
    for (const h of site.haplotypes) line(STATISTIC.missing, encoded(h.haplotype), h.missing, sites);
    for (const h of site.haplotypes) line(STATISTIC.deletions, encoded(h.haplotype), h.deletions, sites);
    for (const a of site.alleles) line(STATISTIC.alleleCells, encoded(a.allele), a.cells, cells);
    for (const p of site.pairs) line(STATISTIC.calledSites, encoded(p.pair), p.calledSites, sites);
    for (const p of site.pairs) line(STATISTIC.hetSites, encoded(p.pair), p.hetSites, p.calledSites);
    yield* out.full();
  }
  yield* out.rest();
}

/** Each statistic's name between tabs, as written after the scope: `\t<name>\t`. */
const STATISTIC = Object.fromEntries(Object.entries(StatsStatistic).map(([key, name]) => [key, Buffer.from(`\t${name}\t`)])) as unknown as Record<keyof typeof StatsStatistic, Uint8Array>;
const DOT = Buffer.from('.');
/** The end of a line without a total: no total, no rate. */
const NO_TOTAL = Buffer.from('\t.\t.\n');
/** Most bytes a number takes as `String(n)` writes it (-1.7976931348623157e+308). */
const MAX_NUMBER_BYTES = 24;
const TAB = 9;
const NEWLINE = 10;
const ZERO = 48;

/** Lines written as bytes into chunks of at least `chunkBytes`; full chunks handed on, never reused. */
class LineWriter {
  private chunk: Buffer;
  private at = 0;
  private readonly done: Uint8Array[] = [];

  constructor(private readonly chunkBytes: number) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `bytes` more: a new chunk when this one lacks it. */
  room(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    if (this.at > 0) this.done.push(this.chunk.subarray(0, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.at = 0;
  }

  bytes(bytes: Uint8Array): void {
    const { chunk } = this;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) chunk[at++] = bytes[i] as number;
    this.at = at;
  }

  /** Text of any length (room is made for it). */
  text(text: string): void {
    this.room(3 * text.length);
    this.at += this.chunk.write(text, this.at);
  }

  /** A number as `String(n)` writes it: digit by digit for a non-negative safe integer. */
  number(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) {
      this.at += this.chunk.write(String(n), this.at, 'latin1');
      return;
    }
    const { chunk } = this;
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    let rest = n;
    do {
      chunk[--at] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  tab(): void {
    this.chunk[this.at++] = TAB;
  }

  newline(): void {
    this.chunk[this.at++] = NEWLINE;
  }

  /** The chunks filled since the last call. */
  *full(): Generator<Uint8Array> {
    while (this.done.length > 0) yield this.done.shift() as Uint8Array;
  }

  /** Every chunk left, the last one partly filled. */
  *rest(): Generator<Uint8Array> {
    yield* this.full();
    if (this.at > 0) yield this.chunk.subarray(0, this.at);
    this.at = 0;
  }
}

/** The statistics as written (the TSV table, or JSON as `JSON.stringify(stats, null, 2)` and a newline), as UTF-8 in chunks of bounded size. */
export function* statsOutputChunks(stats: MatrixStats, format: 'tsv' | 'json', chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  if (format === 'tsv') return yield* statsTableChunks(stats, chunkBytes);
  for (const piece of jsonChunks(stats, chunkBytes)) yield Buffer.from(piece);
  yield Buffer.from('\n');
}

/** Rates already formatted, by value: the table of many small contigs holds few distinct rates, millions of times. */
const rates = new Map<number, Uint8Array>();
/** Most rates kept formatted (the cache is emptied when full: a large matrix's rates are mostly distinct). */
const MAX_RATES = 1 << 16;
const NA = Buffer.from('NA');

/** count / total with six decimals, `NA` when the total is 0. */
function rate(count: number, total: number): Uint8Array {
  if (total === 0) return NA;
  const value = count / total;
  let bytes = rates.get(value);
  if (bytes === undefined) {
    if (rates.size >= MAX_RATES) rates.clear();
    bytes = Buffer.from(value.toFixed(6), 'latin1');
    rates.set(value, bytes);
  }
  return bytes;
}
