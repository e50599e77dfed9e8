// VCF 4.2 output (docs/specification.md, "VCF"): one sample per diploid pair, one record per site
// with an alt allele (the alt rule). Workers encode row ranges of each contig to bytes
// (worker/vcf-chunk.ts) and the driver writes them in genome order. This file is the VCF's
// description for the driver; `vcf` runs it over a loaded matrix, `lowMemoryVcf` over a streamed one.

import { memorySource } from '../dispatch/contig-source.js';
import { rangeColumns, type Conversion } from '../dispatch/conversion.js';
import { drive } from '../dispatch/drive.js';
import { GenomatrixError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { VERSION } from '../version.js';
import type { VcfTask } from '../worker/messages.js';
import { openOutput } from '../write/output-sink.js';
import { outputType, type OutputTypeOptions } from '../write/output-type.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { vcfAlleleTables } from './vcf-alleles.js';

/** Options of `vcf`. */
export interface VcfOptions extends OutputTypeOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Compress as BGZF (`bgzip`'s format, indexable by `bcftools index`); default: when `output` ends in `.gz` or `.bgz`. Same as `outputType: 'bgzf'`. */
  bgzf?: boolean;
  /** Rows per worker task. */
  chunkRows?: number;
  signal?: AbortSignal;
}

/** What a VCF run wrote. */
export interface VcfSummary {
  /** Sites read. */
  sites: number;
  /** Records written (sites with at least one alt allele). */
  records: number;
  /** The samples, one per pair, in column order. */
  pairs: HaplotypePair[];
}

/** A contig name VCF 4.3 accepts as a `##contig` ID (section 1.4.7), which 4.2 readers accept too. */
const CONTIG_ID = /^[0-9A-Za-z!#$%&+./:;?@^_|~-][0-9A-Za-z!#$%&*+./:;=?@^_|~-]*$/;

/**
 * The meta lines and the `#CHROM` line; a contig's length is its largest POS in the matrix. The
 * `##contig` lines come last, so that `bcftools concat` of per-contig shards (which appends the
 * contig lines the first shard lacks) gives the header of the whole run.
 */
export function vcfHeader(
  contigs: readonly { name: string; length: number }[],
  pairs: readonly HaplotypePair[],
  altDeclarations: readonly string[] = [],
): string {
  const lines = [
    '##fileformat=VCFv4.2',
    '##FILTER=<ID=PASS,Description="All filters passed">',
    `##source=genomatrix ${VERSION}`,
    ...altDeclarations,
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Phased genotype">',
    ...contigs.map((contig) => `##contig=<ID=${contig.name},length=${contig.length}>`),
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', ...(pairs.length > 0 ? ['FORMAT'] : []), ...pairs.map((pair) => pair.name)].join('\t'),
  ];
  return lines.join('\n') + '\n';
}

/** A contig of the VCF header: its name and length (its largest POS). */
export interface VcfContig {
  name: string;
  length: number;
}

/** The VCF's description for the driver, with the records it wrote so far. */
export interface VcfConversion extends Conversion<VcfTask> {
  records: number;
  sites: number;
  pairs: HaplotypePair[];
}

/**
 * Describes the VCF for the driver. The header needs every contig with its length, and every
 * allele (for the `##ALT` lines), before the first record: `contigs` and `alleles` give them
 * (from a loaded matrix, a packed file's metadata, or a first pass over a streamed input).
 */
export function vcfConversion(
  source: string,
  pairsOf: (samples: readonly string[]) => HaplotypePair[],
  header: { contigs: readonly VcfContig[]; alleles: readonly string[] },
  options: Pick<VcfOptions, 'chunkRows'>,
): VcfConversion {
  const tables = vcfAlleleTables(header.alleles);
  let columnPairs: [number, number][] = [];
  const conversion: VcfConversion = {
    records: 0,
    sites: 0,
    pairs: [],
    ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
    begin(first) {
      const pairs = pairsOf(first?.layout.samples ?? []);
      for (const contig of header.contigs) {
        if (!CONTIG_ID.test(contig.name)) {
          throw new GenomatrixError(`${source}: contig name '${contig.name}' cannot be a VCF contig ID (no whitespace, commas, angle brackets)`);
        }
      }
      conversion.pairs = pairs;
      columnPairs = pairs.map((pair) => pair.columns);
      return new TextEncoder().encode(vcfHeader(header.contigs, pairs, tables.altDeclarations));
    },
    task: (range) => ({
      kind: 'vcf',
      encodes: true,
      ...rangeColumns(range),
      pairs: columnPairs,
      altOf: tables.altOf,
      altTexts: tables.altTexts,
      refTexts: tables.refTexts,
    }),
    collect(result, range) {
      conversion.records += result.lines;
      conversion.sites += range.to - range.from;
    },
  };
  return conversion;
}

/**
 * Writes a loaded matrix as VCF 4.2, one phased diploid sample per pair, to a file or standard output.
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * const { records } = await vcf(matrix, { output: 'matrix.vcf.gz' }); // BGZF: bcftools index works on it
 * await matrix.close();
 */
export async function vcf(matrix: Matrix, options: VcfOptions = {}): Promise<VcfSummary> {
  const pairs = conversionPairs(matrix, options.pairs);
  const contigs = matrix.contigs.map((contig) => ({ name: contig.name, length: maxPos(matrix.contigViews(contig.index).pos) }));
  const conversion = vcfConversion(matrix.source, () => pairs, { contigs, alleles: matrix.alleles }, options);
  const type = options.bgzf === undefined ? options.outputType : options.bgzf ? 'bgzf' : 'plain';
  const bgzf = outputType(options.output, type) === 'bgzf';
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  await drive(memorySource(matrix.layout, matrix.contigs), conversion, { pool: matrix.pool, sink, bgzf, signal: options.signal });
  return { sites: matrix.sites, records: conversion.records, pairs };
}

/** The largest POS of a contig's rows: the length its `##contig` line gives. */
export function maxPos(pos: Int32Array): number {
  let max = 0;
  for (let r = 0; r < pos.length; r++) if ((pos[r] as number) > max) max = pos[r] as number;
  return max;
}
