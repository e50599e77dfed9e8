import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { haplotype } from '../../convert/haplotype.js';
import { openMatrix } from '../../matrix.js';
import { inputOptions, type InputArgs } from '../input-options.js';

interface HaplotypeArgs extends InputArgs {
  pairs?: string;
  output?: string;
}

/** `genomatrix haplotype <matrix>`: the haplotype table. */
export const haplotypeCommand: CommandModule<object, HaplotypeArgs> = {
  command: 'haplotype <matrix>',
  describe: 'Write the haplotype table (contig pos ref alt, then <pair>_PI <pair>_PG_al per pair)',
  builder: (yargs: Argv) =>
    inputOptions(yargs)
      .option('pairs', {
        type: 'string',
        describe: 'Explicit pairs NAME:NAME[,NAME:NAME...]; default: <stem>a/<stem>b columns',
      })
      .option('output', { alias: 'o', type: 'string', describe: 'Output file (default: standard output)' })
      .example('$0 haplotype matrix.tsv.gz -o haplotypes.tsv', 'automatic pairs')
      .example('$0 haplotype matrix.tsv --header names.tsv --pairs 10a:10b,13a:13b', 'explicit pairs') as unknown as Argv<HaplotypeArgs>,
  handler: async (argv: ArgumentsCamelCase<HaplotypeArgs>) => {
    const matrix = await openMatrix(argv.matrix, { header: argv.header, threads: argv.threads, allowUnsorted: argv.allowUnsorted });
    try {
      await haplotype(matrix, { pairs: argv.pairs, output: argv.output });
    } finally {
      await matrix.close();
    }
  },
};
