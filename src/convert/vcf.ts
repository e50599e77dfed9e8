// VCF 4.2 output (docs/vcf.md; docs/specification.md, "VCF"): one phased diploid sample per
// pair, then one haploid sample per haplotype in no pair; deletions as anchored indels (or, asked,
// the star form). Workers encode row ranges of each contig to bytes (worker/vcf-chunk.ts) and the
// driver writes them in genome order. This file is the VCF's description for the driver; `vcf`
// runs it over a loaded matrix, `lowMemoryVcf` over a streamed one.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { memorySource } from '../dispatch/contig-source.js';
import { DEFAULT_CHUNK_ROWS, rangeColumns, type Conversion } from '../dispatch/conversion.js';
import { drive } from '../dispatch/drive.js';
import { GenomatrixError, UsageError } from '../errors.js';
import { batchTable, contigEnd, positionsAt } from '../layout/batch-table.js';
import { nameBytes, stringBytes, type NameBytes } from '../layout/contig-names.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import type { Matrix } from '../matrix.js';
import { fastaIndex, readFai } from '../read/fasta-index.js';
import { VERSION } from '../version.js';
import type { FastaContig } from '../worker/fasta-bases.js';
import type { VcfTask } from '../worker/messages.js';
import { writeDecimal } from '../write/decimal.js';
import { openOutput } from '../write/output-sink.js';
import { compressionOf, OutputType, type Compression, type OutputTypeOptions } from '../write/output-type.js';
import type { SampleSelection } from '../select/samples.js';
import { progressOf, type ProgressOptions } from './conversion-progress.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { vcfAlleleTables } from './vcf-alleles.js';
import { vcfSamples, VcfUnpaired } from './vcf-samples.js';

/** Options of `vcf`. */
export interface VcfOptions extends OutputTypeOptions, ProgressOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Only these samples (pairs and haploid samples, by name), as `bcftools view -s` of the whole VCF (`"[^]NAME,..."`, see src/select/samples.ts); sites and alleles stay those of every haplotype. */
  samples?: string | SampleSelection;
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Compress as BGZF (`bgzip`'s format, indexable by `bcftools index`); default: when `output` ends in `.gz` or `.bgz`. Same as `outputType: 'bgzf'`. */
  bgzf?: boolean;
  /** Rows per worker task. */
  chunkRows?: number;
  signal?: AbortSignal;
  /** `indel` (default): deletions as anchored indels; `star`: one `*` allele per deleted base (snp-sites' form). */
  deletions?: VcfDeletions;
  /** `haploid` (default): each haplotype in no pair is a haploid sample; `drop`: left out, with its alleles. */
  unpaired?: VcfUnpaired;
  /** Plain FASTA of the reference (indexed by `<fasta>.fai`, or indexed in memory): anchor bases in POS gaps, `##reference`, contig lengths. */
  fastaRef?: string;
  /** A faidx index (.fai) giving the contig lengths, when there is no `fastaRef`. */
  fai?: string;
  /** The command line to record as `##genomatrixCommand=<command>; Date=<date>` (the CLI gives its arguments). */
  command?: string;
  /** Hears the one warning of a run: deletions written in the star form for want of an anchor base. */
  onWarning?: (message: string) => void;
}

/** How deletions are written. */
export const VcfDeletions = { indel: 'indel', star: 'star' } as const;
export type VcfDeletions = (typeof VcfDeletions)[keyof typeof VcfDeletions];

export { VcfUnpaired } from './vcf-samples.js';

/** What a VCF run wrote. */
export interface VcfSummary {
  /** Sites read. */
  sites: number;
  /** Records written (sites with at least one alt allele). */
  records: number;
  /** The diploid samples, one per pair. */
  pairs: HaplotypePair[];
  /** The haploid samples: haplotype columns in no pair (none with `unpaired: 'drop'`). */
  haploid: string[];
  /** Deletion runs written in the star form because the position before them is not in the matrix (no `fastaRef`). */
  starRuns: number;
}

/**
 * The meta lines and the `#CHROM` line; a contig's length is its length in the reference index,
 * else its largest POS in the matrix. `meta` lines follow `##source`. The `##contig` lines come
 * last, so that `bcftools concat` of per-contig shards (which appends the contig lines the first
 * shard lacks) gives the header of the whole run.
 */
export function vcfHeader(
  contigs: readonly { name: string; length: number }[],
  samples: readonly { name: string }[],
  altDeclarations: readonly string[] = [],
  meta: readonly string[] = [],
): string {
  return vcfHeaderBytes(headerContigsOf(contigs), samples, altDeclarations, meta).toString('utf8');
}

/**
 * `vcfHeader` as UTF-8 bytes, the `##contig` lines written from the names' bytes, with no string
 * or object per contig: for 100,000 contigs, their names made strings, then written one by one,
 * took the main thread 60 ms while the workers waited for the first task.
 */
export function vcfHeaderBytes(contigs: HeaderContigs, samples: readonly { name: string }[], altDeclarations: readonly string[] = [], meta: readonly string[] = []): Buffer {
  const head = ['##fileformat=VCFv4.2', '##FILTER=<ID=PASS,Description="All filters passed">', `##source=genomatrix ${VERSION}`, ...meta, ...altDeclarations, '##FORMAT=<ID=GT,Number=1,Type=String,Description="Phased genotype">', ''].join('\n');
  const columns = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];
  if (samples.length > 0) columns.push('FORMAT');
  for (let s = 0; s < samples.length; s++) columns.push((samples[s] as { name: string }).name);
  const tail = `${columns.join('\t')}\n`;
  const { order, lengths } = contigs;
  const { names, start, length: nameLength } = contigs.names;
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + CONTIG_LINE_BYTES * order.length;
  for (let k = 0; k < order.length; k++) size += nameLength[order[k] as number] as number;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0, 'utf8');
  for (let k = 0; k < order.length; k++) {
    // Byte by byte: `Buffer.copy` is a call into C++ each time, twice a contig.
    for (let i = 0; i < CONTIG_OPEN.length; i++) out[at++] = CONTIG_OPEN[i] as number;
    const c = order[k] as number;
    for (let i = start[c] as number, end = i + (nameLength[c] as number); i < end; i++) out[at++] = names[i] as number;
    for (let i = 0; i < CONTIG_LENGTH.length; i++) out[at++] = CONTIG_LENGTH[i] as number;
    at = writeDecimal(out, at, lengths[k] as number);
    out[at++] = 0x3e; // >
    out[at++] = 0x0a;
  }
  at += out.write(tail, at, 'utf8');
  return out.subarray(0, at);
}

const CONTIG_OPEN = Buffer.from('##contig=<ID=');
const CONTIG_LENGTH = Buffer.from(',length=');
/** Bytes of a `##contig` line but its name's: the fixed text, a length of up to 24 characters (as JavaScript prints any number), `>` and the line end. */
const CONTIG_LINE_BYTES = CONTIG_OPEN.length + CONTIG_LENGTH.length + 24 + 2;

/**
 * The contigs of a VCF header as numbers: the `k`th is contig `order[k]` of `names` (a loaded
 * matrix's: layout/contig-names.ts, whose contigs a region selection may leave out), `lengths[k]`
 * bases long.
 */
export interface HeaderContigs {
  names: NameBytes;
  order: Int32Array;
  lengths: Float64Array;
}

/** Contigs listed by name and length as `HeaderContigs` (which come as they are). */
export function headerContigsOf(contigs: readonly VcfContig[] | HeaderContigs): HeaderContigs {
  if (!Array.isArray(contigs)) return contigs as HeaderContigs;
  const list = contigs as readonly VcfContig[];
  const order = new Int32Array(list.length);
  const lengths = new Float64Array(list.length);
  for (let k = 0; k < list.length; k++) {
    order[k] = k;
    lengths[k] = (list[k] as VcfContig).length;
  }
  return { names: stringBytes(list.map((contig) => contig.name)), order, lengths };
}

/** The name of the `k`th contig of `contigs`. */
function headerName({ names, order }: HeaderContigs, k: number): string {
  const c = order[k] as number;
  const start = names.start[c] as number;
  return Buffer.from(names.names.buffer, names.names.byteOffset, names.names.byteLength).toString('utf8', start, start + (names.length[c] as number));
}

/**
 * `##genomatrixCommand=<command>; Date=<date>`, as bcftools writes `##bcftools_viewCommand`: the
 * date in C's `ctime` form, UTC, taken from SOURCE_DATE_EPOCH when that is set (reproducible output).
 */
export function commandLine(command: string, now: Date = sourceDate()): string {
  // toUTCString: "Tue, 01 Dec 2026 12:31:40 GMT"; ctime: "Tue Dec  1 12:31:40 2026".
  const [day, date, month, year, time] = now.toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
  return `##genomatrixCommand=${command.replace(/[\r\n]+/g, ' ')}; Date=${day} ${month} ${String(Number(date)).padStart(2, ' ')} ${time} ${year}`;
}

function sourceDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** A contig of the VCF header: its name and length (its largest POS; the reference index gives its own). */
export interface VcfContig {
  name: string;
  length: number;
}

/** The VCF's description for the driver, with what it wrote so far. */
export interface VcfConversion extends Conversion<VcfTask> {
  records: number;
  sites: number;
  pairs: HaplotypePair[];
  /** The haploid samples (haplotype columns in no pair), known once the run has begun. */
  haploid: string[];
  /** Deletion runs written in the star form for want of an anchor base. */
  starRuns: number;
}

/** The options the VCF's description reads. */
export type VcfConversionOptions = Pick<VcfOptions, 'chunkRows' | 'deletions' | 'unpaired' | 'samples' | 'fastaRef' | 'fai' | 'command' | 'onWarning'>;

/**
 * Describes the VCF for the driver. The header needs every contig with its length, and every
 * allele (for the `##ALT` lines), before the first record: `contigs` and `alleles` give them
 * (from a loaded matrix, a packed file's metadata, or a first pass over a streamed input). With
 * `fastaRef` or `fai`, the lengths are the index's, and each task gets its contig's sequence.
 */
export function vcfConversion(
  source: string,
  pairsOf: (samples: readonly string[]) => HaplotypePair[],
  header: { contigs: readonly VcfContig[] | HeaderContigs; alleles: readonly string[] },
  options: VcfConversionOptions,
): VcfConversion {
  const deletions = options.deletions ?? VcfDeletions.indel;
  if (!Object.values(VcfDeletions).includes(deletions)) throw new UsageError(`--deletions: expected indel or star, got '${deletions}'`);
  const unpaired = options.unpaired ?? VcfUnpaired.haploid;
  if (!Object.values(VcfUnpaired).includes(unpaired)) throw new UsageError(`--unpaired: expected haploid or drop, got '${unpaired}'`);
  const tables = vcfAlleleTables(header.alleles);
  let columns: number[] = [];
  let samples: number[][] = [];
  let reference: Map<string, FastaContig> | undefined;
  const conversion: VcfConversion = {
    records: 0,
    sites: 0,
    pairs: [],
    haploid: [],
    starRuns: 0,
    ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
    async begin(first) {
      const names = first?.layout.samples ?? [];
      const { all, chosen } = vcfSamples(names, pairsOf(names), unpaired, options.samples);
      // The whole VCF's haplotype columns in matrix order (the alleles are theirs, also when -s
      // writes fewer samples); the chosen samples point into them.
      const used = new Set(all.flatMap((sample) => sample.columns));
      columns = names.map((_, c) => c).filter((c) => used.has(c));
      const at = new Map(columns.map((c, i) => [c, i]));
      samples = chosen.map((sample) => sample.columns.map((c) => at.get(c) as number));
      conversion.pairs = chosen.flatMap((sample) => (sample.pair ? [sample.pair] : []));
      conversion.haploid = chosen.filter((sample) => !sample.pair).map((sample) => sample.name);
      const sampleNames = chosen.map((sample) => sample.name);
      reference = options.fastaRef === undefined ? undefined : await fastaIndex(options.fastaRef);
      const meta = [
        ...(options.command === undefined ? [] : [commandLine(options.command)]),
        ...(options.fastaRef !== undefined ? [`##reference=file://${resolve(options.fastaRef)}`] : options.fai !== undefined ? [`##reference=file://${resolve(options.fai.replace(/\.fai$/, ''))}`] : []),
      ];
      return vcfHeaderBytes(headerContigs(source, headerContigsOf(header.contigs), reference, options), sampleNames.map((name) => ({ name })), tables.altDeclarations, meta);
    },
    task: (range) => {
      const task: VcfTask = {
        kind: 'vcf',
        encodes: true,
        ...rangeColumns(range),
        columns,
        samples,
        deletions,
        altOf: tables.altOf,
        altTexts: tables.altTexts,
        refTexts: tables.refTexts,
      };
      const fasta = reference?.get(range.unit.contig.name);
      if (fasta) task.fasta = fasta;
      return task;
    },
    collect(result, range) {
      conversion.records += result.lines;
      conversion.starRuns += result.starRuns ?? 0;
      conversion.sites += range.to - range.from;
    },
    // Spans of small contigs, unless each task carries its contig's reference sequence; joined
    // (one result a span, worker/vcf-chunk.ts `runVcfSpan`) unless the output is BGZF.
    spans: () => (reference ? undefined : { rows: options.chunkRows ?? DEFAULT_CHUNK_ROWS, joined: true }),
    collectSpan(results, span) {
      for (const result of results) {
        conversion.records += result.lines;
        conversion.starRuns += result.starRuns ?? 0;
      }
      conversion.sites += span.rows;
    },
    end() {
      const runs = conversion.starRuns;
      if (runs > 0) {
        options.onWarning?.(
          `${runs} deletion run${runs === 1 ? '' : 's'} follow${runs === 1 ? 's' : ''} or move${runs === 1 ? 's' : ''} left into a position missing from the matrix: written as '*' alleles (the star form); give --fasta-ref for their anchor base`,
        );
      }
      return undefined;
    },
  };
  return conversion;
}

/**
 * The header's contigs: each name checked as a VCF contig ID; its length the reference index's
 * (`fastaRef`, else `fai`), which must cover the contig's largest POS, else that largest POS.
 */
function headerContigs(source: string, contigs: HeaderContigs, reference: Map<string, FastaContig> | undefined, options: Pick<VcfOptions, 'fastaRef' | 'fai'>): HeaderContigs {
  checkContigIds(source, contigs);
  const lengths = reference ?? (options.fai === undefined ? undefined : readFai(options.fai, options.fai.replace(/\.fai$/, '')));
  if (!lengths) return contigs;
  const indexName = options.fastaRef === undefined ? options.fai : existsSync(`${options.fastaRef}.fai`) ? `${options.fastaRef}.fai` : options.fastaRef;
  const indexed = new Float64Array(contigs.order.length);
  for (let k = 0; k < indexed.length; k++) {
    const name = headerName(contigs, k);
    const largest = contigs.lengths[k] as number;
    const entry = lengths.get(name);
    if (!entry) throw new GenomatrixError(`${indexName}: no sequence named '${name}', a contig of ${source}`);
    if (entry.length < largest) throw new GenomatrixError(`${indexName}: sequence '${name}' has ${entry.length} bases, but ${source} has POS ${largest}`);
    indexed[k] = entry.length;
  }
  return { ...contigs, lengths: indexed };
}

/** Bytes a VCF 4.3 contig ID (section 1.4.7) may hold: 1 anywhere, 2 but not first (4.2 readers accept them too). */
const CONTIG_ID_BYTES = (() => {
  const bytes = new Uint8Array(256);
  for (const c of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&+./:;?@^_|~-') bytes[c.charCodeAt(0)] = 1;
  bytes['*'.charCodeAt(0)] = 2;
  bytes['='.charCodeAt(0)] = 2;
  return bytes;
})();

/** Refuses a contig name that cannot be a VCF contig ID, read from its bytes (no string per contig). */
function checkContigIds(source: string, contigs: HeaderContigs): void {
  const { order } = contigs;
  const { names, start, length } = contigs.names;
  for (let k = 0; k < order.length; k++) {
    const c = order[k] as number;
    const from = start[c] as number;
    const end = from + (length[c] as number);
    let ok = end > from && CONTIG_ID_BYTES[names[from] as number] === 1;
    for (let i = from + 1; ok && i < end; i++) ok = CONTIG_ID_BYTES[names[i] as number] !== 0;
    if (!ok) {
      const name = headerName(contigs, k);
      throw new GenomatrixError(`${source}: contig name '${name}' cannot be a VCF contig ID (VCF 4.3, 1.4.7: ASCII letters, digits and !#$%&*+./:;=?@^_|~-, not starting with * or =)`);
    }
  }
}

/**
 * Writes a loaded matrix as VCF 4.2 (docs/vcf.md) to a file or standard output: one phased diploid
 * sample per pair, then one haploid sample per haplotype in no pair.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * const { records } = await vcf(matrix, { output: 'matrix.vcf.gz' }); // BGZF: bcftools index works on it
 * await matrix.close();
 */
export async function vcf(matrix: Matrix, options: VcfOptions = {}): Promise<VcfSummary> {
  // The whole pair set: the VCF's haploid samples are the columns in none of its pairs; -s then
  // selects among all the VCF's samples (vcfSamples), checked here before the output is opened.
  const pairs = conversionPairs(matrix, options.pairs);
  vcfSamples(matrix.samples, pairs, options.unpaired ?? VcfUnpaired.haploid, options.samples);
  // One `##contig` line per contig, also when a region selection cut it into several batches; a
  // cut contig keeps its whole length (`contigLengths`), as `bcftools view -r` keeps the header.
  const contigs = headerLengths(matrix.layout);
  const conversion = vcfConversion(matrix.source, () => pairs, { contigs, alleles: matrix.alleles }, options);
  const compression = vcfCompression(options);
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, ...compression, signal: options.signal, onRange: progressOf(matrix, options) });
  return { sites: matrix.sites, records: conversion.records, pairs: conversion.pairs, haploid: conversion.haploid, starRuns: conversion.starRuns };
}

/** A VCF's compression: as `bgzf` says when given (the older option), else as `compressionOf` tells. */
export function vcfCompression(options: Pick<VcfOptions, 'bgzf' | 'output' | 'outputType' | 'compressionLevel'>): Compression {
  const outputType = options.bgzf === undefined ? options.outputType : options.bgzf ? OutputType.bgzf : OutputType.plain;
  return compressionOf(options.output, { ...options, outputType }, 'vcf');
}

/**
 * Each contig's name and length for its `##contig` line, from the batch table and the names'
 * bytes (a text load makes no batch objects, nor a string per name: layout/batch-table.ts,
 * contig-names.ts): its whole length when a region selection cut it, else its largest POS.
 */
function headerLengths(layout: MatrixLayout): HeaderContigs {
  const table = batchTable(layout);
  const order = new Int32Array(table.length);
  const lengths = new Float64Array(table.length);
  let count = 0;
  for (let b = 0; b < table.length; ) {
    const end = contigEnd(table, b);
    const contig = table.contig[b] as number;
    let length = layout.contigLengths?.[contig] || 0;
    for (let k = b; k < end && !layout.contigLengths?.[contig]; k++) {
      const { pos, from, to } = positionsAt(layout, table, k);
      length = Math.max(length, maxPos(pos, from, to));
    }
    order[count] = contig;
    lengths[count++] = length;
    b = end;
  }
  return { names: nameBytes(layout), order: order.subarray(0, count), lengths: lengths.subarray(0, count) };
}

/** The largest POS of a contig's rows `pos[from, to)`: the length its `##contig` line gives without a reference index. */
export function maxPos(pos: Int32Array, from = 0, to = pos.length): number {
  let max = 0;
  for (let r = from; r < to; r++) if ((pos[r] as number) > max) max = pos[r] as number;
  return max;
}
