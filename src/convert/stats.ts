// Statistics of a matrix, per contig and for the whole genome (docs/specification.md,
// "Statistics"): `stats` over a loaded matrix, `mergeStats` of shards, `writeStats`. The counting
// itself is the driver's conversion in stats-conversion.ts.

import { memorySource } from '../dispatch/contig-source.js';
import { drive } from '../dispatch/drive.js';
import { UsageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { BGZF_EOF, bgzfBlocks } from '../write/bgzf.js';
import { openOutput } from '../write/output-sink.js';
import { compressionOf, type OutputTypeOptions } from '../write/output-type.js';
import type { SampleSelection } from '../select/samples.js';
import { progressOf, type ProgressOptions } from './conversion-progress.js';
import { conversionPairs } from './pairs.js';
import type { MatrixStats, SiteStats } from './matrix-stats.js';
import { hetRate, perSite, statsConversion, type StatsConversion } from './stats-conversion.js';
import { statsOutputChunks } from './stats-table.js';

/** Options of `stats`. */
export interface StatsOptions extends OutputTypeOptions, ProgressOptions {
  /** `"10a:10b,13a:13b"` or name pairs; default: automatic `<stem>a`/`<stem>b` pairs. */
  pairs?: string | readonly (readonly [string, string])[];
  /** Only these pairs' statistics (`-s`: `"[^]NAME,..."`, see src/select/samples.ts); every haplotype still counts. */
  samples?: string | SampleSelection;
  /** Also write the statistics to this file (`-`: standard output); default: only return them. */
  output?: string;
  /** What to write: the TSV table (default) or JSON. */
  format?: 'tsv' | 'json';
  /** Rows per worker task. */
  chunkRows?: number;
  signal?: AbortSignal;
}

export type { HaplotypeStats, AlleleCount, PairStats, SiteStats, ContigStats, MatrixStats } from './matrix-stats.js';

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
  return (await countStats(matrix, options, true)).result();
}

/** `stats` written to `options.output` and not returned (the CLI's): no statistics are kept per contig. */
export async function writeMatrixStats(matrix: Matrix, options: StatsOptions & { output: string }): Promise<void> {
  await countStats(matrix, options, false);
}

async function countStats(matrix: Matrix, options: StatsOptions, keep: boolean): Promise<StatsConversion> {
  const pairs = conversionPairs(matrix, options.pairs, options.samples);
  const compression = compressionOf(options.output, options, 'stats');
  // Plain text: each contig's lines written by its worker. BGZF: on the main thread, framed as a streamed run frames them.
  const conversion = statsConversion(() => pairs, { ...options, format: options.output === undefined ? undefined : (options.format ?? 'tsv'), dictionaryComplete: true, linesInWorkers: !compression.bgzf, keep });
  const sink = options.output === undefined ? undefined : await openOutput(options.output, { inputs: [matrix.source] });
  await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, ...compression, signal: options.signal, onRange: progressOf(matrix, options) });
  return conversion;
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
  // Rates are derived again from the counts: a part's own rates are not trusted.
  const contigs = parts.flatMap((part) => part.contigs.map((contig) => ({ contig: contig.contig, ...sumSiteStats([contig], contig) })));
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

/** Writes statistics as the TSV table or JSON to a file (`-`: standard output), through a temporary file; BGZF as `written` or the name asks. */
export async function writeStats(result: MatrixStats, output: string, format: 'tsv' | 'json', inputs: readonly string[] = [], written: OutputTypeOptions = {}): Promise<void> {
  const { bgzf, level } = compressionOf(output, written, 'stats');
  const sink = await openOutput(output, { inputs });
  try {
    for (const chunk of statsOutputChunks(result, format)) await sink.write(bgzf ? bgzfBlocks(chunk, level) : chunk);
    if (bgzf) await sink.write(BGZF_EOF);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
