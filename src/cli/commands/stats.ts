import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { stats } from '../../convert/stats.js';
import { conversionOptions, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { withInput } from '../open-input.js';

interface StatsArgs extends ConversionArgs {
  json?: boolean;
}

/** `genomatrix stats <matrix>`: per-contig and genome statistics. */
export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats <matrix>',
  describe: 'Write statistics per contig and for the genome: sites, missing, deletions, alleles, heterozygosity per pair',
  builder: (yargs: Argv) =>
    withExamples(conversionOptions(yargs).option('json', { type: 'boolean', describe: 'Write JSON instead of the TSV table' }), [
      { what: 'the TSV table', commands: ['$0 stats matrix.tsv.gz -o stats.tsv'] },
      { what: 'JSON, here one number of it', commands: ['$0 stats matrix.tsv --json | jq .genome.variableSites'] },
    ]) as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    await withInput(argv, async (matrix) => {
      await stats(matrix, { pairs: argv.pairs, output: argv.output ?? '-', format: argv.json ? 'json' : 'tsv' });
    });
  },
};
