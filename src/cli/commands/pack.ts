import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { lowMemoryPack, pack, prefetchPackModules } from '../../convert/pack.js';
import { inputOptions, type InputArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { runInput } from '../open-input.js';

interface PackArgs extends InputArgs {
  output: string;
  pairs?: string;
  lowMemory?: boolean;
}

/** `genomatrix pack <matrix> -o matrix.arrow`: parse once into an Arrow IPC file that reopens instantly. */
export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack <matrix>',
  describe: 'Parse a matrix once into an Arrow IPC file (.arrow) that every command reopens without parsing',
  builder: (yargs: Argv) =>
    withExamples(
      inputOptions(yargs)
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'The .arrow file to write' })
      .option('pairs', { type: 'string', describe: 'Pairs NAME:NAME[,...] to store: the default of later commands' })
      .option('low-memory', {
        type: 'boolean',
        describe: 'Pack contig by contig: memory for the largest contig, not the whole matrix (default: on when the input is large for the free memory; --no-low-memory to refuse)',
        }),
      [
        { what: 'parse once; every command then reopens the .arrow file without parsing', commands: ['$0 pack matrix.tsv.gz -o matrix.arrow', '$0 haplotype matrix.arrow -o haplotypes.tsv'] },
        { what: 'one contig in memory at a time', commands: ['$0 pack matrix.tsv.gz --low-memory -o matrix.arrow'] },
        { what: 'standard input, plain or gzip', commands: ['$0 pack - -o stdin.arrow < matrix.tsv.gz'] },
        { what: 'a smaller matrix of one region', commands: ['$0 pack matrix.tsv.gz -r chr2:740000-745000 -o part.arrow'] },
      ],
    ) as unknown as Argv<PackArgs>,
  handler: async (argv: ArgumentsCamelCase<PackArgs>) => {
    const { pairs, output } = argv;
    prefetchPackModules();
    await runInput(argv, 'pack', {
      memory: (matrix, onProgress) => pack(matrix, { output, pairs, onProgress }),
      streamed: (options) => lowMemoryPack(argv.matrix, { ...options, pairs, output }),
    });
  },
};
