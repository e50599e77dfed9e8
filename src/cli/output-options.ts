// `-O/--output-type` of the commands that write text (haplotype, vcf, stats, the formats), with
// bcftools' letters: v plain, z BGZF; b and u (BCF) are refused with the bcftools command that
// converts. `-l/--compression-level` sets BGZF's deflate level, as in bgzip and bcftools.

import type { Argv } from 'yargs';
import { DEFAULT_BGZF_LEVEL } from '../write/bgzf.js';
import { compressionLevel, OUTPUT_TYPE_LETTERS, outputType, outputTypeOfLetter, type OutputTypeLetter, type OutputTypeOptions } from '../write/output-type.js';

/** The arguments of `-O`. */
export interface OutputTypeArgs {
  output?: string;
  outputType?: OutputTypeLetter;
  compressionLevel?: number;
}

/** Declares `-O/--output-type` and `-l/--compression-level`. */
export function outputTypeOption<T>(yargs: Argv<T>) {
  return yargs
    .option('output-type', {
      alias: 'O',
      choices: OUTPUT_TYPE_LETTERS,
      describe: 'v: plain text, z: BGZF-compressed (bgzip\'s format); default: z when the output name ends in .gz or .bgz, else v. BCF (b, u) is not written',
    })
    .option('compression-level', {
      alias: 'l',
      type: 'string',
      requiresArg: true,
      coerce: (text: string) => compressionLevel(/^\d+$/.test(text) ? Number(text) : Number.NaN, text),
      describe: `BGZF deflate level, 0 (none) to 9 (smallest; bgzip's default is 6), default ${DEFAULT_BGZF_LEVEL}`,
    });
}

/** The output type and level the arguments ask for (checked: a BCF letter or a .bcf name is a usage error). */
export function outputOptionsOf(argv: OutputTypeArgs, command: string): Required<Pick<OutputTypeOptions, 'outputType'>> & Pick<OutputTypeOptions, 'compressionLevel'> {
  return { outputType: outputType(argv.output, outputTypeOfLetter(argv.outputType, argv.output), command), compressionLevel: argv.compressionLevel };
}
