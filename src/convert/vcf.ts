// VCF 4.2 output (docs/vcf.md): one phased diploid sample per pair, then one haploid sample per
// haplotype in no pair; deletions as anchored indels (or, asked, the star form). Workers encode
// row ranges of each contig to bytes (BGZF blocks when compressing) and the main thread writes
// them in genome order as they complete.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runOrdered } from '../dispatch/run-ordered.js';
import { GenomatrixError, UsageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { fastaIndex, readFai } from '../read/fasta-index.js';
import { VERSION } from '../version.js';
import type { FastaContig } from '../worker/fasta-bases.js';
import { BGZF_EOF, bgzfBlocks } from '../write/bgzf.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import type { VcfTask } from '../worker/messages.js';
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

/** What becomes of haplotypes in no pair. */
export const VcfUnpaired = { haploid: 'haploid', drop: 'drop' } as const;
export type VcfUnpaired = (typeof VcfUnpaired)[keyof typeof VcfUnpaired];

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

/** A contig name VCF 4.3 accepts as a `##contig` ID (section 1.4.7), which 4.2 readers accept too. */
const CONTIG_ID = /^[0-9A-Za-z!#$%&+./:;?@^_|~-][0-9A-Za-z!#$%&*+./:;=?@^_|~-]*$/;

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
  const lines = [
    '##fileformat=VCFv4.2',
    '##FILTER=<ID=PASS,Description="All filters passed">',
    `##source=genomatrix ${VERSION}`,
    ...meta,
    ...altDeclarations,
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Phased genotype">',
    ...contigs.map((contig) => `##contig=<ID=${contig.name},length=${contig.length}>`),
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', ...(samples.length > 0 ? ['FORMAT'] : []), ...samples.map((sample) => sample.name)].join('\t'),
  ];
  return lines.join('\n') + '\n';
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
  const deletions = options.deletions ?? VcfDeletions.indel;
  if (!Object.values(VcfDeletions).includes(deletions)) throw new UsageError(`--deletions: expected indel or star, got '${deletions}'`);
  const unpaired = options.unpaired ?? VcfUnpaired.haploid;
  if (!Object.values(VcfUnpaired).includes(unpaired)) throw new UsageError(`--unpaired: expected haploid or drop, got '${unpaired}'`);
  const paired = new Set(pairs.flatMap((pair) => pair.columns));
  const haploid = unpaired === VcfUnpaired.drop ? [] : matrix.samples.map((_, c) => c).filter((c) => !paired.has(c));
  // The VCF's haplotype columns in matrix order; samples point into them.
  const columns = matrix.samples.map((_, c) => c).filter((c) => paired.has(c) || haploid.includes(c));
  const samples = [...pairs.map((pair) => pair.columns.map((c) => columns.indexOf(c))), ...haploid.map((c) => [columns.indexOf(c)])];
  const names = [...pairs.map((pair) => pair.name), ...haploid.map((c) => matrix.samples[c] as string)];
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new UsageError(`two samples are both named '${duplicate}': VCF sample names must differ`);
  const reference = options.fastaRef === undefined ? undefined : await fastaIndex(options.fastaRef);
  const lengths = reference ?? (options.fai === undefined ? undefined : readFai(options.fai, options.fai.replace(/\.fai$/, '')));
  const indexName = options.fastaRef === undefined ? options.fai : existsSync(`${options.fastaRef}.fai`) ? `${options.fastaRef}.fai` : options.fastaRef;
  const contigs = matrix.contigs.map((contig) => {
    if (!CONTIG_ID.test(contig.name)) {
      throw new GenomatrixError(`${matrix.source}: contig name '${contig.name}' cannot be a VCF contig ID (no whitespace, commas, angle brackets)`);
    }
    const largest = maxPos(matrix, contig.index);
    const entry = lengths?.get(contig.name);
    if (lengths && !entry) throw new GenomatrixError(`${indexName}: no sequence named '${contig.name}', a contig of ${matrix.source}`);
    if (entry && entry.length < largest) throw new GenomatrixError(`${indexName}: sequence '${contig.name}' has ${entry.length} bases, but ${matrix.source} has POS ${largest}`);
    return { name: contig.name, length: entry?.length ?? largest };
  });
  const meta = [
    ...(options.command === undefined ? [] : [commandLine(options.command)]),
    ...(options.fastaRef !== undefined ? [`##reference=file://${resolve(options.fastaRef)}`] : options.fai !== undefined ? [`##reference=file://${resolve(options.fai.replace(/\.fai$/, ''))}`] : []),
  ];
  const tables = vcfAlleleTables(matrix.alleles);
  const bgzf = options.bgzf ?? /\.b?gz$/.test(options.output ?? '');
  const sink = await openOutput(options.output);
  try {
    const header = new TextEncoder().encode(vcfHeader(contigs, names.map((name) => ({ name })), tables.altDeclarations, meta));
    await sink.write(bgzf ? bgzfBlocks(header) : header);
    const plan: RecordPlan = { columns, samples, tables, bgzf, deletions, reference };
    const { records, starRuns } = await writeRecords(matrix, plan, sink, options);
    if (bgzf) await sink.write(BGZF_EOF);
    await sink.commit();
    if (starRuns > 0) {
      options.onWarning?.(
        `${starRuns} deletion run${starRuns === 1 ? '' : 's'} follow${starRuns === 1 ? 's' : ''} a position missing from the matrix: written as '*' alleles (the star form); give --fasta-ref for their anchor base`,
      );
    }
    return { sites: matrix.sites, records, pairs, haploid: haploid.map((c) => matrix.samples[c] as string), starRuns };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** What every task of a run shares. */
interface RecordPlan {
  columns: number[];
  samples: number[][];
  tables: VcfAlleleTables;
  bgzf: boolean;
  deletions: VcfDeletions;
  reference: Map<string, FastaContig> | undefined;
}

function maxPos(matrix: Matrix, contig: number): number {
  const { pos } = matrix.contigViews(contig);
  let max = 0;
  for (let r = 0; r < pos.length; r++) if ((pos[r] as number) > max) max = pos[r] as number;
  return max;
}

async function writeRecords(matrix: Matrix, plan: RecordPlan, sink: OutputSink, options: VcfOptions): Promise<{ records: number; starRuns: number }> {
  const { layout } = matrix;
  const ranges = rowRanges(layout, options.chunkRows);
  const { tables } = plan;
  let records = 0;
  let starRuns = 0;
  await runOrdered(
    ranges.length,
    2 * matrix.threads,
    (i) => {
      const { batch, from, to } = ranges[i] as (typeof ranges)[number];
      const contig = layout.contigs[batch.contig] ?? '';
      const task: VcfTask = {
        kind: 'vcf',
        buffers: layout.buffers,
        alleles: layout.alleles,
        batch,
        contig,
        from,
        to,
        columns: plan.columns,
        samples: plan.samples,
        deletions: plan.deletions,
        altOf: tables.altOf,
        altTexts: tables.altTexts,
        refTexts: tables.refTexts,
        bgzf: plan.bgzf,
      };
      const fasta = plan.reference?.get(contig);
      if (fasta) task.fasta = fasta;
      return matrix.pool.run(task, options.signal);
    },
    async (chunk) => {
      records += chunk.lines;
      starRuns += chunk.starRuns ?? 0;
      if (chunk.bytes.length > 0) await sink.write(chunk.bytes);
    },
  );
  return { records, starRuns };
}
