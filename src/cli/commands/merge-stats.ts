import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { mergeStats, writeStats, type MatrixStats, type SiteStats } from '../../convert/stats.js';
import { InputError, UsageError } from '../../errors.js';
import { describeFsError } from '../../read/header.js';
import { STDIN } from '../../read/open-matrix-input.js';
import { withExamples } from '../help.js';
import { outputOptionsOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';

interface MergeStatsArgs extends OutputTypeArgs {
  parts: string[];
  output?: string;
  json?: boolean;
}

/** `genomatrix merge-stats <parts..>`: the statistics of a matrix from those of its shards. */
export const mergeStatsCommand: CommandModule<object, MergeStatsArgs> = {
  command: 'merge-stats <parts..>',
  describe: 'Merge the statistics of shards of a matrix (stats --json --contigs ...) into those of the whole matrix',
  builder: (yargs: Argv) =>
    withExamples(
      outputTypeOption(yargs)
        .positional('parts', { type: 'string', array: true, default: undefined, describe: 'The shards\' stats --json, in matrix order (- reads one from standard input)' })
        .option('output', { alias: 'o', type: 'string', describe: 'Output file (default: standard output)' })
        .option('json', { type: 'boolean', describe: 'Write JSON instead of the TSV table' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'Accepted as by every command (merging prints nothing but errors)' }),
      [
        {
          what: 'the statistics of the whole matrix from those of two shards',
          commands: ['$0 stats matrix.arrow --contigs chr1 --json -o chr1.json', '$0 stats matrix.arrow --contigs chr2,chr3 --json -o chr2-3.json', '$0 merge-stats chr1.json chr2-3.json -o stats.tsv'],
        },
      ],
    ) as unknown as Argv<MergeStatsArgs>,
  handler: async (argv: ArgumentsCamelCase<MergeStatsArgs>) => {
    if (argv.parts.filter((part) => part === STDIN).length > 1) throw new UsageError('standard input (-) holds one part: give - once');
    const merged = mergeStats(argv.parts.map(readStats), argv.parts);
    await writeStats(merged, argv.output ?? '-', argv.json ? 'json' : 'tsv', argv.parts, outputOptionsOf(argv, 'merge-stats'));
  },
};

/** Reads one part: the JSON `stats --json` writes, from a file or from standard input (`-`). */
function readStats(path: string): MatrixStats {
  let text: string;
  try {
    text = readFileSync(path === STDIN ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot open ${path}: ${describeFsError(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file: path }, `not JSON (${(error as Error).message}): expected the output of genomatrix stats --json`);
  }
  const stats = value as MatrixStats;
  if (!isSiteStats(stats?.genome) || !Array.isArray(stats.contigs) || !stats.contigs.every((contig) => typeof contig?.contig === 'string' && isSiteStats(contig))) {
    throw new InputError({ file: path }, 'expected the output of genomatrix stats --json (contigs and genome statistics, every count a whole number >= 0)');
  }
  for (const contig of stats.contigs) {
    const problem = misfit(contig);
    if (problem) throw new InputError({ file: path }, `contig ${contig.contig}: ${problem}: expected the output of genomatrix stats --json`);
  }
  return stats;
}

/** The first count of a scope that does not fit with the others (every count of what stats wrote does), or undefined. */
function misfit(stats: SiteStats): string | undefined {
  const { sites } = stats;
  if (stats.variableSites + stats.droppedSites !== sites) return `variable (${stats.variableSites}) and dropped (${stats.droppedSites}) sites do not add up to its ${sites} sites`;
  if (stats.multiallelicSites > stats.variableSites) return `${stats.multiallelicSites} multiallelic sites, more than its ${stats.variableSites} variable sites`;
  for (const h of stats.haplotypes) {
    if (h.missing + h.deletions > sites) return `${h.haplotype} has ${h.missing} missing and ${h.deletions} deleted cells, more than its ${sites} sites`;
  }
  const cells = stats.alleles.reduce((sum, allele) => sum + allele.cells, 0);
  if (cells !== sites * stats.haplotypes.length) return `allele cells add up to ${cells}, not its ${sites} sites x ${stats.haplotypes.length} haplotypes`;
  for (const p of stats.pairs) {
    if (p.calledSites > sites || p.hetSites > p.calledSites) return `pair ${p.pair}: ${p.calledSites} called and ${p.hetSites} heterozygous sites of ${sites}`;
  }
  return undefined;
}

/** A count: a whole number, not negative (a part holding anything else is not what stats wrote). */
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

function isSiteStats(value: SiteStats | undefined): value is SiteStats {
  const counts = (list: unknown, fields: string[]) => Array.isArray(list) && list.every((item: Record<string, unknown>) => fields.every((field) => isCount(item?.[field])));
  return (
    typeof value === 'object' &&
    value !== null &&
    ['sites', 'variableSites', 'droppedSites', 'multiallelicSites'].every((field) => isCount((value as unknown as Record<string, unknown>)[field])) &&
    counts(value.haplotypes, ['missing', 'deletions']) &&
    counts(value.alleles, ['cells']) &&
    counts(value.pairs, ['calledSites', 'hetSites'])
  );
}
