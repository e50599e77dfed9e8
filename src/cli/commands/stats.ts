import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { stats } from '../../convert/stats.js';
import { conversionOptions, samplesOption, type ConversionArgs } from '../input-options.js';
import { withInput } from '../open-input.js';

interface StatsArgs extends ConversionArgs {
  json?: boolean;
}

/** `genomatrix stats <matrix>`: per-contig and genome statistics. */
export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats <matrix>',
  describe: 'Write statistics per contig and for the genome: sites, missing, deletions, alleles, heterozygosity per pair',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .option('json', { type: 'boolean', describe: 'Write JSON instead of the TSV table' })
      .example('$0 stats matrix.tsv.gz -o stats.tsv', 'the TSV table')
      .example('$0 stats matrix.tsv --json | jq .genome.variableSites', 'JSON')
      .example('$0 stats matrix.arrow -r chr2:1-500000', 'the statistics of a region') as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    const samples = samplesOption(argv);
    await withInput(argv, async (matrix) => {
      await stats(matrix, { pairs: argv.pairs, samples, output: argv.output ?? '-', format: argv.json ? 'json' : 'tsv' });
    });
  },
};
