// `-O/--output-type` of the commands that write text (haplotype, vcf, stats), with bcftools'
// letters: v plain, z BGZF; b and u (BCF) are refused with the bcftools command that converts.

import type { Argv } from 'yargs';
import { OUTPUT_TYPE_LETTERS, outputType, outputTypeOfLetter, type OutputType, type OutputTypeLetter } from '../write/output-type.js';

/** The arguments of `-O`. */
export interface OutputTypeArgs {
  output?: string;
  outputType?: OutputTypeLetter;
}

/** Declares `-O/--output-type`. */
export function outputTypeOption<T>(yargs: Argv<T>) {
  return yargs.option('output-type', {
    alias: 'O',
    choices: OUTPUT_TYPE_LETTERS,
    describe: 'v: plain text, z: BGZF-compressed (bgzip\'s format); default: z when the output name ends in .gz or .bgz, else v. BCF (b, u) is not written',
  });
}

/** The output type the arguments ask for (checked: a BCF letter or a .bcf name is a usage error). */
export function outputTypeOf(argv: OutputTypeArgs, command: string): OutputType {
  return outputType(argv.output, outputTypeOfLetter(argv.outputType, argv.output), command);
}
