import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { lowMemoryStats } from '../../convert/low-memory.js';
import { writeMatrixStats } from '../../convert/stats.js';
import { conversionOptions, lowMemoryOption, samplesOption, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { runInput } from '../open-input.js';
import { outputOptionsOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';

interface StatsArgs extends ConversionArgs, OutputTypeArgs {
  json?: boolean;
  lowMemory?: boolean;
}

/** `genomatrix stats <matrix>`: per-contig and genome statistics. */
export const statsCommand: CommandModule<object, StatsArgs> = {
  command: 'stats <matrix>',
  describe: 'Write statistics per contig and for the genome: sites, missing, deletions, alleles, heterozygosity per pair',
  builder: (yargs: Argv) =>
    withExamples(outputTypeOption(lowMemoryOption(conversionOptions(yargs))).option('json', { type: 'boolean', describe: 'Write JSON instead of the TSV table' }), [
      { what: 'the TSV table', commands: ['$0 stats matrix.tsv.gz -o stats.tsv'] },
      { what: 'one contig in memory at a time', commands: ['$0 stats matrix.tsv.gz --low-memory -o stats.tsv'] },
      { what: 'JSON, here one number of it', commands: ['$0 stats matrix.tsv --json | jq .genome.variableSites'] },
      { what: 'the statistics of a region, two pairs', commands: ['$0 stats matrix.arrow -r chr2:740000-745000 -s 1a1b,2a2b'] },
    ]) as unknown as Argv<StatsArgs>,
  handler: async (argv: ArgumentsCamelCase<StatsArgs>) => {
    const written = outputOptionsOf(argv, 'stats');
    const samples = samplesOption(argv);
    const options = { pairs: argv.pairs, samples, output: argv.output ?? '-', format: argv.json ? ('json' as const) : ('tsv' as const), ...written };
    await runInput(argv, 'stats', {
      memory: (matrix, onProgress) => writeMatrixStats(matrix, { ...options, onProgress }),
      streamed: (low) => lowMemoryStats(argv.matrix, { ...low, ...options }),
    });
  },
};
