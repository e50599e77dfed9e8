// The statistics as a readable TSV table, one statistic per line (README, "genomatrix stats").
//
//   contig  statistic  item  count  total  rate
//
// `contig` is the contig name, or `*` for the whole genome (its lines come last); `item` names
// the haplotype, allele or pair a line is about (`.` for site counts); `rate` is count / total
// with six decimals (`.` when the line has no total, `NA` when the total is 0).

import { canonicalAlleles } from '../layout/allele-dictionary.js';
import { writeDecimal } from '../write/decimal.js';
import { jsonChunks } from '../write/json-chunks.js';
import type { StatsCounts, StatsNames } from '../worker/messages.js';
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

/** The TSV table as UTF-8 bytes in chunks of about 1 MB (see `StatsTableWriter`). */
export function* statsTableChunks(stats: MatrixStats, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const { genome } = stats;
  const table = new StatsTableWriter({ haplotypes: genome.haplotypes.map((h) => h.haplotype), alleles: genome.alleles, pairs: genome.pairs.map((p) => p.pair) }, chunkBytes);
  table.header();
  function* scopes(): Generator<readonly [string, ScopeNumbers]> {
    for (const contig of stats.contigs) yield [contig.contig, siteNumbers(contig)];
    yield ['*', siteNumbers(genome)];
  }
  yield* scopeChunks(table, scopes());
}

/**
 * The chunks `table` fills with the lines of `scopes`, in order, then the rest of its last chunk.
 * Each scope's numbers are read before the next is asked for (they may be a scratch, `scopeNumbers`).
 */
export function* scopeChunks(table: StatsTableWriter, scopes: Iterable<readonly [string, ScopeNumbers]>): Generator<Uint8Array> {
  for (const [name, numbers] of scopes) {
    const full = table.scope(name, numbers);
    if (full) yield full;
  }
  const rest = table.rest();
  if (rest) yield rest;
}

/** The statistics as written (the TSV table, or JSON as `JSON.stringify(stats, null, 2)` and a newline), as UTF-8 in chunks of bounded size. */
export function* statsOutputChunks(stats: MatrixStats, format: 'tsv' | 'json', chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  if (format === 'tsv') return yield* statsTableChunks(stats, chunkBytes);
  for (const piece of jsonChunks(stats, chunkBytes)) yield Buffer.from(piece);
  yield Buffer.from('\n');
}

/** The numbers of one scope's lines (a contig, or `*` the genome), in table order. */
export interface ScopeNumbers {
  sites: number;
  variableSites: number;
  droppedSites: number;
  multiallelicSites: number;
  /** Per haplotype. */
  missing: ArrayLike<number>;
  deletions: ArrayLike<number>;
  /** Per allele, in the order listed. */
  alleleCells: ArrayLike<number>;
  /** Per pair. */
  pairCalled: ArrayLike<number>;
  pairHet: ArrayLike<number>;
}

/** The items a table's lines name: every scope of a table has the same. */
export interface StatsTableNames {
  haplotypes: readonly string[];
  /** In the order listed. */
  alleles: readonly { allele: string }[];
  pairs: readonly string[];
}

/**
 * The names of a table: the samples, every allele of the dictionary `strings` in canonical order
 * (seed alleles, then the others by their bytes, whatever order a streamed input met them in) with
 * its code, and the pairs.
 */
export function statsNames(strings: readonly string[], haplotypes: readonly string[], pairs: readonly string[]): StatsNames {
  const alleles = canonicalAlleles(strings).map((allele) => ({ allele, code: strings.indexOf(allele) }));
  return { haplotypes, alleles, pairs, missingCode: strings.indexOf('N'), deletionCode: strings.indexOf('-'), stride: strings.length };
}

/** Per-scope numbers made from counts, reused from scope to scope. */
export interface ScopeScratch {
  missing: Float64Array;
  deletions: Float64Array;
  alleleCells: Float64Array;
}

export function scopeScratch(names: StatsNames): ScopeScratch {
  const width = names.haplotypes.length;
  return { missing: new Float64Array(width), deletions: new Float64Array(width), alleleCells: new Float64Array(names.alleles.length) };
}

/**
 * The numbers of a scope's lines from its counts: missing and deleted cells per haplotype, cells
 * per allele (in `scratch`, valid until the next scope's).
 */
export function scopeNumbers(counts: StatsCounts, names: StatsNames, scratch: ScopeScratch): ScopeNumbers {
  const { sites, cells, stride } = counts;
  const { missing, deletions, alleleCells } = scratch;
  const width = names.haplotypes.length;
  const cellsOfCode = (h: number, code: number): number => (code >= 0 && code < stride ? (cells[h * stride + code] as number) : 0);
  for (let h = 0; h < width; h++) {
    missing[h] = cellsOfCode(h, names.missingCode);
    deletions[h] = cellsOfCode(h, names.deletionCode);
  }
  for (let a = 0; a < names.alleles.length; a++) {
    const { code } = names.alleles[a] as { code: number };
    let total = 0;
    for (let h = 0; h < width; h++) total += cellsOfCode(h, code);
    alleleCells[a] = total;
  }
  return { sites, variableSites: counts.variableSites, droppedSites: sites - counts.variableSites, multiallelicSites: counts.multiallelicSites, missing, deletions, alleleCells, pairCalled: counts.pairCalled, pairHet: counts.pairHet };
}

/** The numbers of a scope's statistics. */
export function siteNumbers(stats: SiteStats): ScopeNumbers {
  const { sites, variableSites, droppedSites, multiallelicSites } = stats;
  return {
    sites,
    variableSites,
    droppedSites,
    multiallelicSites,
    missing: stats.haplotypes.map((h) => h.missing),
    deletions: stats.haplotypes.map((h) => h.deletions),
    alleleCells: stats.alleles.map((a) => a.cells),
    pairCalled: stats.pairs.map((p) => p.calledSites),
    pairHet: stats.pairs.map((p) => p.hetSites),
  };
}

/**
 * The `\tstatistic\titem\t` of each line of a scope, in table order (that of `lineNumbers`), as
 * UTF-8 bytes: what every scope's lines share besides the scope's name and the numbers.
 */
export function lineMiddles(names: StatsTableNames): Uint8Array[] {
  const middle = (statistic: StatsStatistic, item: string): Uint8Array => encoder.encode(`\t${statistic}\t${item}\t`);
  const middles = [middle(StatsStatistic.sites, '.'), middle(StatsStatistic.variableSites, '.'), middle(StatsStatistic.droppedSites, '.'), middle(StatsStatistic.multiallelicSites, '.')];
  // Pushed one by one, not spread: 100,000 haplotypes are 200,000 lines.
  for (const h of names.haplotypes) middles.push(middle(StatsStatistic.missing, h));
  for (const h of names.haplotypes) middles.push(middle(StatsStatistic.deletions, h));
  for (const a of names.alleles) middles.push(middle(StatsStatistic.alleleCells, a.allele));
  for (const p of names.pairs) middles.push(middle(StatsStatistic.calledSites, p));
  for (const p of names.pairs) middles.push(middle(StatsStatistic.hetSites, p));
  return middles;
}

/**
 * Most bytes of a contig's lines of the table as the binding writes them, for a contig name of
 * `nameBytes` and the table's line middles (`lineMiddles`, `middleBytes` of them in all): per line,
 * the name, its middle, and at most 51 bytes of numbers, tabs and the newline (a count and a total
 * of up to 16 digits and a rate of 8 bytes: native/binding.c `format_end`).
 */
export function scopeBytesBound(lines: number, middleBytes: number, nameBytes: number): number {
  return lines * (nameBytes + 51) + middleBytes;
}

/** Bytes a number's text may take in a line (a count, a total or a rate). */
const NUMBER_BYTES = 32;
const encoder = new TextEncoder();

/**
 * Writes the TSV table as UTF-8 bytes (the header line, then scope by scope) into chunks of about `chunkBytes`, so no
 * string grows with the matrix (100,000 haplotypes x many contigs). A line is written byte by
 * byte: the scope, then its statistic and item (encoded once per table), then the numbers. A table
 * of 20,000 contigs is millions of lines, and a string per line (or per scope) cost more in
 * building, encoding and garbage collection than the counting itself.
 */
export class StatsTableWriter {
  private chunk!: Uint8Array;
  /** The chunk, for stores of four bytes at a time (the pieces of a line: see `scope`). */
  private view!: DataView;
  private at = 0;
  /** The bytes of `\tstatistic\titem\t` of each line of a scope. */
  private readonly middleLength: Int32Array;
  private readonly longestMiddle: number;
  /** The current scope's count and total of each line (total -1: none), and its name's bytes. */
  private readonly counts: Float64Array;
  private readonly totals: Float64Array;
  private name = new Uint8Array(64);
  private nameWords = new Uint32Array(this.name.buffer);
  /** Each line's `\tstatistic\titem\t` as little-endian words (zero-padded), from `middleWordStart[k]`. */
  private readonly middleWords: Uint32Array;
  private readonly middleWordStart: Int32Array;

  constructor(
    private readonly names: StatsTableNames,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.newChunk(chunkBytes);
    const middles = lineMiddles(names);
    this.middleLength = Int32Array.from(middles, (bytes) => bytes.length);
    this.longestMiddle = this.middleLength.reduce((most, length) => Math.max(most, length), 0);
    const words = middles.map(paddedWords);
    this.middleWordStart = new Int32Array(middles.length + 1);
    words.forEach((line, k) => (this.middleWordStart[k + 1] = (this.middleWordStart[k] as number) + line.length));
    this.middleWords = new Uint32Array(this.middleWordStart[middles.length] as number);
    words.forEach((line, k) => this.middleWords.set(line, this.middleWordStart[k] as number));
    this.counts = new Float64Array(middles.length);
    this.totals = new Float64Array(middles.length);
  }

  /** Adds the header line; returns the chunk it filled, when it did. */
  header(): Uint8Array | undefined {
    const text = statsTableHeader();
    const full = this.room(text.length);
    this.ascii(text);
    return full;
  }

  /** Adds the lines of one scope; returns the chunk they filled, when they did. */
  scope(scope: string, numbers: ScopeNumbers): Uint8Array | undefined {
    if (this.name.length < 3 * scope.length) {
      this.name = new Uint8Array(4 * Math.ceil((3 * scope.length) / 4));
      this.nameWords = new Uint32Array(this.name.buffer);
    }
    const nameLength = encoder.encodeInto(scope, this.name).written;
    if (!LITTLE_ENDIAN) littleEndianWords(this.name, this.nameWords);
    const lines = this.counts.length;
    // Each piece is stored four bytes at a time, up to 3 bytes past its end (the next piece's
    // place): room for those too.
    const full = this.room(lines * (nameLength + this.longestMiddle + 3 * NUMBER_BYTES + 4) + 4);
    this.lineNumbers(numbers);
    const { counts, totals, middleWords, middleWordStart, middleLength, nameWords } = this;
    const view = this.view;
    let at = this.at;
    // Line ends by total, then count: most lines of a scope share a total (its sites).
    let endsTotal = -1;
    let endsOf: LineEnd[] | undefined;
    for (let k = 0; k < lines; k++) {
      // The pieces are a few bytes each: a store of four at a time, not a byte loop or a `set` call.
      for (let i = 0; 4 * i < nameLength; i++) view.setUint32(at + 4 * i, nameWords[i] as number, true);
      at += nameLength;
      const first = middleWordStart[k] as number;
      for (let i = first, end = middleWordStart[k + 1] as number; i < end; i++) view.setUint32(at + 4 * (i - first), middleWords[i] as number, true);
      at += middleLength[k] as number;
      const count = counts[k] as number;
      const total = totals[k] as number;
      if (total !== endsTotal) {
        endsTotal = total;
        endsOf = total < 0 ? undefined : lineEnds(total);
      }
      const tail = endsOf === undefined || !(count >= 0 && count <= total && Number.isInteger(count)) ? undefined : (endsOf[count] ?? lineEnd(endsOf, count, total));
      if (tail === undefined) {
        this.at = at;
        if (total < 0) {
          this.number(count);
          this.ascii('\t.\t.\n');
        } else this.ascii(`${count}\t${total}\t${rate(count, total)}\n`);
        at = this.at;
        continue;
      }
      const { words } = tail;
      for (let i = 0; i < words.length; i++) view.setUint32(at + 4 * i, words[i] as number, true);
      at += tail.length;
    }
    this.at = at;
    return full;
  }

  /** The count and total of each line of a scope, in table order (total -1: a line without one). */
  private lineNumbers(numbers: ScopeNumbers): void {
    const { haplotypes, alleles, pairs } = this.names;
    const { counts, totals } = this;
    const { sites } = numbers;
    let k = 0;
    const line = (count: number, total: number): void => {
      counts[k] = count;
      totals[k++] = total;
    };
    line(sites, -1);
    line(numbers.variableSites, sites);
    line(numbers.droppedSites, sites);
    line(numbers.multiallelicSites, sites);
    for (let h = 0; h < haplotypes.length; h++) line(numbers.missing[h] as number, sites);
    for (let h = 0; h < haplotypes.length; h++) line(numbers.deletions[h] as number, sites);
    const cells = sites * haplotypes.length;
    for (let a = 0; a < alleles.length; a++) line(numbers.alleleCells[a] as number, cells);
    for (let p = 0; p < pairs.length; p++) line(numbers.pairCalled[p] as number, sites);
    for (let p = 0; p < pairs.length; p++) line(numbers.pairHet[p] as number, numbers.pairCalled[p] as number);
  }

  /** Room for `bytes` more in the chunk: a new chunk when they do not fit, the full one returned. */
  private room(bytes: number): Uint8Array | undefined {
    if (this.at + bytes <= this.chunk.length) return undefined;
    const full = this.at > 0 ? this.chunk.subarray(0, this.at) : undefined;
    this.newChunk(Math.max(this.chunkBytes, bytes));
    return full;
  }

  /** Starts a chunk of `bytes` bytes (the last one handed on stays as it is). */
  private newChunk(bytes: number): void {
    this.chunk = new Uint8Array(bytes);
    this.view = new DataView(this.chunk.buffer);
    this.at = 0;
  }

  /**
   * The bytes added since the last chunk handed on, if any. With `reuse`, the chunk is kept for the
   * next lines: the bytes are valid until then (a worker's, copied out at once).
   */
  rest(reuse = false): Uint8Array | undefined {
    if (this.at === 0) return undefined;
    const rest = this.chunk.subarray(0, this.at);
    if (reuse) this.at = 0;
    else this.newChunk(this.chunkBytes);
    return rest;
  }

  /** A number as JavaScript prints it. */
  private number(n: number): void {
    this.at = writeDecimal(this.chunk, this.at, n);
  }

  /** Text of ASCII characters (numbers, the header line). */
  private ascii(text: string): void {
    const out = this.chunk;
    for (let i = 0; i < text.length; i++) out[this.at++] = text.charCodeAt(i);
  }
}

/** The table's header line. */
export function statsTableHeader(): string {
  return `${STATS_COLUMNS.join('\t')}\n`;
}

/**
 * Line ends (`count\ttotal\trate\n`) already formatted, by total, then by count: few distinct
 * ones in the lines of many small contigs.
 */
const ends = new Map<number, LineEnd[]>();

/** A line end's bytes as little-endian words (zero-padded), and its length. */
interface LineEnd {
  words: Uint32Array;
  length: number;
}

/** Whether this machine stores words little-endian (a `Uint32Array` over bytes reads them as `DataView` little-endian stores write them). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** `bytes` zero-padded to a multiple of 4, as little-endian words. */
function paddedWords(bytes: Uint8Array): Uint32Array {
  const padded = new Uint8Array(4 * Math.ceil(bytes.length / 4));
  padded.set(bytes);
  return littleEndianWords(padded);
}

/** `bytes` (a multiple of 4 long) as little-endian words, into `words` when given. */
function littleEndianWords(bytes: Uint8Array, words = new Uint32Array(bytes.length / 4)): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  return words;
}
/** Slots of the line-end arrays (the cache is emptied past `MAX_END_SLOTS`: a large matrix's ends are mostly distinct). */
let endSlots = 0;
const MAX_END_SLOTS = 1 << 20;
/** Most rates kept formatted. */
const MAX_RATES = 1 << 16;
/** Totals whose line ends are kept: a small contig's. */
const MAX_CACHED_TOTAL = 1 << 16;

/** The line ends of `total` formatted so far, by count; undefined for a total not kept. */
function lineEnds(total: number): LineEnd[] | undefined {
  if (!(total < MAX_CACHED_TOTAL && Number.isInteger(total))) return undefined;
  let byCount = ends.get(total);
  if (byCount === undefined) {
    if (endSlots + total + 1 > MAX_END_SLOTS) {
      ends.clear();
      endSlots = 0;
    }
    endSlots += total + 1;
    byCount = new Array<LineEnd>(total + 1);
    ends.set(total, byCount);
  }
  return byCount;
}

/** `count\ttotal\trate\n` as bytes, kept in `byCount` (the ends of `total`). */
function lineEnd(byCount: LineEnd[], count: number, total: number): LineEnd {
  const bytes = encoder.encode(`${count}\t${total}\t${rate(count, total)}\n`);
  const end = { words: paddedWords(bytes), length: bytes.length };
  byCount[count] = end;
  return end;
}

/** Rates already formatted, by value. */
const rates = new Map<number, string>();

/** count / total with six decimals; `NA` when the total is 0. */
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
