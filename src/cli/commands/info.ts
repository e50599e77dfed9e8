import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { describeMatrix, formatDescription } from '../../convert/describe-matrix.js';
import { inputOptions, type InputArgs } from '../input-options.js';
import { withInput } from '../open-input.js';

interface InfoArgs extends InputArgs {
  json?: boolean;
}

/** `genomatrix info <matrix>`: samples, pairs, contigs, bytes per column, alleles. */
export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <matrix>',
  describe: 'Show samples, pairs, contigs with site counts, bytes in memory per column, the allele dictionary',
  builder: (yargs: Argv) =>
    inputOptions(yargs)
      .option('json', { type: 'boolean', describe: 'Print the description as JSON' })
      .example('$0 info matrix.arrow', '') as unknown as Argv<InfoArgs>,
  handler: async (argv: ArgumentsCamelCase<InfoArgs>) => {
    await withInput(argv, async (matrix) => {
      const description = describeMatrix(matrix);
      process.stdout.write(argv.json ? JSON.stringify(description, null, 2) + '\n' : formatDescription(description));
    });
  },
};
