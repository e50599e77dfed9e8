// VCF 4.2 output: one sample per diploid pair, one record per site with an alt allele (the
// haplotype-table rule). Workers encode row ranges of each contig to bytes (BGZF blocks when
// compressing) and the main thread writes them in genome order as they complete.

import { runOrdered } from '../dispatch/run-ordered.js';
import { GenomatrixError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { VERSION } from '../version.js';
import { BGZF_EOF, bgzfBlocks } from '../write/bgzf.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { conversionPairs, type HaplotypePair } from './pairs.js';
import { rowRanges } from './row-ranges.js';
import { vcfAlleleTables, type VcfAlleleTables } from './vcf-alleles.js';

/** Options of `vcf`. */
export interface VcfOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Output file (written under a temporary name, renamed when complete); default: standard output. */
  output?: string;
  /** Compress as BGZF (`bgzip`'s format, indexable by `bcftools index`); default: when `output` ends in `.gz` or `.bgz`. */
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
  const contigs = matrix.contigs.map((contig) => {
    if (!CONTIG_ID.test(contig.name)) {
      throw new GenomatrixError(`${matrix.source}: contig name '${contig.name}' cannot be a VCF contig ID (no whitespace, commas, angle brackets)`);
    }
    return { name: contig.name, length: maxPos(matrix, contig.index) };
  });
  const tables = vcfAlleleTables(matrix.alleles);
  const bgzf = options.bgzf ?? /\.b?gz$/.test(options.output ?? '');
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  try {
    const header = new TextEncoder().encode(vcfHeader(contigs, pairs, tables.altDeclarations));
    await sink.write(bgzf ? bgzfBlocks(header) : header);
    const records = await writeRecords(matrix, pairs, tables, bgzf, sink, options);
    if (bgzf) await sink.write(BGZF_EOF);
    await sink.commit();
    return { sites: matrix.sites, records, pairs };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

function maxPos(matrix: Matrix, contig: number): number {
  const { pos } = matrix.contigViews(contig);
  let max = 0;
  for (let r = 0; r < pos.length; r++) if ((pos[r] as number) > max) max = pos[r] as number;
  return max;
}

async function writeRecords(
  matrix: Matrix,
  pairs: HaplotypePair[],
  tables: VcfAlleleTables,
  bgzf: boolean,
  sink: OutputSink,
  options: VcfOptions,
): Promise<number> {
  const { layout } = matrix;
  const ranges = rowRanges(layout, options.chunkRows);
  const columnPairs = pairs.map((pair) => pair.columns);
  let records = 0;
  await runOrdered(
    ranges.length,
    2 * matrix.threads,
    (i) => {
      const { batch, from, to } = ranges[i] as (typeof ranges)[number];
      return matrix.pool.run(
        {
          kind: 'vcf',
          buffers: layout.buffers,
          alleles: layout.alleles,
          batch,
          contig: layout.contigs[batch.contig] ?? '',
          from,
          to,
          pairs: columnPairs,
          altOf: tables.altOf,
          altTexts: tables.altTexts,
          refTexts: tables.refTexts,
          bgzf,
        },
        options.signal,
      );
    },
    async (chunk) => {
      records += chunk.lines;
      if (chunk.bytes.length > 0) await sink.write(chunk.bytes);
    },
  );
  return records;
}
