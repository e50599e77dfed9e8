import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { vcf } from '../../convert/vcf.js';
import { conversionOptions, type ConversionArgs } from '../input-options.js';
import { withExamples } from '../help.js';
import { withInput } from '../open-input.js';

interface VcfArgs extends ConversionArgs {
  outputType?: 'v' | 'z';
}

/** `genomatrix vcf <matrix>`: VCF 4.2, one phased diploid sample per pair. */
export const vcfCommand: CommandModule<object, VcfArgs> = {
  command: 'vcf <matrix>',
  describe: 'Write VCF 4.2: one record per site with an alt allele, one phased GT sample per pair',
  builder: (yargs: Argv) =>
    withExamples(
      conversionOptions(yargs).option('output-type', {
        alias: 'O',
        choices: ['v', 'z'] as const,
        describe: 'v: plain VCF, z: BGZF-compressed (default: z when the output name ends in .gz or .bgz)',
      }),
      [
        { what: 'BGZF output (by the .gz name), then an index', commands: ['$0 vcf matrix.tsv.gz -o matrix.vcf.gz', 'bcftools index matrix.vcf.gz'] },
        { what: 'explicit pairs, plain VCF on standard output', commands: ['$0 vcf matrix.tsv --pairs 10a:10b | bcftools view -H | head -n 3'] },
      ],
    ) as unknown as Argv<VcfArgs>,
  handler: async (argv: ArgumentsCamelCase<VcfArgs>) => {
    await withInput(argv, async (matrix) => {
      const bgzf = argv.outputType === undefined ? undefined : argv.outputType === 'z';
      await vcf(matrix, { pairs: argv.pairs, output: argv.output, bgzf });
    });
  },
};
