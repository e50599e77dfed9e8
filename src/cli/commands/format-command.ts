// The command of an output format (src/formats): `genomatrix NAME <matrix>` with the input and
// selection options, -o/-O and --low-memory, made from the format's description alone.

import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { OutputFormat } from '../../formats/output-format.js';
import { withExamples } from '../help.js';
import { inputOptions, lowMemoryOption, type InputArgs } from '../input-options.js';
import { runInput } from '../open-input.js';
import { outputTypeOf, outputTypeOption, type OutputTypeArgs } from '../output-options.js';

interface FormatArgs extends InputArgs, OutputTypeArgs {
  output?: string;
  lowMemory?: boolean;
}

/** The yargs command of `format`. */
export function formatCommand(format: OutputFormat): CommandModule<object, FormatArgs> {
  return {
    command: `${format.name} <matrix>`,
    describe: format.describe,
    builder: (yargs: Argv) =>
      withExamples(
        outputTypeOption(lowMemoryOption(inputOptions(yargs))).option('output', { alias: 'o', type: 'string', describe: 'Output file (default: standard output)' }),
        format.examples ?? [],
      ) as unknown as Argv<FormatArgs>,
    handler: async (argv: ArgumentsCamelCase<FormatArgs>) => {
      const options = { output: argv.output, outputType: outputTypeOf(argv, format.name) };
      const { writeFormat } = await import('../../formats/output-format.js');
      await runInput(argv, {
        memory: (matrix) => writeFormat(format, matrix, options),
        streamed: (low) => writeFormat(format, argv.matrix, { ...low, ...options }),
      });
    },
  };
}
