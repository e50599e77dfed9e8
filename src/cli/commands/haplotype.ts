import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype } from '../../convert/haplotype.js';
import { openMatrix } from '../../matrix.js';
import { conversionOptions, type ConversionArgs } from '../input-options.js';

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, ConversionArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    conversionOptions(yargs)
      .example('$0 haplotype matrix.tsv.gz -o haplotypes.tsv', 'automatic pairs')
      .example('$0 haplotype matrix.tsv --header names.tsv --pairs 10a:10b,13a:13b', 'explicit pairs') as unknown as Argv<ConversionArgs>,
  handler: async (argv: ArgumentsCamelCase<ConversionArgs>) => {
    const matrix = await openMatrix(argv.matrix, { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted });
    try {
      await haplotype(matrix, { pairs: argv.pairs, output: argv.output });
    } finally {
      await matrix.close();
    }
  },
};
