import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { pack } from '../../convert/pack.js';
import { inputOptions, type InputArgs } from '../input-options.js';
import { withInput } from '../open-input.js';

interface PackArgs extends InputArgs {
  output: string;
  pairs?: string;
}

/** `genomatrix pack <matrix> -o matrix.arrow`: parse once into an Arrow IPC file that reopens instantly. */
export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack <matrix>',
  describe: 'Parse a matrix once into an Arrow IPC file (.arrow) that every command reopens without parsing',
  builder: (yargs: Argv) =>
    inputOptions(yargs)
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'The .arrow file to write' })
      .option('pairs', { type: 'string', describe: 'Pairs NAME:NAME[,...] to store: the default of later commands' })
      .example('$0 pack matrix.tsv.gz -o matrix.arrow', 'then: $0 haplotype matrix.arrow') as unknown as Argv<PackArgs>,
  handler: async (argv: ArgumentsCamelCase<PackArgs>) => {
    await withInput(argv, async (matrix) => {
      await pack(matrix, { output: argv.output, pairs: argv.pairs });
    });
  },
};
