import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { stats } from '../../convert/stats.js';
import { conversionOptions, type ConversionArgs } from '../input-options.js';
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
      .example('$0 stats matrix.tsv --json | jq .genome.variableSites', 'JSON') as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    await withInput(argv, async (matrix) => {
      await stats(matrix, { pairs: argv.pairs, output: argv.output ?? '-', format: argv.json ? 'json' : 'tsv' });
    });
  },
};
